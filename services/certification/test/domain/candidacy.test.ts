import type { Identity } from '@conecta/service-kit';
import {
  canReadAccessLog,
  canSeeCandidate,
  canSeeRegisteredPerson,
  personalDataReader,
  requireCandidate,
} from '../../src/domain/access';
import { logEntriesFor, type FieldRead } from '../../src/domain/access-log';
import {
  acceptCandidacy,
  declineCandidacy,
  personOfReference,
  registerCandidacy,
  relationshipOpen,
} from '../../src/domain/candidacy';
import { bodyMother, candidacyMother } from '../fixtures/mothers';

const now = new Date('2026-09-01T00:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const staff: Identity = {
  subject: 'evaluator-1',
  roles: ['certifier'],
  organizationId: 'org-udg',
  issuedAt: 0,
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
}

describe('a candidacy', () => {
  it('is accepted or declined once, from PROPOSED only', () => {
    const proposed = candidacyMother.proposed();
    expect(acceptCandidacy(proposed, now)).toMatchObject({
      status: 'ACCEPTED',
      openedBy: 'PERSON_ACCEPTED',
      acceptedBy: 'person-1',
      acceptedAt: now,
    });
    const declined = declineCandidacy(proposed, now);
    expect(declined).toMatchObject({ status: 'DECLINED', declinedAt: now });
    expect(codeOf(() => acceptCandidacy(declined, now))).toBe(
      'CANDIDACY_TRANSITION_NOT_ALLOWED',
    );
    expect(
      codeOf(() => declineCandidacy(acceptCandidacy(proposed, now), now)),
    ).toBe('CANDIDACY_TRANSITION_NOT_ALLOWED');
  });

  it('registered by an admin is ACCEPTED at once, opened by the admin', () => {
    expect(
      registerCandidacy(
        {
          personId: 'person-1',
          certifyingBodyId: 'body-1',
          standardId: 'standard-1',
        },
        { id: 'c-1', now, admin: 'admin-1' },
      ),
    ).toMatchObject({
      status: 'ACCEPTED',
      openedBy: 'ADMIN_REGISTERED',
      acceptedBy: 'admin-1',
      proposedBy: 'admin-1',
    });
  });

  it('is answered by the person only', () => {
    const candidacy = candidacyMother.proposed();
    expect(() =>
      requireCandidate({ ...staff, subject: 'person-1' }, candidacy),
    ).not.toThrow();
    expect(codeOf(() => requireCandidate(staff, candidacy))).toBe(
      'NOT_CANDIDATE',
    );
    expect(
      codeOf(() =>
        requireCandidate(
          { subject: 'admin-1', roles: ['admin'], issuedAt: 0 },
          candidacy,
        ),
      ),
    ).toBe('NOT_CANDIDATE');
  });

  it('shows the candidate to the body’s staff only once ACCEPTED', () => {
    const body = bodyMother.university({ id: 'body-1' });
    expect(canSeeCandidate(staff, candidacyMother.proposed(), body)).toBe(
      false,
    );
    expect(canSeeCandidate(staff, candidacyMother.accepted(), body)).toBe(true);
    expect(
      canSeeCandidate(
        { ...staff, organizationId: 'org-other' },
        candidacyMother.accepted(),
        body,
      ),
    ).toBe(false);
    expect(
      canSeeCandidate(
        { subject: 'person-1', roles: ['public'], issuedAt: 0 },
        candidacyMother.proposed(),
        body,
      ),
    ).toBe(true);
  });
});

describe('a person reference', () => {
  const body = { organizationId: 'org-udg' };
  it('names its person only for the organization it was given to', () => {
    expect(
      personOfReference(
        { personId: 'person-1', organizationId: 'org-udg' },
        body,
      ),
    ).toBe('person-1');
    for (const reference of [
      null,
      { personId: 'person-1', organizationId: 'org-other' },
      { personId: 'person-1', organizationId: null },
    ])
      expect(codeOf(() => personOfReference(reference, body))).toBe(
        'PERSON_REFERENCE_NOT_FOUND',
      );
  });

  it('comes with the person for admins only', () => {
    expect(
      canSeeRegisteredPerson({ roles: ['admin'], subject: 'a', issuedAt: 0 }),
    ).toBe(true);
    expect(canSeeRegisteredPerson(staff)).toBe(false);
  });
});

describe('a body’s relationship with a person', () => {
  const none = {
    acceptedAt: [],
    evaluationsRecordedAt: [],
    certificatesIssuedAt: [],
  };

  it('is open only with an accepted candidacy, whatever was recorded', () => {
    expect(
      relationshipOpen(
        { ...none, evaluationsRecordedAt: [daysAgo(1)] },
        now,
        180,
      ),
    ).toBe(false);
    expect(
      relationshipOpen({ ...none, acceptedAt: [daysAgo(1)] }, now, 180),
    ).toBe(true);
  });

  it('stays open `windowDays` after the acceptance, the last evaluation or the last certificate', () => {
    const old = { ...none, acceptedAt: [daysAgo(400)] };
    expect(relationshipOpen(old, now, 180)).toBe(false);
    expect(
      relationshipOpen(
        { ...old, evaluationsRecordedAt: [daysAgo(300), daysAgo(180)] },
        now,
        180,
      ),
    ).toBe(true);
    expect(
      relationshipOpen(
        { ...old, evaluationsRecordedAt: [daysAgo(181)] },
        now,
        180,
      ),
    ).toBe(false);
    expect(
      relationshipOpen(
        {
          ...old,
          evaluationsRecordedAt: [daysAgo(300)],
          certificatesIssuedAt: [daysAgo(20)],
        },
        now,
        180,
      ),
    ).toBe(true);
    expect(
      relationshipOpen(
        { ...old, certificatesIssuedAt: [daysAgo(20)] },
        now,
        10,
      ),
    ).toBe(false);
  });
});

describe('the access log', () => {
  it('is read by the person and admins; their own reads are not logged', () => {
    expect(
      canReadAccessLog({ ...staff, subject: 'person-1' }, 'person-1'),
    ).toBe(true);
    expect(
      canReadAccessLog({ roles: ['admin'], subject: 'a', issuedAt: 0 }, 'p'),
    ).toBe(true);
    expect(canReadAccessLog(staff, 'person-1')).toBe(false);
    expect(
      personalDataReader({ ...staff, subject: 'person-1' }, 'person-1'),
    ).toBe(null);
    expect(personalDataReader(staff, 'person-1')).toBe('BODY_STAFF');
    expect(
      personalDataReader({ roles: ['admin'], subject: 'a', issuedAt: 0 }, 'p'),
    ).toBe('ADMIN');
  });

  it('groups a request’s reads into one entry per person, fields sorted and once each', () => {
    const read = (personId: string, field: FieldRead['field']): FieldRead => ({
      personId,
      field,
      readerRole: 'BODY_STAFF',
      certifyingBodyId: 'body-1',
      operationName: 'Roster',
      rootField: '_entities',
    });
    let n = 0;
    const entries = logEntriesFor(
      [
        read('p-1', 'email'),
        read('p-1', 'curp'),
        read('p-2', 'curp'),
        read('p-1', 'curp'),
      ],
      {
        reader: { subject: 'evaluator-1', organizationId: 'org-udg' },
        requestId: 'req-1',
        now,
        newId: () => `log-${(n += 1)}`,
      },
    );
    expect(entries).toEqual([
      expect.objectContaining({
        id: 'log-1',
        personId: 'p-1',
        fields: ['curp', 'email'],
        readerSubject: 'evaluator-1',
        readerOrganizationId: 'org-udg',
        operationName: 'Roster',
        rootField: '_entities',
        requestId: 'req-1',
        readAt: now,
      }),
      expect.objectContaining({
        id: 'log-2',
        personId: 'p-2',
        fields: ['curp'],
      }),
    ]);
  });
});
