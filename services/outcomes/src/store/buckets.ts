import type { Connection } from 'mongoose';
import {
  BUCKET_GRANULARITY,
  type Dimensions,
  type Metric,
} from '../domain/metrics';
import type { BucketDelta } from '../events/plan';
import { monthsOf, type Granularity } from '../domain/periods';
import { rollUpMonths, type BucketRow } from '../domain/scope';
import { applyCounters, readModel, type CounterWrite } from './collections';

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

/** A batch's bucket deltas as counter writes: the key's fields, and the amount added to `value`. */
export const bucketWrites = (deltas: readonly BucketDelta[]): CounterWrite[] =>
  deltas.map((d) => ({
    id: d.id,
    set: {
      metric: d.metric,
      granularity: d.granularity,
      period: d.period,
      ...d.dimensions,
    },
    inc: { value: d.amount },
  }));

/**
 * Counters precomputed at write time, one document per metric × month ×
 * dimensions. A batch's increments are summed in memory and written in one
 * bulkWrite (inserts of new buckets, one guarded update per distinct
 * increment of existing ones; see `applyCounters`), so a re-applied batch
 * never counts twice. Quarters and years are not written:
 * a query for them reads the MONTH buckets of their months (one `find`) and
 * adds them up in memory per period and dimensions. No `$group` (FerretDB
 * computes only its first accumulator). QUARTER and YEAR documents written by
 * earlier versions are left in place and never read.
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
      return applyCounters(collection, bucketWrites(deltas), source, batchId);
    },

    /**
     * The buckets of `metric` in the periods of `granularity` labelled
     * `periods` whose fields equal `dimensions`: for quarters and years, the
     * sums of their months' buckets, one row per period and dimensions.
     */
    rows,

    /** The sum of `metric` per period label (of `granularity`) over the buckets matching `dimensions`. */
    async sums(
      metric: Metric,
      granularity: Granularity,
      periods: readonly string[],
      dimensions: BucketEqualities = {},
    ): Promise<Map<string, number>> {
      const sums = new Map<string, number>();
      for (const row of await rows(metric, granularity, periods, dimensions))
        sums.set(row.period, (sums.get(row.period) ?? 0) + row.value);
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
          granularity: BUCKET_GRANULARITY,
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

  async function rows(
    metric: Metric,
    granularity: Granularity,
    periods: readonly string[],
    dimensions: BucketEqualities = {},
  ): Promise<BucketRow[]> {
    const docs = await findMonths(
      metric,
      monthsOf(periods, granularity),
      dimensions,
    );
    return rollUpMonths(docs.map(rowOf), granularity);
  }

  /**
   * The MONTH buckets of `metric` in `months`: top-level equalities and one
   * `$in` of strings, which FerretDB answers from the
   * (metric, granularity, period) index.
   */
  function findMonths(
    metric: Metric,
    months: readonly string[],
    dimensions: BucketEqualities,
  ): Promise<BucketDoc[]> {
    return model
      .find({
        metric,
        granularity: BUCKET_GRANULARITY,
        period: { $in: [...months] },
        ...dimensions,
      })
      .lean<BucketDoc[]>()
      .exec();
  }
}

export type BucketStore = ReturnType<typeof createBucketStore>;
