import type { Identity, Role } from '@conecta/service-kit';

const hasRole = (identity: Identity, ...roles: Role[]): boolean =>
  identity.roles.some((r) => roles.includes(r));

// Who may read what in outcomes (issue 12). Aggregates are public (small
// counts suppressed, domain/suppression.ts); what concerns one person is not.
// Which rule guards which field: ./access-map.ts.

/**
 * A person's placements carry employers and salaries (personal data): the
 * person (identity.subject = person id), admins and brokers.
 */
export const canSeePlacements = (
  identity: Identity,
  personId: string,
): boolean =>
  identity.subject === personId || hasRole(identity, 'admin', 'broker');

/** The event consumer's lag and counters: operators (admins). */
export const canSeeConsumerStatus = (identity: Identity): boolean =>
  hasRole(identity, 'admin');

/**
 * Returns per funded project: a project is the broker's file (training shows
 * it to admins and brokers); the council, which oversees public funds, reads
 * their returns too. Everyone else reads returns per program.
 */
export const canSeeProjectReturns = (identity: Identity): boolean =>
  hasRole(identity, 'admin', 'broker', 'council');
