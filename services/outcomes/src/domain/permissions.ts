import type { Identity, Role } from '@conecta/service-kit';
import {
  ForbiddenError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';

// Who may change what in outcomes: the rules of its commands (the reads are
// in ./access.ts). Pure: the identity and the record in, a decision out.

/** Who sets program goals: admins and the council, which oversees the program. */
export const CAN_SET_PROGRAM_GOALS: readonly Role[] = ['admin', 'council'];

/** Who rebuilds the read models: operators (admins). */
export const CAN_REBUILD_READ_MODELS: readonly Role[] = ['admin'];

/** Who records placements and submits surveys for any employer: admins and brokers. */
export const CAN_ACT_FOR_ANY_EMPLOYER: readonly Role[] = ['admin', 'broker'];

/**
 * Whether the caller speaks for the employer `employerId` — records its
 * placements, submits its surveys: the employer itself (the gateway says it
 * acts for that organization), and brokers and admins for any employer.
 */
export function actsForEmployer(
  identity: Identity,
  employerId: string,
): boolean {
  return (
    identity.organizationId === employerId ||
    identity.roles.some((role) => CAN_ACT_FOR_ANY_EMPLOYER.includes(role))
  );
}

/** What a caller does for an employer, and who it is refused to (the refusal's message). */
export const EMPLOYER_ACTIONS = {
  recordPlacement: 'Only the employer, brokers and admins record placements',
  submitEmployerSurvey: 'Only the employer, brokers and admins submit surveys',
} as const;

/** One of {@link EMPLOYER_ACTIONS}. */
export type EmployerAction = keyof typeof EMPLOYER_ACTIONS;

/**
 * Refuses a caller who does not speak for the employer `employerId` (see
 * {@link actsForEmployer}): UNAUTHENTICATED when anonymous (sign in first),
 * else FORBIDDEN saying who may do `action` — the employer itself, brokers
 * and admins (Spanish in `messages.ts`).
 *
 * @throws UnauthenticatedError for an anonymous caller
 * @throws ForbiddenError for anyone else who does not speak for the employer
 */
export function assertActsForEmployer(
  identity: Identity,
  employerId: string,
  action: EmployerAction,
): void {
  if (actsForEmployer(identity, employerId)) return;
  if (identity.subject === undefined && identity.organizationId === undefined)
    throw new UnauthenticatedError('Sign in to do this');
  throw new ForbiddenError(EMPLOYER_ACTIONS[action]);
}
