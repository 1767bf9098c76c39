import { v7 as uuidv7 } from 'uuid';
import type { Identity } from '@conecta/service-kit';
import {
  actsForCommittee,
  assertActsForCommittee,
  assertMayAddMember,
  assertMayAttestFor,
  assertMayNominate,
  proposerOf,
} from '../../src/domain/permissions';
import { committeeMother } from '../fixtures/mothers';

const as = (identity: Partial<Identity>): Identity => ({
  roles: [],
  issuedAt: Date.now(),
  subject: 'user-1',
  ...identity,
});
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'allowed';
};

describe('who acts for a committee', () => {
  const committee = committeeMother.installable();
  const memberOrg = committee.members[1]!.organizationId;

  it('lets admins and committee members of its organizations (members and proposer) manage it', () => {
    expect(actsForCommittee(as({ roles: ['admin'] }), committee)).toBe(true);
    expect(
      actsForCommittee(
        as({ roles: ['committee_member'], organizationId: memberOrg }),
        committee,
      ),
    ).toBe(true);
    expect(
      actsForCommittee(
        as({
          roles: ['committee_member'],
          organizationId: committee.proposedByOrganizationId!,
        }),
        committee,
      ),
    ).toBe(true);
  });

  it('refuses a committee member of another organization, and a member organization without the role', () => {
    expect(
      reasonOf(() =>
        assertActsForCommittee(
          as({ roles: ['committee_member'], organizationId: uuidv7() }),
          committee,
        ),
      ),
    ).toBe('NOT_ACTING_FOR_COMMITTEE');
    expect(
      reasonOf(() =>
        assertActsForCommittee(
          as({ roles: ['partner'], organizationId: memberOrg }),
          committee,
        ),
      ),
    ).toBe('NOT_ACTING_FOR_COMMITTEE');
  });

  it('lets only members (not the proposer alone) nominate', () => {
    expect(
      reasonOf(() =>
        assertMayNominate(
          as({ roles: ['committee_member'], organizationId: memberOrg }),
          committee,
        ),
      ),
    ).toBe('allowed');
    expect(
      reasonOf(() =>
        assertMayNominate(
          as({
            roles: ['committee_member'],
            organizationId: committee.proposedByOrganizationId!,
          }),
          committee,
        ),
      ),
    ).toBe('NOT_A_MEMBER_ORGANIZATION');
  });

  it('lets an organization attest only its own representative', () => {
    const org = uuidv7();
    expect(
      reasonOf(() =>
        assertMayAttestFor(
          as({ roles: ['committee_member'], organizationId: org }),
          org,
        ),
      ),
    ).toBe('allowed');
    expect(
      reasonOf(() =>
        assertMayAttestFor(
          as({ roles: ['committee_member'], organizationId: uuidv7() }),
          org,
        ),
      ),
    ).toBe('ATTESTATION_BY_ANOTHER_ORGANIZATION');
    expect(
      reasonOf(() => assertMayAttestFor(as({ roles: ['admin'] }), org)),
    ).toBe('allowed');
  });

  it('lets a member of the committee add another organization, attested only by that organization itself', () => {
    const newcomer = uuidv7();
    const member = as({
      roles: ['committee_member'],
      organizationId: memberOrg,
    });
    expect(
      reasonOf(() =>
        assertMayAddMember(member, committee, { organizationId: newcomer }),
      ),
    ).toBe('allowed');
    expect(
      reasonOf(() =>
        assertMayAddMember(member, committee, {
          organizationId: newcomer,
          decisionMakerRole: 'DIRECTOR',
        }),
      ),
    ).toBe('ATTESTATION_BY_ANOTHER_ORGANIZATION');
    expect(
      reasonOf(() =>
        assertMayAddMember(
          as({ roles: ['committee_member'], organizationId: newcomer }),
          committee,
          { organizationId: newcomer, decisionMakerRole: 'DIRECTOR' },
        ),
      ),
    ).toBe('NOT_ACTING_FOR_COMMITTEE');
  });

  it('makes the caller’s organization the proposer; a committee member must have one', () => {
    const org = uuidv7();
    expect(
      proposerOf(as({ roles: ['committee_member'], organizationId: org })),
    ).toBe(org);
    expect(proposerOf(as({ roles: ['admin'] }))).toBeNull();
    expect(
      reasonOf(() => proposerOf(as({ roles: ['committee_member'] }))),
    ).toBe('ORGANIZATION_REQUIRED');
  });
});
