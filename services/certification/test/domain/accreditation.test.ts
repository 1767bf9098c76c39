import {
  activateAccreditation,
  revokeAccreditation,
  suspendAccreditation,
} from '../../src/domain/accreditation';
import {
  accreditationMother,
  nominationMother,
  procedureMother,
  standardMother,
} from '../fixtures/mothers';

const now = new Date('2026-02-10T00:00:00.000Z');
const approved = procedureMother.approved();
const standard = standardMother.published({ id: 'standard-1' });
const threeIncludingUs = nominationMother.for(standard, [
  'org-udg',
  'org-2',
  'org-3',
]);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
}

describe('activating an accreditation', () => {
  it('activates when the standard is PUBLISHED and its committee nominated this body and two others', () => {
    const active = activateAccreditation(
      accreditationMother.pending(),
      standard,
      threeIncludingUs,
      approved,
      now,
    );
    expect(active).toMatchObject({ status: 'ACTIVE', activatedAt: now });
  });

  it('refuses for a standard that is not PUBLISHED (or unknown)', () => {
    for (const s of [
      null,
      standardMother.published({ id: 'standard-1', status: 'WITHDRAWN' }),
    ]) {
      expect(
        codeOf(() =>
          activateAccreditation(
            accreditationMother.pending(),
            s,
            threeIncludingUs,
            approved,
            now,
          ),
        ),
      ).toBe('STANDARD_NOT_PUBLISHED');
    }
  });

  it('refuses when this body was not nominated, however many others were', () => {
    expect(
      codeOf(() =>
        activateAccreditation(
          accreditationMother.pending(),
          standard,
          nominationMother.for(standard, ['org-2', 'org-3', 'org-4']),
          approved,
          now,
        ),
      ),
    ).toBe('BODY_NOT_NOMINATED');
  });

  it('refuses with fewer than three nominated certifiers (anti-collusion)', () => {
    expect(
      codeOf(() =>
        activateAccreditation(
          accreditationMother.pending(),
          standard,
          nominationMother.for(standard, ['org-udg', 'org-2', 'org-2']),
          approved,
          now,
        ),
      ),
    ).toBe('INSUFFICIENT_NOMINATIONS');
  });

  it('does not count nominations by another committee', () => {
    const foreign = nominationMother
      .for(standard, ['org-3'])
      .map((n) => ({ ...n, committeeId: 'other-committee' }));
    expect(
      codeOf(() =>
        activateAccreditation(
          accreditationMother.pending(),
          standard,
          [...nominationMother.for(standard, ['org-udg', 'org-2']), ...foreign],
          approved,
          now,
        ),
      ),
    ).toBe('INSUFFICIENT_NOMINATIONS');
  });
});

describe('the accreditation lifecycle', () => {
  it('suspends an ACTIVE accreditation and reactivates it with the same checks', () => {
    const suspended = suspendAccreditation(
      accreditationMother.active(),
      'Auditoría pendiente',
      now,
    );
    expect(suspended).toMatchObject({
      status: 'SUSPENDED',
      reason: 'Auditoría pendiente',
    });
    expect(
      activateAccreditation(
        suspended,
        standard,
        threeIncludingUs,
        approved,
        now,
      ).status,
    ).toBe('ACTIVE');
  });

  it('refuses to suspend a PENDING one and to change a REVOKED one', () => {
    expect(
      codeOf(() =>
        suspendAccreditation(accreditationMother.pending(), 'x', now),
      ),
    ).toBe('ACCREDITATION_TRANSITION_NOT_ALLOWED');
    const revoked = revokeAccreditation(
      accreditationMother.active(),
      'Fraude comprobado',
      now,
    );
    expect(
      codeOf(() =>
        activateAccreditation(
          revoked,
          standard,
          threeIncludingUs,
          approved,
          now,
        ),
      ),
    ).toBe('ACCREDITATION_TRANSITION_NOT_ALLOWED');
    expect(codeOf(() => revokeAccreditation(revoked, 'otra', now))).toBe(
      'ACCREDITATION_TRANSITION_NOT_ALLOWED',
    );
  });
});
