import { InvalidInputError } from '@conecta/service-kit/errors';
import {
  DEFAULT_PLACEMENT_WITHIN_MONTHS,
  FUNNEL_STAGES,
  MAX_PLACEMENT_WITHIN_MONTHS,
  type FunnelCounts,
  type FunnelStage,
} from './people';
import { protectedCells, type SeriesSpan } from './series';
import {
  rate,
  totalOfShown,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/** One stage of the funnel: its people, and what share of the stage before (its base) they are. */
export interface FunnelStageCount {
  stage: FunnelStage;
  /** The stage whose people this one is counted among; null for ENROLLED (the cohort itself). */
  base: FunnelStage | null;
  count: OutcomeCount;
  /** count ÷ base's count, in [0, 1]; null for ENROLLED, or when either is partial or 0. */
  rate: number | null;
}

/** The conversion funnel of one cohort of people, as a caller sees it. */
export interface OutcomeFunnel {
  placementWithinMonths: number;
  stages: FunnelStageCount[];
  enrolled: OutcomeCount;
  completed: OutcomeCount;
  certified: OutcomeCount;
  placed: OutcomeCount;
  completionRate: number | null;
  certificationRate: number | null;
  placementRate: number | null;
}

/**
 * `placementWithinMonths` as given, or the default (6).
 *
 * @throws InvalidInputError when it is not a whole number of months from 1 to 60
 */
export function placementWindow(months: number | null | undefined): number {
  const value = months ?? DEFAULT_PLACEMENT_WITHIN_MONTHS;
  if (
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_PLACEMENT_WITHIN_MONTHS
  )
    throw new InvalidInputError(
      'placementWithinMonths',
      `placementWithinMonths must be a whole number of months from 1 to ${MAX_PLACEMENT_WITHIN_MONTHS}`,
    );
  return value;
}

const CASCADED: OutcomeCount = {
  value: null,
  suppressed: 'COMPLEMENTARY',
  partial: false,
};

/**
 * The released cell of each stage per period of `span.rows`: protected like
 * every count (withheld from 1 to threshold − 1, complemented per row,
 * rounded), and withheld (COMPLEMENTARY) whenever the stage before withholds
 * the same period, so shown stages never grow from one to the next. Pure.
 */
export function funnelCells(
  counts: FunnelCounts,
  span: SeriesSpan,
  policy: DisclosurePolicy,
): Record<FunnelStage, Map<string, OutcomeCount>> {
  let previous: Map<string, OutcomeCount> | null = null;
  const all = {} as Record<FunnelStage, Map<string, OutcomeCount>>;
  for (const stage of FUNNEL_STAGES) {
    const cells = protectedCells(counts[stage], span, policy);
    if (previous)
      for (const [label, cell] of previous)
        if (cell.value === null && cells.get(label)?.value !== null)
          cells.set(label, CASCADED);
    all[stage] = cells;
    previous = cells;
  }
  return all;
}

/**
 * The funnel over the span: the cohort is the people whose first enrollment
 * in the filter's scope falls in the span (`funnelCounts`), and each later
 * stage counts those of them who reached it, so every rate is a conversion
 * of the same people and lies in [0, 1].
 *
 * Suppression as for every total (README, Suppression): each stage's cells
 * per period are protected over whole rows (withheld from 1 to threshold − 1,
 * complemented, rounded), and the stage's total is the sum of the cells shown
 * (partial when some are withheld). On top, a stage's cell is withheld
 * whenever the stage before withholds the same period (COMPLEMENTARY): a
 * stage is a subset of the one before in every period, rounding keeps that
 * order, so the totals shown never grow from one stage to the next, and a
 * rate is null when either of its totals is partial. Pure.
 */
export function cohortFunnel(
  counts: FunnelCounts,
  span: SeriesSpan,
  policy: DisclosurePolicy,
  placementWithinMonths: number,
): OutcomeFunnel {
  const cells = funnelCells(counts, span, policy);
  const totals = {} as Record<FunnelStage, OutcomeCount>;
  for (const stage of FUNNEL_STAGES)
    totals[stage] = totalOfShown(
      span.periods.map(({ label }) => cells[stage].get(label)!),
    );
  const stages = FUNNEL_STAGES.map((stage, i): FunnelStageCount => {
    const base = i === 0 ? null : FUNNEL_STAGES[i - 1]!;
    return {
      stage,
      base,
      count: totals[stage],
      rate: base ? rate(totals[stage], totals[base]) : null,
    };
  });
  return {
    placementWithinMonths,
    stages,
    enrolled: totals.ENROLLED,
    completed: totals.COMPLETED,
    certified: totals.CERTIFIED,
    placed: totals.PLACED,
    completionRate: stages[1]!.rate,
    certificationRate: stages[2]!.rate,
    placementRate: stages[3]!.rate,
  };
}
