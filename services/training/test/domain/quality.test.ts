import {
  QUALITY_PRIOR_WEIGHT,
  certificationRecord,
  providerQualities,
  shrunkRate,
} from '../../src/domain/quality';
import type { CertificateFact } from '../../src/domain/indicators';
import {
  NOW,
  agreementMother,
  cohortMother,
  day,
  enrollmentMother,
} from '../fixtures/mothers';

describe('the provider quality score', () => {
  it('shrinks a rate toward the mean by m = 10 pseudo-completions', () => {
    expect(QUALITY_PRIOR_WEIGHT).toBe(10);
    // (1 + 10 × 0.8) / (1 + 10) = 9 / 11
    expect(shrunkRate({ certified: 1, completed: 1 }, 0.8)).toBeCloseTo(
      9 / 11,
      12,
    );
    // (80 + 8) / 110 = 0.8: a provider at the mean stays there
    expect(shrunkRate({ certified: 80, completed: 100 }, 0.8)).toBeCloseTo(
      0.8,
      12,
    );
    // no completer: the mean itself
    expect(shrunkRate({ certified: 0, completed: 0 }, 0.55)).toBe(0.55);
    // 10 completers: half its own record (0.2), half the mean (0.6) = 0.4
    expect(shrunkRate({ certified: 2, completed: 10 }, 0.6)).toBeCloseTo(
      0.4,
      12,
    );
  });

  it('refuses impossible records', () => {
    expect(() => shrunkRate({ certified: 3, completed: 2 }, 0.5)).toThrow(
      RangeError,
    );
    expect(() => shrunkRate({ certified: 0, completed: 1 }, 1.5)).toThrow(
      RangeError,
    );
    expect(() => shrunkRate({ certified: 0, completed: 1 }, 0.5, 0)).toThrow(
      RangeError,
    );
  });

  it('shrinks every provider toward the pooled rate of the providers compared', () => {
    const q = providerQualities(
      new Map([
        ['lucky', { certified: 1, completed: 1 }],
        ['steady', { certified: 80, completed: 100 }],
        ['new', { certified: 0, completed: 0 }],
      ]),
    );
    // pooled: 81 / 101 = 0.801 98…
    const prior = 81 / 101;
    expect(q.get('lucky')).toMatchObject({ rawRate: 1, prior });
    expect(q.get('lucky')?.score).toBeCloseTo((1 + 10 * prior) / 11, 12); // 0.819 98
    expect(q.get('steady')?.score).toBeCloseTo((80 + 10 * prior) / 110, 12); // 0.800 18
    expect(q.get('new')).toMatchObject({ rawRate: null, score: prior });
    expect(q.get('new')?.survey).toBeNull();
  });

  it('scores nobody when no provider compared has a completer', () => {
    const q = providerQualities(
      new Map([['a', { certified: 0, completed: 0 }]]),
    );
    expect(q.get('a')).toMatchObject({ score: null, prior: null });
  });
});

describe("a provider's certification record", () => {
  const standardId = 'std-1';
  const agreement = agreementMother.seventyOff({
    kind: 'STANDARD',
    id: standardId,
  });
  const cohort = cohortMother.scheduled(agreement, { status: 'COMPLETED' });
  const unmeasured = cohortMother.scheduled(agreement, { status: 'COMPLETED' });
  const cert = (
    personId: string,
    at: Date,
    revoked = false,
  ): CertificateFact => ({
    id: `c-${personId}-${at.getTime()}`,
    personId,
    standardId,
    issuedAt: at,
    revoked,
  });

  it('counts completers, and the certified among them, on the cohort’s standard after enrolling', () => {
    const done = (overrides = {}) =>
      enrollmentMother.enrolled(cohort, {
        status: 'COMPLETED',
        completedAt: day(40),
        ...overrides,
      });
    const certified = done();
    const certifiedBefore = done();
    const revoked = done();
    const notCertified = done();
    const stillEnrolled = enrollmentMother.enrolled(cohort);
    const dropped = enrollmentMother.enrolled(cohort, { status: 'DROPPED' });
    const elsewhere = enrollmentMother.enrolled(unmeasured, {
      status: 'COMPLETED',
    });
    const record = certificationRecord(
      [
        certified,
        certifiedBefore,
        revoked,
        notCertified,
        stillEnrolled,
        dropped,
        elsewhere,
      ],
      (id) => (id === cohort.id ? standardId : null),
      [
        cert(certified.personId, day(45)),
        cert(certifiedBefore.personId, day(-400, NOW)),
        cert(revoked.personId, day(45), true),
        cert(stillEnrolled.personId, day(45)),
        cert(elsewhere.personId, day(45)),
      ],
    );
    // completed: certified, certifiedBefore, revoked, notCertified (the
    // unmeasurable cohort's completer is left out); certified: 1.
    expect(record).toEqual({ completed: 4, certified: 1 });
  });
});
