import {
  disclose,
  protectRow,
  rate,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/** Counters of one cohort, from training's enrollment events. */
export interface CohortCounters {
  enrolled: number;
  completed: number;
  dropped: number;
}

/** What a caller sees of a cohort's outcomes. */
export interface CohortOutcomes {
  enrolled: OutcomeCount;
  completed: OutcomeCount;
  dropped: OutcomeCount;
  completionRate: number | null;
}

/**
 * A cohort's outcomes with small counts withheld per `policy`. Enrolled is the
 * total of a row — completed, dropped and still in training (not shown) — so
 * the row is protected together: when exactly one of the three is withheld,
 * the smallest other is too, and enrolled minus the parts shown never gives a
 * withheld one. The completion rate is of the shown (rounded) counts.
 */
export function cohortOutcomes(
  counters: CohortCounters,
  policy: DisclosurePolicy,
): CohortOutcomes {
  const enrolled = disclose(counters.enrolled, policy);
  const inTraining = Math.max(
    0,
    counters.enrolled - counters.completed - counters.dropped,
  );
  const [completed, dropped] = protectRow(
    [counters.completed, counters.dropped, inTraining],
    policy,
  ) as [OutcomeCount, OutcomeCount, OutcomeCount];
  return {
    enrolled,
    completed,
    dropped,
    completionRate: rate(completed, enrolled),
  };
}
