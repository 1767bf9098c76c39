import type { Context } from '../context';
import type { OutcomeFilter } from '../__generated__/resolvers-types';
import {
  filterFor,
  type DimensionFilter,
  type Metric,
} from '../domain/metrics';
import {
  periodsBetween,
  type Granularity,
  type Period,
} from '../domain/periods';
import type { Sums } from '../domain/series';
import type { OutcomesFeed } from '../events/feed';

/** A filter as the read models take it. */
export interface Span {
  periods: Period[];
  granularity: Granularity;
  dimensions: DimensionFilter;
  /** First instant of the first period. */
  from: Date;
  /** First instant after the last period. */
  until: Date;
}

const STEP_MONTHS: Record<Granularity, number> = {
  MONTH: 1,
  QUARTER: 3,
  YEAR: 12,
};

/** Parses the GraphQL filter (throws BAD_USER_INPUT on a bad span). */
export function spanOf(filter: OutcomeFilter): Span {
  const granularity = filter.granularity ?? 'MONTH';
  const dimensions: DimensionFilter = {};
  if (filter.state) dimensions.state = filter.state;
  if (filter.standardId) dimensions.standardId = filter.standardId;
  if (filter.credentialId) dimensions.credentialId = filter.credentialId;
  const periods = periodsBetween(filter.from, filter.to, granularity);
  const first = periods[0]?.start ?? filter.from;
  const last = periods[periods.length - 1]?.start ?? filter.to;
  return {
    periods,
    granularity,
    dimensions,
    from: first,
    until: new Date(
      Date.UTC(
        last.getUTCFullYear(),
        last.getUTCMonth() + STEP_MONTHS[granularity],
        1,
      ),
    ),
  };
}

/** `metric` per period of the span, or null when it cannot be filtered so. */
export async function sumsOf(
  { stores }: Context,
  metric: Metric,
  span: Span,
): Promise<Sums> {
  const dimensions = filterFor(metric, span.dimensions);
  if (!dimensions) return null;
  return stores.buckets.sums(
    metric,
    span.granularity,
    span.periods.map((p) => p.label),
    dimensions,
  );
}

/** The total of `metric` over the span, or null when it cannot be filtered so. */
export async function totalOf(
  context: Context,
  metric: Metric,
  span: Span,
): Promise<number | null> {
  const sums = await sumsOf(context, metric, span);
  if (!sums) return null;
  let total = 0;
  for (const value of sums.values()) total += value;
  return total;
}

/** What outcomesConsumerStatus and rebuildReadModels return. */
export async function consumerStatus(feed: OutcomesFeed) {
  const { total } = await feed.lag();
  const { handled, skipped, deadLettered, lastError } = feed.stats;
  return {
    lag: total,
    handled,
    skipped,
    deadLettered,
    lastError,
    generation: feed.generation(),
  };
}
