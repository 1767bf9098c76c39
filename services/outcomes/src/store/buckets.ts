import type { Connection } from 'mongoose';
import {
  BUCKET_GRANULARITY,
  ROLLUP_GRANULARITY,
  rollupId,
  sumRollups,
  type Dimensions,
  type Metric,
  type RollupKey,
  type RollupState,
} from '../domain/metrics';
import type { BucketDelta } from '../events/plan';
import { monthsOf, periodOfMonth, type Granularity } from '../domain/periods';
import { rollUpMonths, type BucketRow } from '../domain/scope';
import {
  applyCounters,
  findManyByIds,
  readModel,
  type CounterWrite,
} from './collections';

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
 * A batch's bucket deltas as counter writes: the key's fields, and the
 * amount added to `value`; then the rollups they add to (metric × month for
 * the nation and per recorded state, `rollupsOf`), each summed over the
 * batch into one write. Both go to the same collection in the same
 * bulkWrite, guarded by the same batch marks, so a rollup always equals the
 * sum of its buckets (a re-applied batch adds to neither twice).
 */
export function bucketWrites(deltas: readonly BucketDelta[]): CounterWrite[] {
  const rollups = sumRollups(
    deltas.map((d) => ({ bucket: d, amount: d.amount })),
  );
  return [
    ...deltas.map((d) => ({
      id: d.id,
      set: {
        metric: d.metric,
        granularity: d.granularity,
        period: d.period,
        ...d.dimensions,
      },
      inc: { value: d.amount },
    })),
    ...[...rollups.values()].map((r) => ({
      id: r.id,
      set: rollupFields(r),
      inc: { value: r.value },
    })),
  ];
}

/** A rollup document's fields besides its `_id` and `value`. */
const rollupFields = (r: RollupKey) => ({
  metric: r.metric,
  granularity: ROLLUP_GRANULARITY,
  period: r.period,
  state: r.state,
});

/**
 * The document saying that a generation's rollups hold its whole history:
 * written when its buckets are still empty (before its consumer starts), so
 * a generation filled by an earlier version (buckets, no rollups) never has
 * it and keeps being read from its buckets until a rebuild replaces it.
 */
const ROLLUPS_MARK_ID = '~rollups-complete';

// Rollup upserts per bulkWrite of a backfill: a generation of six years has
// about 6 metrics × 72 months × 33 (the nation and the states) ≈ 14 000.
const BACKFILL_WRITES = 1_000;

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
    [
      { metric: 1, granularity: 1, period: 1 },
      // A standard's months (`perStandard`: its usage, a page's counts).
      // Without it the months' range read every standard's buckets: 4 ms at
      // scale 1, 16 ms at scale 100.
      { standardId: 1, metric: 1, granularity: 1, period: 1 },
    ],
  );

  let complete: Promise<boolean> | null = null;
  function rollupsComplete(): Promise<boolean> {
    complete ??= collection
      .findOne({ _id: ROLLUPS_MARK_ID }, { projection: { _id: 1 } })
      .then((found) => {
        if (!found) complete = null;
        return found !== null;
      });
    return complete;
  }

  return {
    model,
    /**
     * Marks the generation's rollups complete if its buckets are empty
     * (nothing was written without rollups). Run before its consumer starts.
     */
    async markRollupsIfEmpty(): Promise<void> {
      const any = await collection.findOne(
        { granularity: BUCKET_GRANULARITY },
        { projection: { _id: 1 } },
      );
      if (any) return;
      await collection.updateOne(
        { _id: ROLLUPS_MARK_ID },
        { $set: { granularity: 'MARK' } },
        { upsert: true },
      );
      complete = null;
    },

    /**
     * Writes the rollups of a generation an earlier version filled (buckets,
     * no rollups), each the sum of its buckets — what the consumer would have
     * written — and marks them complete. Absolute `$set`s of `value` (batch
     * marks left as they are), so rollups the current version already added
     * to are overwritten with the whole sum, and a second run writes the same.
     * Exact only while nothing else writes the buckets and no journal entry
     * is pending: run it before the generation's consumer starts, alone
     * (`OutcomesFeed.start`). Reads every MONTH bucket once (one `find`).
     *
     * @returns how many rollups were written (0 when already complete)
     */
    async backfillRollups(): Promise<number> {
      if (await rollupsComplete()) return 0;
      const buckets = await collection
        .find(
          { granularity: BUCKET_GRANULARITY },
          { projection: { metric: 1, period: 1, state: 1, value: 1 } },
        )
        .toArray();
      const totals = sumRollups(
        buckets.map((doc) => ({
          bucket: {
            metric: doc.metric as Metric,
            granularity: BUCKET_GRANULARITY,
            period: String(doc.period),
            dimensions: { state: (doc.state as string | null) ?? null },
          },
          amount: Number(doc.value),
        })),
      );
      const rollups = [...totals.values()];
      for (let i = 0; i < rollups.length; i += BACKFILL_WRITES)
        await collection.bulkWrite(
          rollups.slice(i, i + BACKFILL_WRITES).map((r) => ({
            updateOne: {
              filter: { _id: r.id },
              update: { $set: { ...rollupFields(r), value: r.value } },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      await collection.updateOne(
        { _id: ROLLUPS_MARK_ID },
        { $set: { granularity: 'MARK' } },
        { upsert: true },
      );
      complete = null;
      return rollups.length;
    },

    /** Whether the rollups hold the generation's whole history (see `markRollupsIfEmpty`, `backfillRollups`); remembered once true. */
    rollupsComplete,

    /**
     * The sum of `metric` per period label (of `granularity`) for the nation
     * (`state` null) or one state, from the rollups: one `_id` `$in` of the
     * exact keys of the months asked, so exactly the documents returned are
     * read — the cost follows the months asked, not the history or the
     * number of standards, cohorts and sectors.
     */
    async totals(
      metric: Metric,
      granularity: Granularity,
      periods: readonly string[],
      state: RollupState,
    ): Promise<Map<string, number>> {
      const months = monthsOf(periods, granularity);
      const docs = await findManyByIds(
        collection,
        months.map((m) => rollupId(metric, m, state)),
        { period: 1, value: 1 },
      );
      const sums = new Map<string, number>();
      for (const doc of docs) {
        const period = periodOfMonth(String(doc.period), granularity);
        sums.set(period, (sums.get(period) ?? 0) + Number(doc.value));
      }
      return sums;
    },

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
