import {
  ForbiddenError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';
import type { Identity, Role } from '@conecta/service-kit';
import type { CommitteeView } from './committee';
import { PUBLIC_STATUSES, type StandardStatus } from './lifecycle';

/** Staff who see every standard in any status (README: Decisions). */
export const STAFF_ROLES: readonly Role[] = ['admin', 'council'];
/** Who runs the methodology review. */
export const REVIEWER_ROLES: readonly Role[] = ['council', 'admin'];
/** Who votes in the technical council. */
export const VOTER_ROLES: readonly Role[] = ['council'];
/** Who appoints the holders of council seats. */
export const SEAT_APPOINTER_ROLES: readonly Role[] = ['admin'];
/** Who records gazette publications and withdrawals. */
export const PUBLISHER_ROLES: readonly Role[] = ['admin'];

function hasAny(identity: Identity, roles: readonly Role[]): boolean {
  return identity.roles.some((role) => roles.includes(role));
}

/** Whether the caller's organization sits on the committee. */
export function isCommitteeMember(
  identity: Identity,
  committee: CommitteeView | null,
): boolean {
  return (
    identity.organizationId !== undefined &&
    committee !== null &&
    committee.memberOrganizationIds.includes(identity.organizationId)
  );
}

/**
 * Whether the caller may see a standard: public statuses for everyone; the
 * others for staff and for members of the owning committee.
 */
export function canSeeStandard(
  identity: Identity,
  standard: { status: StandardStatus },
  committee: CommitteeView | null,
): boolean {
  return (
    PUBLIC_STATUSES.includes(standard.status) ||
    hasAny(identity, STAFF_ROLES) ||
    isCommitteeMember(identity, committee)
  );
}

/** Whether the caller sees every non-public standard (no per-committee filter needed). */
export function isStaff(identity: Identity): boolean {
  return hasAny(identity, STAFF_ROLES);
}

function refuse(identity: Identity, message: string): never {
  if (identity.subject === undefined && identity.organizationId === undefined)
    throw new UnauthenticatedError('Sign in to do this');
  throw new ForbiddenError(message);
}

/**
 * Drafting, editing, submitting and revising: an admin, or a committee_member
 * whose organization sits on the owning committee.
 *
 * @throws UnauthenticatedError for an anonymous caller, ForbiddenError otherwise
 */
export function assertCanWriteFor(
  identity: Identity,
  committee: CommitteeView | null,
): void {
  if (hasAny(identity, ['admin'])) return;
  if (
    hasAny(identity, ['committee_member']) &&
    isCommitteeMember(identity, committee)
  )
    return;
  refuse(
    identity,
    'Only members of the owning committee (role committee_member) or admins may write its standards',
  );
}

/**
 * Asserts the caller has one of `roles`.
 *
 * @throws UnauthenticatedError for an anonymous caller, ForbiddenError otherwise
 */
export function assertRole(identity: Identity, roles: readonly Role[]): void {
  if (hasAny(identity, roles)) return;
  refuse(identity, `Requires one of the roles: ${roles.join(', ')}`);
}

/**
 * Who casts a council vote: the signed-in person (identity subject), whose
 * seat is then checked (`assertHoldsSeat`).
 *
 * @throws UnauthenticatedError without a subject
 */
export function voterOf(identity: Identity): string {
  if (!identity.subject)
    throw new UnauthenticatedError(
      'A council vote must be cast by a signed-in person',
    );
  return identity.subject;
}
