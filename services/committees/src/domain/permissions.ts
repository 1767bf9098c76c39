import type { Identity, Role } from '@conecta/service-kit';
import { ForbiddenError } from '@conecta/service-kit/errors';
import type { Committee } from './committee';

/** Who may change the directory and the catalog (README: Decisions). */
export const CAN_REGISTER_ORGANIZATION: readonly Role[] = [
  'admin',
  'broker',
  'committee_member',
];
export const CAN_REGISTER_SECTOR: readonly Role[] = ['admin'];

/**
 * Proposing a committee and managing its members, experts, chair and agenda:
 * `admin`, or `committee_member` acting for an organization of the committee
 * (see {@link actsForCommittee}).
 */
export const CAN_MANAGE_COMMITTEE: readonly Role[] = [
  'admin',
  'committee_member',
];

/** Installing and dissolving: `admin` and the technical `council` (oversight, not the committee itself). */
export const CAN_INSTALL_OR_DISSOLVE: readonly Role[] = ['admin', 'council'];

/** Nominating certifiers: `admin`, or `committee_member` acting for a member organization. */
export const CAN_NOMINATE: readonly Role[] = ['admin', 'committee_member'];

const isAdmin = (identity: Identity) => identity.roles.includes('admin');

/**
 * Organizations that act for a committee: its members, plus the organization
 * that proposed it (so a proposal can be staffed before it has members).
 */
export function committeeOrganizations(committee: Committee): Set<string> {
  const ids = new Set(committee.members.map((m) => m.organizationId));
  if (committee.proposedByOrganizationId) {
    ids.add(committee.proposedByOrganizationId);
  }
  return ids;
}

/** Whether the caller is admin or a committee_member acting for one of the committee's organizations. */
export function actsForCommittee(
  identity: Identity,
  committee: Committee,
): boolean {
  if (isAdmin(identity)) return true;
  return (
    identity.roles.includes('committee_member') &&
    identity.organizationId !== undefined &&
    committeeOrganizations(committee).has(identity.organizationId)
  );
}

/** @throws ForbiddenError `NOT_ACTING_FOR_COMMITTEE` unless {@link actsForCommittee}. */
export function assertActsForCommittee(
  identity: Identity,
  committee: Committee,
): void {
  if (!actsForCommittee(identity, committee)) {
    throw new ForbiddenError(
      'Only an admin, or a committee member acting for one of its organizations, may change this committee',
      'NOT_ACTING_FOR_COMMITTEE',
    );
  }
}

/** @throws ForbiddenError `NOT_A_MEMBER_ORGANIZATION` unless admin or acting for a MEMBER organization. */
export function assertMayNominate(
  identity: Identity,
  committee: Committee,
): void {
  if (isAdmin(identity)) return;
  const member =
    identity.organizationId !== undefined &&
    committee.members.some((m) => m.organizationId === identity.organizationId);
  if (!member || !identity.roles.includes('committee_member')) {
    throw new ForbiddenError(
      'Only an admin, or a committee member acting for a member organization, nominates for this committee',
      'NOT_A_MEMBER_ORGANIZATION',
    );
  }
}

/**
 * Attesting a decision maker is the member organization's own statement: an
 * admin, or a committee_member acting for THAT organization.
 */
export function assertMayAttestFor(
  identity: Identity,
  organizationId: string,
): void {
  if (isAdmin(identity)) return;
  if (
    !identity.roles.includes('committee_member') ||
    identity.organizationId !== organizationId
  ) {
    throw new ForbiddenError(
      'A decision-maker attestation is made by the member organization itself (or an admin)',
      'ATTESTATION_BY_ANOTHER_ORGANIZATION',
    );
  }
}

/**
 * Adding a member: acting for the committee (see {@link assertActsForCommittee})
 * and, when the new member is attested as decision maker on joining, acting
 * for THAT organization (see {@link assertMayAttestFor}).
 */
export function assertMayAddMember(
  identity: Identity,
  committee: Committee,
  member: { organizationId: string; decisionMakerRole?: unknown },
): void {
  assertActsForCommittee(identity, committee);
  if (member.decisionMakerRole) {
    assertMayAttestFor(identity, member.organizationId);
  }
}

/**
 * The proposing organization: an admin may act for one or none; a
 * committee_member must act for an organization (it becomes the proposer).
 */
export function proposerOf(identity: Identity): string | null {
  if (identity.organizationId) return identity.organizationId;
  if (isAdmin(identity)) return null;
  throw new ForbiddenError(
    'A committee member proposes a committee on behalf of an organization: none was given',
    'ORGANIZATION_REQUIRED',
  );
}
