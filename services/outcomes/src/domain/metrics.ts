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
