import type { Context } from '../context';
import type { OutcomeFilter } from '../__generated__/resolvers-types';
import type { Metric } from '../domain/metrics';
import {
  periodsBetween,
  type Granularity,
  type Period,
} from '../domain/periods';
import {
  EMPTY_CATALOG,
  selectionFor,
  sumByPeriod,
  sumByTarget,
  type BucketSelection,
  type Catalog,
  type Scope,
  type TargetKey,
} from '../domain/scope';
import type { Sums } from '../domain/series';
import type { OutcomesFeed } from '../events/feed';

/** A filter as the read models take it. */
export interface Span {
  periods: Period[];
  granularity: Granularity;
  /** State, standard, credential and sector asked for. */
  scope: Scope;
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
  const scope: Scope = {};
  if (filter.state) scope.state = filter.state;
  if (filter.standardId) scope.standardId = filter.standardId;
  if (filter.credentialId) scope.credentialId = filter.credentialId;
  if (filter.sectorId) scope.sectorId = filter.sectorId;
  const periods = periodsBetween(filter.from, filter.to, granularity);
  const first = periods[0]?.start ?? filter.from;
  const last = periods[periods.length - 1]?.start ?? filter.to;
  return {
    periods,
    granularity,
    scope,
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

/** The buckets of `metric` over the span that its scope selects, with the catalog to finish the selection. */
async function selected(
  { stores, loaders }: Context,
  metric: Metric,
  span: Span,
) {
  const selection = selectionFor(metric, span.scope);
  if (!selection) return null;
  const [rows, catalog] = await Promise.all([
    stores.buckets.rows(
      metric,
      span.granularity,
      span.periods.map((p) => p.label),
      selection.equalities,
    ),
    catalogFor(loaders, selection),
  ]);
  return { rows, selection, catalog };
}

/** The catalog, read only when the selection needs a join (sector, a cohort's state). */
export const catalogFor = (
  loaders: Context['loaders'],
  selection: BucketSelection,
): Promise<Catalog> =>
  selection.derived.length > 0
    ? loaders.catalog()
    : Promise.resolve(EMPTY_CATALOG);

/** `metric` per period of the span, or null when it cannot be filtered so. */
export async function sumsOf(
  context: Context,
  metric: Metric,
  span: Span,
): Promise<Sums> {
  const found = await selected(context, metric, span);
  return found ? sumByPeriod(found.rows, found.selection, found.catalog) : null;
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

/** `metric` per target over the span, or null when it cannot be filtered so. */
export async function perTargetOf(
  context: Context,
  metric: Metric,
  span: Span,
): Promise<Map<TargetKey, number> | null> {
  const found = await selected(context, metric, span);
  return found ? sumByTarget(found.rows, found.selection, found.catalog) : null;
}

/** What outcomesConsumerStatus and rebuildReadModels return. */
export async function consumerStatus(feed: OutcomesFeed) {
  const { total, partitions } = await feed.lag();
  const { handled, skipped, deadLettered, lastError } = feed.stats;
  return {
    lag: total,
    partitions: partitions.map(({ topic, partition, lag }) => ({
      topic,
      partition,
      lag,
    })),
    handled,
    skipped,
    deadLettered,
    lastError,
    generation: feed.generation(),
  };
}
