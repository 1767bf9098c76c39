import type { StandardStatus } from './lifecycle';
import type { CompetencyStandard } from './standard';

/** The stages a standard passes through before publication, in order. */
export const STAGES = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'IN_COUNCIL_VOTE',
  'APPROVED',
] as const satisfies readonly StandardStatus[];
export type Stage = (typeof STAGES)[number];

/** How long a committee's standards stayed in one stage. */
export interface StageTime {
  status: Stage;
  /** Stays that ended (the standard moved on). */
  completedStays: number;
  /** Average days of the completed stays; null with none. */
  averageDays: number | null;
  /** Longest completed stay, days; null with none. */
  maxDays: number | null;
  /** Standards in this stage now. */
  inStageNow: number;
}

/** A committee's time-in-stage and publication-delay figures. */
export interface CommitteeFigures {
  stages: StageTime[];
  /** Versions published (PUBLISHED, WITHDRAWN or SUPERSEDED: they were published). */
  published: number;
  /** Average days from drafting a version to its gazette date; null with none. */
  averageDaysDraftToGazette: number | null;
  /**
   * Average days from the council's approval to the gazette date: the
   * publication delay proper. Null with none (versions approved before the
   * stage history was recorded have no approval time).
   */
  averageDaysApprovalToGazette: number | null;
}

const DAY_MS = 86_400_000;

/** Days between two instants, to one decimal (figures, not accounting). */
const days = (from: Date, to: Date) =>
  Math.round(((to.getTime() - from.getTime()) / DAY_MS) * 10) / 10;

const average = (values: number[]) =>
  values.length === 0
    ? null
    : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;

const gazetteInstant = (date: string) => new Date(`${date}T00:00:00.000Z`);

/**
 * The stays a standard made, from its stage history: each entry lasts until
 * the next one. Versions drafted before the history was recorded have none.
 */
function stays(standard: CompetencyStandard) {
  const history = standard.stageHistory ?? [];
  return history.map((entry, i) => ({
    status: entry.status,
    from: entry.at,
    to: history[i + 1]?.at,
  }));
}

/**
 * Time-in-stage and publication-delay figures over a committee's standards
 * (the caller passes those it may see). Stays still open count in
 * `inStageNow`, not in the averages.
 */
export function committeeFigures(
  standards: readonly CompetencyStandard[],
): CommitteeFigures {
  const all = standards.flatMap(stays);
  const stages = STAGES.map((status): StageTime => {
    const completed = all
      .filter((s) => s.status === status && s.to)
      .map((s) => days(s.from, s.to!));
    return {
      status,
      completedStays: completed.length,
      averageDays: average(completed),
      maxDays: completed.length > 0 ? Math.max(...completed) : null,
      inStageNow: standards.filter((s) => s.status === status).length,
    };
  });
  const published = standards.filter((s) => s.gazette);
  const approvalToGazette = published.flatMap((s) => {
    const approved = s.stageHistory?.find((e) => e.status === 'APPROVED');
    return approved ? [days(approved.at, gazetteInstant(s.gazette!.date))] : [];
  });
  return {
    stages,
    published: published.length,
    averageDaysDraftToGazette: average(
      published.map((s) => days(s.draftedAt, gazetteInstant(s.gazette!.date))),
    ),
    averageDaysApprovalToGazette: average(approvalToGazette),
  };
}
