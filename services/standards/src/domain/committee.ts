import { ConflictError } from '@conecta/service-kit/errors';

/**
 * What standards knows about a committee: a local projection of the
 * committees service's events (CommitteeInstalled, CommitteeDissolved,
 * CommitteeMembersChanged), so its rules never call another service.
 */
export interface CommitteeView {
  id: string;
  name: string;
  sectorId: string;
  status: 'INSTALLED' | 'DISSOLVED';
  /** Organizations of its members: the callers who see its drafts. */
  memberOrganizationIds: string[];
}

/**
 * Asserts a committee may own a draft of `sectorId`: known, INSTALLED, and of
 * the same sector.
 *
 * @throws ConflictError `COMMITTEE_NOT_INSTALLED` (unknown, only proposed, or
 *   dissolved) or `SECTOR_MISMATCH`
 */
export function assertCanOwnDraft(
  committee: CommitteeView | null,
  sectorId: string,
): asserts committee is CommitteeView {
  if (!committee || committee.status !== 'INSTALLED') {
    throw new ConflictError(
      'COMMITTEE_NOT_INSTALLED',
      'Only an installed committee may own a draft standard',
      'input.committeeId',
    );
  }
  if (committee.sectorId !== sectorId) {
    throw new ConflictError(
      'SECTOR_MISMATCH',
      "The standard's sector must be its committee's sector",
      'input.sectorId',
    );
  }
}
