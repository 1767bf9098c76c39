import { GRANULARITIES, periodOf, type Granularity } from './periods';

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

/** The dimensions a fact may carry; absent ones are null. */
export interface Dimensions {
  state: string | null;
  standardId: string | null;
  credentialId: string | null;
}

/** One contribution of one event to one metric, at the instant it happened. */
export interface MetricFact {
  metric: Metric;
  /** When it happened (the event's own timestamp, never its arrival). */
  at: Date;
  amount: number;
  dimensions: Dimensions;
}

/** One precomputed cell: metric × period × dimensions. */
export interface BucketKey {
  /** Deterministic: the same fact always lands in the same document. */
  id: string;
  metric: Metric;
  granularity: Granularity;
  period: string;
  dimensions: Dimensions;
}

/**
 * The buckets a fact adds to: one per granularity. Bucketing by the fact's own
 * time (not arrival order) makes the result independent of delivery order.
 */
export function bucketsOf(fact: MetricFact): BucketKey[] {
  const { state, standardId, credentialId } = fact.dimensions;
  return GRANULARITIES.map((granularity) => {
    const period = periodOf(fact.at, granularity).label;
    return {
      id: [
        fact.metric,
        granularity,
        period,
        state ?? '-',
        standardId ?? '-',
        credentialId ?? '-',
      ].join('|'),
      metric: fact.metric,
      granularity,
      period,
      dimensions: fact.dimensions,
    };
  });
}

/** The dimensions of a target (a standard or a vendor credential). */
export function targetDimensions(
  target: { standardId?: string; credentialId?: string },
  state: string | null = null,
): Dimensions {
  return {
    state,
    standardId: target.standardId ?? null,
    credentialId: target.credentialId ?? null,
  };
}

/**
 * The dimensions each metric's events carry. Enrollment events name their
 * target but not the cohort's state; completions name neither; certificates
 * name the standard only; placements the state of the job.
 */
export const RECORDED_DIMENSIONS: Record<
  Metric,
  ReadonlyArray<keyof Dimensions>
> = {
  DEMAND_HEADCOUNT: ['state', 'standardId', 'credentialId'],
  DEMAND_REQUESTS: ['state', 'standardId', 'credentialId'],
  TRAINED: ['standardId', 'credentialId'],
  COMPLETED: [],
  CERTIFIED: ['standardId'],
  PLACED: ['state'],
};

/** A filter on dimensions: absent = every value. */
export type DimensionFilter = Partial<Record<keyof Dimensions, string>>;

/**
 * The filter to apply to `metric`'s buckets, or null when it asks for a
 * dimension `metric` does not record (the count is then NOT_RECORDED rather
 * than a misleading total).
 */
export function filterFor(
  metric: Metric,
  filter: DimensionFilter,
): DimensionFilter | null {
  const recorded = RECORDED_DIMENSIONS[metric];
  const asked = (Object.keys(filter) as Array<keyof Dimensions>).filter(
    (key) => filter[key] !== undefined,
  );
  return asked.every((key) => recorded.includes(key)) ? filter : null;
}
