import type { Context } from '../context';
import type { OutcomeFilter } from '../__generated__/resolvers-types';
import type { Metric } from '../domain/metrics';
import type { PersonRecord } from '../domain/people';
import { alignedPeriods, endOf, monthsOf, rowPeriods } from '../domain/periods';
import {
  EMPTY_CATALOG,
  fromCertificates,
  selectionFor,
  withEqualities,
  sumByPeriod,
  sumByTargetAndPeriod,
  type BucketSelection,
  type Catalog,
  type Scope,
  type TargetKey,
} from '../domain/scope';
import type { SeriesSpan, Sums } from '../domain/series';
import type { OutcomesFeed } from '../events/feed';
import type { PersonMonths } from '../store/people';

/** A filter as the read models take it. */
export interface Span extends SeriesSpan {
  /** State, standard, credential and sector asked for. */
  scope: Scope;
  /** First instant of the first of `rows` (what is read). */
  from: Date;
  /** First instant after the last of `rows`. */
  until: Date;
}

/**
 * Parses the GraphQL filter: whole calendar periods only (BAD_USER_INPUT
 * naming `filter.from` or `filter.to` otherwise). The span reads the whole
 * rows (quarters, years) its periods touch, so each period's cell is protected
 * the same way whatever span is asked.
 */
export function spanOf(filter: OutcomeFilter): Span {
  const granularity = filter.granularity ?? 'MONTH';
  const scope: Scope = {};
  if (filter.state) scope.state = filter.state;
  if (filter.standardId) scope.standardId = filter.standardId;
  if (filter.credentialId) scope.credentialId = filter.credentialId;
  if (filter.sectorId) scope.sectorId = filter.sectorId;
  const periods = alignedPeriods(filter.from, filter.to, granularity);
  const rows = rowPeriods(periods, granularity);
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return {
    periods,
    rows,
    granularity,
    scope,
    from: first.start,
    until: endOf(last.start, granularity),
  };
}

/** The buckets of `metric` over the span that its scope selects, with the catalog to finish the selection. */
async function selected({ loaders }: Context, metric: Metric, span: Span) {
  const selection = selectionFor(metric, span.scope);
  if (!selection) return null;
  if (fromCertificates(metric, span.scope)) {
    const [rows, catalog] = await Promise.all([
      loaders.certifiedRowsBetween(span.from, span.until, span.granularity),
      loaders.catalog(),
    ]);
    return {
      rows: withEqualities(rows, selection.equalities),
      selection,
      catalog,
    };
  }
  const [rows, catalog] = await Promise.all([
    loaders.bucketRows(
      metric,
      span.granularity,
      span.rows.map((p) => p.label),
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

/**
 * `metric` per period of the span's rows, or null when it cannot be filtered
 * so. The nation or one recorded state (no standard, credential, sector or
 * cohort join) is read from the rollups, one document per month asked, when
 * the generation has them whole; anything else from the buckets.
 */
export async function sumsOf(
  context: Context,
  metric: Metric,
  span: Span,
): Promise<Sums> {
  const selection = selectionFor(metric, span.scope);
  if (!selection) return null;
  const keys = Object.keys(selection.equalities);
  if (
    !fromCertificates(metric, span.scope) &&
    selection.derived.length === 0 &&
    keys.every((key) => key === 'state') &&
    (await context.stores.buckets.rollupsComplete())
  )
    return context.stores.buckets.totals(
      metric,
      span.granularity,
      span.rows.map((p) => p.label),
      selection.equalities.state ?? null,
    );
  const found = await selected(context, metric, span);
  return found ? sumByPeriod(found.rows, found.selection, found.catalog) : null;
}

/** `metric` per target and period of the span's rows, or null when it cannot be filtered so. */
export async function perTargetOf(
  context: Context,
  metric: Metric,
  span: Span,
): Promise<Map<TargetKey, Map<string, number>> | null> {
  const found = await selected(context, metric, span);
  return found
    ? sumByTargetAndPeriod(found.rows, found.selection, found.catalog)
    : null;
}

/**
 * The people with an enrollment (`enrolledMonths`) or an enrollment or
 * certificate (`supplyMonths`) in a month of the span's rows, and the catalog
 * to place their facts: what supply in people and the funnel are computed
 * from (in memory, `domain/people.ts`).
 */
export async function peopleOver(
  { loaders }: Context,
  field: PersonMonths,
  span: Span,
): Promise<{ records: PersonRecord[]; catalog: Catalog }> {
  const months = monthsOf(
    span.rows.map((p) => p.label),
    span.granularity,
  );
  const [records, catalog] = await Promise.all([
    loaders.peopleWithMonths(field, months),
    loaders.catalog(),
  ]);
  return { records, catalog };
}

/** What outcomesConsumerStatus and rebuildReadModels return. */
export async function consumerStatus(feed: OutcomesFeed) {
  const [{ total, partitions }, history] = await Promise.all([
    feed.lag(),
    feed.history(),
  ]);
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
    historyComplete: history.complete,
    truncatedPartitions: history.truncated,
  };
}
