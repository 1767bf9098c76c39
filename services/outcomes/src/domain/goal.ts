import { isStateCode } from '@conecta/mexico';
import {
  InvalidInputError,
  type FieldProblem,
} from '@conecta/service-kit/errors';
import {
  disclose,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/** What a goal counts. */
export const GOAL_METRICS = [
  'CERTIFICATIONS',
  'TRAINED',
  'PLACEMENTS',
] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

/** A program target, e.g. "60,000 certifications by 2013-12-31", optionally for one state or sector. */
export interface ProgramGoal {
  id: string;
  name: string;
  metric: GoalMetric;
  target: number;
  /** First day counted (UTC midnight). */
  startsOn: Date;
  /** Last day to reach the target (UTC midnight). */
  deadline: Date;
  state: string | null;
  sectorId: string | null;
  createdAt: Date;
}

export interface GoalInput {
  name: string;
  metric: GoalMetric;
  target: number;
  startsOn: Date;
  deadline: Date;
  state?: string | null;
  sectorId?: string | null;
}

const DAY_MS = 86_400_000;

/**
 * A new goal, every bad field reported at once. A state scope applies to
 * placements only: certificates and enrollments carry no state.
 *
 * @throws InvalidInputError naming each bad field
 */
export function newGoal(id: string, input: GoalInput, now: Date): ProgramGoal {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200)
    problems.push({
      field: 'name',
      message: 'name must have 1 to 200 characters',
    });
  if (!Number.isSafeInteger(input.target) || input.target < 1)
    problems.push({
      field: 'target',
      message: 'target must be a whole number ≥ 1',
    });
  if (input.deadline.getTime() <= input.startsOn.getTime())
    problems.push({
      field: 'deadline',
      message: 'deadline must be after startsOn',
    });
  // Certifications and enrollments are counted from monthly totals, so a goal
  // of theirs spans whole calendar months: a mid-month start would count the
  // whole first month (README: Program goals). Placements count exact days.
  if (input.metric !== 'PLACEMENTS') {
    if (input.startsOn.getUTCDate() !== 1)
      problems.push({
        field: 'startsOn',
        message: `${input.metric} goals count whole calendar months: startsOn must be the first day of a month`,
      });
    if (new Date(input.deadline.getTime() + DAY_MS).getUTCDate() !== 1)
      problems.push({
        field: 'deadline',
        message: `${input.metric} goals count whole calendar months: deadline must be the last day of a month`,
      });
  }
  if (input.state && !isStateCode(input.state))
    problems.push({
      field: 'state',
      message: 'state must be an ISO 3166-2:MX code, e.g. MX-JAL',
    });
  else if (input.state && input.metric !== 'PLACEMENTS')
    problems.push({
      field: 'state',
      message:
        'only PLACEMENTS goals may be scoped to a state: certificates and enrollments carry no state',
    });
  if (problems.length > 0) throw InvalidInputError.fromProblems(problems);
  return {
    id,
    name,
    metric: input.metric,
    target: input.target,
    startsOn: input.startsOn,
    deadline: input.deadline,
    state: input.state ?? null,
    sectorId: input.sectorId ?? null,
    createdAt: now,
  };
}

/** Where a goal stands, as a caller sees it. */
export interface GoalProgress {
  asOf: Date;
  achieved: OutcomeCount;
  /** achieved ÷ target × 100, capped at 100; null when achieved is withheld. */
  percentage: number | null;
  /** Achieved per day since startsOn, up to asOf or the end of the deadline, whichever is first. */
  dailyRate: number | null;
  /** startsOn + target ÷ dailyRate; null with no progress yet or when withheld. */
  projectedCompletion: Date | null;
  /** Met, or projected to be met by the deadline at the run rate so far. */
  onTrack: boolean | null;
}

/**
 * Progress and a run-rate projection: at the pace since `startsOn`, the day the
 * target is reached. Before `startsOn` nothing is projected.
 */
export function goalProgress(
  goal: ProgramGoal,
  achieved: number,
  asOf: Date,
  policy: DisclosurePolicy,
): GoalProgress {
  const shown = disclose(achieved, policy);
  // Everything below is computed from what the caller sees: a percentage or a
  // rate of the exact count would give the rounded count away.
  if (shown.value === null)
    return {
      asOf,
      achieved: shown,
      percentage: null,
      dailyRate: null,
      projectedCompletion: null,
      onTrack: null,
    };
  const basis = shown.value;
  const percentage = Math.min(100, (basis / goal.target) * 100);
  // The count stops at the deadline (its whole day included), so the pace is
  // measured over the same days: after the deadline, over the goal's span.
  const countedUntil = Math.min(
    asOf.getTime(),
    goal.deadline.getTime() + DAY_MS,
  );
  const elapsedDays = (countedUntil - goal.startsOn.getTime()) / DAY_MS;
  if (elapsedDays <= 0)
    return {
      asOf,
      achieved: shown,
      percentage,
      dailyRate: null,
      projectedCompletion: null,
      onTrack: null,
    };
  const dailyRate = basis / elapsedDays;
  // Met is judged on the exact count: a rounded-up count never claims a target met.
  const met = achieved >= goal.target;
  const projectedCompletion =
    dailyRate > 0
      ? new Date(
          goal.startsOn.getTime() + Math.ceil(goal.target / dailyRate) * DAY_MS,
        )
      : null;
  return {
    asOf,
    achieved: shown,
    percentage,
    dailyRate,
    projectedCompletion,
    onTrack:
      met ||
      (projectedCompletion !== null &&
        projectedCompletion.getTime() <= goal.deadline.getTime()),
  };
}
