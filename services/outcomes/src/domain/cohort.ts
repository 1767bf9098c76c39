import {
  disclose,
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

/** A cohort's outcomes with small counts withheld per `policy`. */
export function cohortOutcomes(
  counters: CohortCounters,
  policy: DisclosurePolicy,
): CohortOutcomes {
  const enrolled = disclose(counters.enrolled, policy);
  const completed = disclose(counters.completed, policy);
  return {
    enrolled,
    completed,
    dropped: disclose(counters.dropped, policy),
    completionRate: rate(completed, enrolled),
  };
}
