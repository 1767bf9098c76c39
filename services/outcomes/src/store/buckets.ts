import type { Connection } from 'mongoose';
import { applyOnce } from '@conecta/events';
import {
  bucketsOf,
  type DimensionFilter,
  type Metric,
  type MetricFact,
} from '../domain/metrics';
import type { Granularity } from '../domain/periods';
import { readModel } from './collections';

interface BucketDoc {
  _id: string;
  period: string;
  standardId: string | null;
  value: number;
}

/**
 * Counters precomputed at write time, one document per metric × granularity ×
 * period × dimensions. Each `$inc` is applied once per event (applyOnce: the
 * mark and the increment are one single-document update), so a redelivered
 * event never counts twice. Queries only read and add documents in memory: no
 * `$group` (FerretDB computes only its first accumulator).
 */
export function createBucketStore(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'MetricBucket',
    'metric_buckets',
    [{ metric: 1, granularity: 1, period: 1 }],
  );

  return {
    model,
    /** Adds `fact` to its MONTH, QUARTER and YEAR buckets, once per `eventId`. */
    async add(eventId: string, fact: MetricFact): Promise<void> {
      for (const bucket of bucketsOf(fact)) {
        await applyOnce(
          collection,
          { _id: bucket.id },
          {
            $set: {
              metric: bucket.metric,
              granularity: bucket.granularity,
              period: bucket.period,
              ...bucket.dimensions,
            },
            $inc: { value: fact.amount },
          },
          eventId,
          { upsert: true },
        );
      }
    },

    /** The sum of `metric` per period label over the buckets matching `dimensions`. */
    async sums(
      metric: Metric,
      granularity: Granularity,
      periods: readonly string[],
      dimensions: DimensionFilter = {},
    ): Promise<Map<string, number>> {
      const docs = await find(metric, granularity, periods, dimensions);
      const sums = new Map<string, number>();
      for (const doc of docs)
        sums.set(doc.period, (sums.get(doc.period) ?? 0) + doc.value);
      return sums;
    },

    /** The sum of `metric` per standard id over MONTH buckets of `months`. */
    async perStandard(
      metric: Metric,
      months: readonly string[],
      standardIds?: readonly string[],
    ): Promise<Map<string, number>> {
      const docs = await model
        .find({
          metric,
          granularity: 'MONTH',
          period: { $in: [...months] },
          ...(standardIds
            ? { standardId: { $in: [...standardIds] } }
            : { standardId: { $ne: null } }),
        })
        .lean<BucketDoc[]>();
      const sums = new Map<string, number>();
      for (const doc of docs)
        if (doc.standardId)
          sums.set(doc.standardId, (sums.get(doc.standardId) ?? 0) + doc.value);
      return sums;
    },
  };

  function find(
    metric: Metric,
    granularity: Granularity,
    periods: readonly string[],
    dimensions: DimensionFilter,
  ): Promise<BucketDoc[]> {
    return model
      .find({
        metric,
        granularity,
        period: { $in: [...periods] },
        ...dimensions,
      })
      .lean<BucketDoc[]>()
      .exec();
  }
}

export type BucketStore = ReturnType<typeof createBucketStore>;
