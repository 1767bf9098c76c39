import type { Connection } from 'mongoose';
import type { Dimensions, Metric } from '../domain/metrics';
import type { BucketDelta } from '../events/plan';
import type { Granularity } from '../domain/periods';
import type { BucketRow } from '../domain/scope';
import { applyCounters, readModel } from './collections';

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
 * period × dimensions. A batch's increments are summed in memory and written
 * in one bulkWrite, each guarded by the batch's mark (see `applyCounters`), so
 * a re-applied batch never counts twice. Queries only read and add documents
 * in memory: no `$group` (FerretDB computes only its first accumulator).
 */
export function createBucketStore(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'MetricBucket',
    'metric_buckets',
    suffix,
    [{ metric: 1, granularity: 1, period: 1 }],
  );

  return {
    model,
    /** Adds each delta to its bucket, once per batch. */
    applyDeltas(
      deltas: readonly BucketDelta[],
      source: string,
      batchId: string,
    ): Promise<void> {
      return applyCounters(
        collection,
        deltas.map((d) => ({
          id: d.id,
          set: {
            metric: d.metric,
            granularity: d.granularity,
            period: d.period,
            ...d.dimensions,
          },
          inc: { value: d.amount },
        })),
        source,
        batchId,
      );
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
