import type { Connection } from 'mongoose';
import { applyOnce } from '@conecta/events';
import {
  bucketsOf,
  type Dimensions,
  type Metric,
  type MetricFact,
} from '../domain/metrics';
import type { Granularity } from '../domain/periods';
import type { BucketRow } from '../domain/scope';
import { readModel } from './collections';

interface BucketDoc extends Partial<Record<keyof Dimensions, string | null>> {
  _id: string;
  period: string;
  value: number;
}

/** Equalities on bucket fields; absent = every value. */
export type BucketEqualities = Partial<Record<keyof Dimensions, string>>;

// Buckets written before a dimension existed lack its field: read as null.
const rowOf = (doc: BucketDoc): BucketRow => ({
  period: doc.period,
  value: doc.value,
  dimensions: {
    state: doc.state ?? null,
    standardId: doc.standardId ?? null,
    credentialId: doc.credentialId ?? null,
    sectorId: doc.sectorId ?? null,
    cohortId: doc.cohortId ?? null,
  },
});

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
    /**
     * Adds `fact` to its MONTH, QUARTER and YEAR buckets, once per `mark` (the
     * event id, or a retraction's own mark).
     */
    async add(mark: string, fact: MetricFact): Promise<void> {
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
          mark,
          { upsert: true },
        );
      }
    },

    /** The buckets of `metric` in `periods` whose fields equal `dimensions`. */
    async rows(
      metric: Metric,
      granularity: Granularity,
      periods: readonly string[],
      dimensions: BucketEqualities = {},
    ): Promise<BucketRow[]> {
      const docs = await find(metric, granularity, periods, dimensions);
      return docs.map(rowOf);
    },

    /** The sum of `metric` per period label over the buckets matching `dimensions`. */
    async sums(
      metric: Metric,
      granularity: Granularity,
      periods: readonly string[],
      dimensions: BucketEqualities = {},
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
    dimensions: BucketEqualities,
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
