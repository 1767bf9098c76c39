import { ConflictError, stateMachine } from '@conecta/service-kit/errors';

/** Every status of a competency standard (DESIGN §2 standards). */
export const STANDARD_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'IN_COUNCIL_VOTE',
  'APPROVED',
  'PUBLISHED',
  'REJECTED',
  'WITHDRAWN',
  'SUPERSEDED',
] as const;

export type StandardStatus = (typeof STANDARD_STATUSES)[number];

/**
 * The lifecycle as data: for each target status, the one status it may be
 * reached from. Every target has exactly one legal source, so a refused
 * transition names what the standard should have been:
 * `STANDARD_NOT_<SOURCE>` (e.g. returning to DRAFT needs IN_REVIEW →
 * `STANDARD_NOT_IN_REVIEW`).
 */
const SOURCE_OF: Readonly<Record<StandardStatus, StandardStatus | null>> = {
  // A new draft is created, never reached; a returned one comes from review.
  DRAFT: 'IN_REVIEW',
  SUBMITTED: 'DRAFT',
  IN_REVIEW: 'SUBMITTED',
  IN_COUNCIL_VOTE: 'IN_REVIEW',
  APPROVED: 'IN_COUNCIL_VOTE',
  REJECTED: 'IN_COUNCIL_VOTE',
  PUBLISHED: 'APPROVED',
  WITHDRAWN: 'PUBLISHED',
  SUPERSEDED: 'PUBLISHED',
};

/** Statuses anyone may see; the others only the owning committee and staff. */
export const PUBLIC_STATUSES: readonly StandardStatus[] = [
  'PUBLISHED',
  'WITHDRAWN',
  'SUPERSEDED',
];

/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly StandardStatus[] = [
  'REJECTED',
  'WITHDRAWN',
  'SUPERSEDED',
];

/** Statuses of a version still on its way to publication (a revision "in progress"). */
export const OPEN_STATUSES: readonly StandardStatus[] = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'IN_COUNCIL_VOTE',
  'APPROVED',
];

/** The stable code of the refusal to move a standard that is not in `status`. */
export function notInStatusCode(status: StandardStatus): string {
  return `STANDARD_NOT_${status}`;
}

/** The lifecycle as a table, from {@link SOURCE_OF}. */
export const STANDARD_LIFECYCLE = stateMachine<StandardStatus>(
  Object.fromEntries(
    STANDARD_STATUSES.map((from) => [
      from,
      STANDARD_STATUSES.filter((to) => SOURCE_OF[to] === from),
    ]),
  ) as Record<StandardStatus, StandardStatus[]>,
  (from, to) => {
    // Every status has a source (see SOURCE_OF); the fallback keeps the type honest.
    const required = SOURCE_OF[to] ?? from;
    return {
      code: notInStatusCode(required),
      message: `A standard in ${from} cannot become ${to}: it must be ${required}`,
    };
  },
);

/** Whether the lifecycle allows going from `from` to `to`. */
export function canTransition(
  from: StandardStatus,
  to: StandardStatus,
): boolean {
  return STANDARD_LIFECYCLE.can(from, to);
}

/**
 * Asserts the transition is legal.
 *
 * @throws ConflictError `STANDARD_NOT_<SOURCE>` naming the status required for `to`
 */
export function assertTransition(
  from: StandardStatus,
  to: StandardStatus,
): void {
  STANDARD_LIFECYCLE.assert(from, to);
}

/**
 * Asserts the standard is in `status` (for actions that keep the status, such
 * as editing a draft or casting a vote).
 *
 * @throws ConflictError `STANDARD_NOT_<STATUS>`
 */
export function assertStatus(
  actual: StandardStatus,
  status: StandardStatus,
): void {
  if (actual === status) return;
  throw new ConflictError(
    notInStatusCode(status),
    `The standard is ${actual}, not ${status}`,
  );
}
