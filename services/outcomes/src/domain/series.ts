import type { Period } from './periods';
import {
  disclose,
  NOT_RECORDED,
  growthRate,
  rate,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/**
 * Sums per period label, as the buckets give them (missing label = 0), or null
 * when the metric does not record a dimension the filter asks for.
 */
export type Sums = ReadonlyMap<string, number> | null;

/** The disclosed count of `label` in `sums`. */
function cell(
  sums: Sums,
  label: string,
  policy: DisclosurePolicy,
): OutcomeCount {
  return sums ? disclose(sums.get(label) ?? 0, policy) : NOT_RECORDED;
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
  periods: readonly Period[],
  headcount: Sums,
  requests: Sums,
  policy: DisclosurePolicy,
): DemandTrendPoint[] {
  let previous: OutcomeCount | undefined;
  return periods.map(({ label, start }) => {
    const requested = cell(headcount, label, policy);
    const point = {
      period: label,
      start,
      requestedHeadcount: requested,
      requests: cell(requests, label, policy),
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
}

/** Trained, completed, certified and placed per period. */
export function supplySeries(
  periods: readonly Period[],
  sums: { trained: Sums; completed: Sums; certified: Sums; placed: Sums },
  policy: DisclosurePolicy,
): SupplyPoint[] {
  return periods.map(({ label, start }) => ({
    period: label,
    start,
    trained: cell(sums.trained, label, policy),
    completed: cell(sums.completed, label, policy),
    certified: cell(sums.certified, label, policy),
    placed: cell(sums.placed, label, policy),
  }));
}

/** The funnel over a whole span. */
export interface OutcomeFunnel {
  trained: OutcomeCount;
  completed: OutcomeCount;
  certified: OutcomeCount;
  placed: OutcomeCount;
  completionRate: number | null;
  certificationRate: number | null;
  placementRate: number | null;
}

/** Totals (null: not recorded for the filter) and stage-to-stage conversion rates. */
export function funnel(
  totals: {
    trained: number | null;
    completed: number | null;
    certified: number | null;
    placed: number | null;
  },
  policy: DisclosurePolicy,
): OutcomeFunnel {
  const total = (value: number | null) =>
    value === null ? NOT_RECORDED : disclose(value, policy);
  const trained = total(totals.trained);
  const completed = total(totals.completed);
  const certified = total(totals.certified);
  const placed = total(totals.placed);
  return {
    trained,
    completed,
    certified,
    placed,
    completionRate: rate(completed, trained),
    certificationRate: rate(certified, completed),
    placementRate: rate(placed, certified),
  };
}
