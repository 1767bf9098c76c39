import { z } from 'zod';
import type { CompetencyStandard } from './standard';

/**
 * Where a published standard is in its periodic review: CURRENT until its
 * review date, REVIEW_DUE from that day on (it stays PUBLISHED and
 * certifiable; the flag asks its committee and the council to revise it).
 */
export const PERIODIC_REVIEW_STATUSES = ['CURRENT', 'REVIEW_DUE'] as const;
export type PeriodicReviewStatus = (typeof PERIODIC_REVIEW_STATUSES)[number];

/**
 * The day a published standard's review falls due: its gazette date plus
 * `reviewIntervalYears`, at 00:00 UTC. The gazette date, not the moment
 * Conecta recorded the publication: the official clock starts with the
 * gazette (a standard recorded late is not reviewed late). A 29 February
 * publication falls due on 1 March. Null unless PUBLISHED: a draft, a vote,
 * a withdrawn or superseded version has no review to fall due.
 */
export function reviewDueAt(standard: CompetencyStandard): Date | null {
  if (standard.status !== 'PUBLISHED' || !standard.gazette) return null;
  const due = new Date(`${standard.gazette.date}T00:00:00.000Z`);
  due.setUTCFullYear(
    due.getUTCFullYear() + standard.validity.reviewIntervalYears,
  );
  return due;
}

/** CURRENT or REVIEW_DUE at `now`; null unless PUBLISHED. */
export function periodicReviewStatus(
  standard: CompetencyStandard,
  now: Date,
): PeriodicReviewStatus | null {
  const due = reviewDueAt(standard);
  if (!due) return null;
  return now.getTime() >= due.getTime() ? 'REVIEW_DUE' : 'CURRENT';
}

/**
 * The standards whose review is due at `now`, the longest overdue first (ties
 * by code).
 */
export function dueForReview(
  standards: readonly CompetencyStandard[],
  now: Date,
): CompetencyStandard[] {
  return standards
    .filter((s) => periodicReviewStatus(s, now) === 'REVIEW_DUE')
    .map((s) => ({ standard: s, due: reviewDueAt(s)!.getTime() }))
    .sort(
      (a, b) => a.due - b.due || a.standard.code.localeCompare(b.standard.code),
    )
    .map(({ standard }) => standard);
}

/**
 * Whether `StandardReviewDue` is still to be announced for this standard: its
 * review is due and this due date was not announced yet (a standard is
 * announced once; a new due date, after an edit of the interval in a
 * revision, is another version and so another announcement).
 */
export function reviewDueToAnnounce(
  standard: CompetencyStandard,
  now: Date,
): boolean {
  if (periodicReviewStatus(standard, now) !== 'REVIEW_DUE') return false;
  return standard.reviewDueAnnounced !== reviewDueAt(standard)!.toISOString();
}

/**
 * The standard with its due date recorded as announced. Its content,
 * status and `updatedAt` stay: only the concurrency counter moves, so the
 * write is conditional like every other.
 */
export function markReviewDueAnnounced(
  standard: CompetencyStandard,
): CompetencyStandard {
  const due = reviewDueAt(standard);
  if (!due) throw new Error('markReviewDueAnnounced: not PUBLISHED');
  return {
    ...standard,
    reviewDueAnnounced: due.toISOString(),
    revision: standard.revision + 1,
  };
}

/** Arguments of `standardsDueForReview`. */
export const dueForReviewArgs = z.object({
  committeeId: z.string().trim().min(1).max(100).nullish(),
});
