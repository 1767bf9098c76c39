import type { Identity, Role } from '@conecta/service-kit';

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
