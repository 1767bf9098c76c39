import { v7 as uuidv7 } from 'uuid';
import {
  nominateCertifier,
  nominateCertifierInput,
} from '../../src/domain/nomination';
import { committeeMother, standardMother } from '../fixtures/mothers';

const now = committeeMother.now;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('nominating a certifier', () => {
  it('nominates an organization for one of the committee’s own published standards', () => {
    const committee = committeeMother.installed();
    const standard = standardMother.published(committee.id);
    const organizationId = uuidv7();
    const nomination = nominateCertifier(
      committee,
      standard,
      { committeeId: committee.id, standardId: standard.id, organizationId },
      { id: 'n-1', now, sequence: 3 },
    );
    expect(nomination).toEqual({
      id: 'n-1',
      committeeId: committee.id,
      standardId: standard.id,
      organizationId,
      sequence: 3,
      nominatedAt: now,
    });
  });

  it('refuses a standard of another committee', () => {
    const committee = committeeMother.installed();
    const standard = standardMother.published(uuidv7());
    expect(
      codeOf(() =>
        nominateCertifier(
          committee,
          standard,
          {
            committeeId: committee.id,
            standardId: standard.id,
            organizationId: uuidv7(),
          },
          { id: 'n', now, sequence: 1 },
        ),
      ),
    ).toBe('STANDARD_OF_ANOTHER_COMMITTEE');
  });

  it.each(['WITHDRAWN', 'SUPERSEDED'] as const)(
    'refuses a %s standard',
    (status) => {
      const committee = committeeMother.installed();
      const standard = standardMother.published(committee.id, { status });
      expect(
        codeOf(() =>
          nominateCertifier(
            committee,
            standard,
            {
              committeeId: committee.id,
              standardId: standard.id,
              organizationId: uuidv7(),
            },
            { id: 'n', now, sequence: 1 },
          ),
        ),
      ).toBe('STANDARD_NOT_PUBLISHED');
    },
  );

  it('refuses a standard whose publication was never seen', () => {
    const committee = committeeMother.installed();
    expect(
      codeOf(() =>
        nominateCertifier(
          committee,
          null,
          {
            committeeId: committee.id,
            standardId: uuidv7(),
            organizationId: uuidv7(),
          },
          { id: 'n', now, sequence: 1 },
        ),
      ),
    ).toBe('STANDARD_NOT_PUBLISHED');
  });

  it('is refused to a committee that is not INSTALLED', () => {
    for (const [committee, code] of [
      [committeeMother.proposed(), 'COMMITTEE_NOT_INSTALLED'],
      [committeeMother.dissolved(), 'COMMITTEE_DISSOLVED'],
    ] as const) {
      const standard = standardMother.published(committee.id);
      expect(
        codeOf(() =>
          nominateCertifier(
            committee,
            standard,
            {
              committeeId: committee.id,
              standardId: standard.id,
              organizationId: uuidv7(),
            },
            { id: 'n', now, sequence: 1 },
          ),
        ),
      ).toBe(code);
    }
  });

  it('validates the ids it is given', () => {
    const result = nominateCertifierInput.safeParse({
      committeeId: 'x',
      standardId: uuidv7(),
    });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'committeeId',
      'organizationId',
    ]);
  });
});
