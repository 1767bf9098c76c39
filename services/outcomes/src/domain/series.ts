import { rowOf, type Granularity, type Period } from './periods';
import {
  NOT_RECORDED,
  growthRate,
  protectRow,
  totalOfShown,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/**
 * Sums per period label, as the buckets give them (missing label = 0), or null
 * when the metric does not record a dimension the filter asks for.
 */
export type Sums = ReadonlyMap<string, number> | null;

/** What a series is computed over. */
export interface SeriesSpan {
  /** The periods asked for. */
  periods: readonly Period[];
  /** Every period of the whole rows (quarters, years) they touch; `Sums` cover these. */
  rows: readonly Period[];
  granularity: Granularity;
}

/**
 * The released cell of every period of `span.rows`: counts withheld below the
 * threshold, rounded above it, and complemented per row (the months of a
 * quarter, the quarters of a year) — computed over whole rows, so a cell is
 * shown or withheld the same whatever span is asked.
 */
export function protectedCells(
  sums: Sums,
  span: SeriesSpan,
  policy: DisclosurePolicy,
): Map<string, OutcomeCount> {
  const cells = new Map<string, OutcomeCount>();
  if (!sums) {
    for (const { label } of span.rows) cells.set(label, NOT_RECORDED);
    return cells;
  }
  const rows = new Map<string, Period[]>();
  for (const period of span.rows) {
    const row = rowOf(period, span.granularity);
    rows.set(row, [...(rows.get(row) ?? []), period]);
  }
  for (const periods of rows.values()) {
    const shown = protectRow(
      periods.map(({ label }) => sums.get(label) ?? 0),
      policy,
    );
    periods.forEach(({ label }, i) => cells.set(label, shown[i]!));
  }
  return cells;
}

/** The released cells of the periods asked for, in order. */
export function cellsOf(
  sums: Sums,
  span: SeriesSpan,
  policy: DisclosurePolicy,
): OutcomeCount[] {
  const cells = protectedCells(sums, span, policy);
  return span.periods.map(({ label }) => cells.get(label) ?? NOT_RECORDED);
}

/**
 * A total over the span: the sum of its released cells (`partial` when some
 * are withheld), never the raw total — so it cannot be differenced against
 * the series, nor two overlapping spans against each other to isolate a
 * withheld period.
 */
export function spanTotal(
  sums: Sums,
  span: SeriesSpan,
  policy: DisclosurePolicy,
): OutcomeCount {
  return totalOfShown(cellsOf(sums, span, policy));
}

/** One point of demandTrends. */
export interface DemandTrendPoint {
  period: string;
  start: Date;
  requestedHeadcount: OutcomeCount;
  requests: OutcomeCount;
  growthRate: number | null;
}

/** Requested headcount per period with its growth against the previous period. */
export function demandSeries(
  span: SeriesSpan,
  headcount: Sums,
  requests: Sums,
  policy: DisclosurePolicy,
): DemandTrendPoint[] {
  const headcounts = cellsOf(headcount, span, policy);
  const counts = cellsOf(requests, span, policy);
  let previous: OutcomeCount | undefined;
  return span.periods.map(({ label, start }, i) => {
    const requested = headcounts[i]!;
    const point = {
      period: label,
      start,
      requestedHeadcount: requested,
      requests: counts[i]!,
      growthRate: growthRate(requested, previous),
    };
    previous = requested;
    return point;
  });
}

/** One point of supply. */
export interface SupplyPoint {
  period: string;
  start: Date;
  trained: OutcomeCount;
  completed: OutcomeCount;
  certified: OutcomeCount;
  placed: OutcomeCount;
  /** Distinct people who became supply in the period (`supplyEntries`). */
  people: OutcomeCount;
}

/** Trained, completed, certified and placed per period, and the people who became supply. */
export function supplySeries(
  span: SeriesSpan,
  sums: {
    trained: Sums;
    completed: Sums;
    certified: Sums;
    placed: Sums;
    people: Sums;
  },
  policy: DisclosurePolicy,
): SupplyPoint[] {
  const people = cellsOf(sums.people, span, policy);
  const trained = cellsOf(sums.trained, span, policy);
  const completed = cellsOf(sums.completed, span, policy);
  const certified = cellsOf(sums.certified, span, policy);
  const placed = cellsOf(sums.placed, span, policy);
  return span.periods.map(({ label, start }, i) => ({
    period: label,
    start,
    trained: trained[i]!,
    completed: completed[i]!,
    certified: certified[i]!,
    placed: placed[i]!,
    people: people[i]!,
  }));
}
