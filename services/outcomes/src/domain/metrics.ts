import { periodOf, type Granularity } from './periods';

/** What the buckets count. */
export const METRICS = [
  'DEMAND_HEADCOUNT',
  'DEMAND_REQUESTS',
  'TRAINED',
  'COMPLETED',
  'CERTIFIED',
  'PLACED',
] as const;
export type Metric = (typeof METRICS)[number];

/**
 * The dimensions a fact may carry; absent ones are null. Only what the event
 * itself says is recorded (no join with other events at write time): a
 * certificate's sector, an enrollment's state or a completion's target are
 * derived at read time from the standard, cohort and credential views (scope.ts).
 */
export interface Dimensions {
  state: string | null;
  standardId: string | null;
  credentialId: string | null;
  /** committees' Sector id; placements only (their job's sector). */
  sectorId: string | null;
  /** training's Cohort id; enrollments and completions. */
  cohortId: string | null;
}

/** No dimension at all. */
export const NO_DIMENSIONS: Dimensions = {
  state: null,
  standardId: null,
  credentialId: null,
  sectorId: null,
  cohortId: null,
};

/** One contribution of one event to one metric, at the instant it happened. */
export interface MetricFact {
  metric: Metric;
  /** When it happened (the event's own timestamp, never its arrival). */
  at: Date;
  /** Added to the counter; negative for a retraction (a revoked certificate). */
  amount: number;
  dimensions: Dimensions;
}

/**
 * The only granularity written. Quarters and years are the sums of their
 * months, added at read time (store/buckets.ts): writing them too tripled the
 * bucket upserts, which are most of the consumer's cost.
 */
export const BUCKET_GRANULARITY = 'MONTH' satisfies Granularity;

/** One precomputed cell: metric × month × dimensions. */
export interface BucketKey {
  /** Deterministic: the same fact always lands in the same document. */
  id: string;
  metric: Metric;
  /**
   * Always MONTH when written by this version; a journal entry left by an
   * earlier version may still hold QUARTER and YEAR deltas (applied, never read).
   */
  granularity: Granularity;
  period: string;
  dimensions: Dimensions;
}

/**
 * The bucket a fact adds to: its month's. Bucketing by the fact's own time
 * (not arrival order) makes the result independent of delivery order. The id
 * keeps the granularity, as when every granularity was written, so the months
 * written before and after are the same documents.
 */
export function bucketOf(fact: MetricFact): BucketKey {
  const { state, standardId, credentialId, sectorId, cohortId } =
    fact.dimensions;
  const period = periodOf(fact.at, BUCKET_GRANULARITY).label;
  return {
    id: [
      fact.metric,
      BUCKET_GRANULARITY,
      period,
      state ?? '-',
      standardId ?? '-',
      credentialId ?? '-',
      sectorId ?? '-',
      cohortId ?? '-',
    ].join('|'),
    metric: fact.metric,
    granularity: BUCKET_GRANULARITY,
    period,
    dimensions: fact.dimensions,
  };
}

/** The dimensions of a target (a standard or a vendor credential). */
export function targetDimensions(
  target: { standardId?: string; credentialId?: string },
  extra: Partial<Dimensions> = {},
): Dimensions {
  return {
    ...NO_DIMENSIONS,
    standardId: target.standardId ?? null,
    credentialId: target.credentialId ?? null,
    ...extra,
  };
}

/**
 * The dimensions a rollup is keyed by: every state (the nation) or one
 * state as the fact records it. Rollups exist so the questions asked most —
 * a metric per month for the nation or for one state (`demandTrends`,
 * `supply`, the dashboard's map) — read exactly one document per month
 * asked, whatever the history and however many standards, credentials,
 * sectors and cohorts the buckets are split by (issue 11).
 */
export type RollupState = string | null;

/** Marks a rollup document (its `granularity` field), so bucket queries (`granularity: MONTH`) never read one. */
export const ROLLUP_GRANULARITY = 'MONTH_TOTAL';

/** The id of the rollup of `metric` in `month` (`YYYY-MM`) for the nation (`state` null) or one state. */
export const rollupId = (
  metric: Metric,
  month: string,
  state: RollupState,
): string => [metric, ROLLUP_GRANULARITY, month, state ?? '*'].join('|');

/** A rollup a bucket adds to: its metric and month, for the nation or its state. */
export interface RollupKey {
  id: string;
  metric: Metric;
  period: string;
  state: RollupState;
}

/** What a bucket's rollups depend on: its metric, granularity, month and recorded state. */
export type RollupSource = Pick<
  BucketKey,
  'metric' | 'granularity' | 'period'
> & {
  dimensions: Pick<Dimensions, 'state'>;
};

/**
 * The rollups a MONTH bucket adds to: the nation's, and its state's when the
 * fact records one (demand and placements do; an enrollment's state is its
 * cohort's, joined at read time, so it has none here). A bucket of another
 * granularity (a journal entry of an earlier version) adds to none: its
 * month's bucket carries the same fact.
 */
export function rollupsOf(bucket: RollupSource): RollupKey[] {
  if (bucket.granularity !== BUCKET_GRANULARITY) return [];
  const { metric, period } = bucket;
  const states: RollupState[] = [null];
  if (bucket.dimensions.state) states.push(bucket.dimensions.state);
  return states.map((state) => ({
    id: rollupId(metric, period, state),
    metric,
    period,
    state,
  }));
}

/** A rollup and its total. */
export interface RollupTotal extends RollupKey {
  value: number;
}

/**
 * The rollups `contributions` add to, each the sum of its buckets' amounts:
 * a batch's deltas (the consumer's write), or a generation's stored buckets
 * (the backfill of a generation an earlier version filled). One function for
 * both, so a backfilled rollup is what the consumer would have written.
 */
export function sumRollups(
  contributions: Iterable<{ bucket: RollupSource; amount: number }>,
): Map<string, RollupTotal> {
  const totals = new Map<string, RollupTotal>();
  for (const { bucket, amount } of contributions)
    for (const rollup of rollupsOf(bucket)) {
      const found = totals.get(rollup.id);
      if (found) found.value += amount;
      else totals.set(rollup.id, { ...rollup, value: amount });
    }
  return totals;
}
