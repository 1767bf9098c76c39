import {
  QUALITY_PRIOR_WEIGHT,
  certificationRecord,
  providerQualities,
  rankingPoints,
  shrunkMean,
  shrunkRate,
  surveyRate,
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
    // No survey score anywhere: the score is the certification part alone.
    expect(q.get('lucky')?.surveyPart).toEqual({ score: null, prior: null });
    expect(q.get('lucky')?.score).toBe(q.get('lucky')?.certificationScore);
  });

  it('scores nobody when no provider compared has a completer', () => {
    const q = providerQualities(
      new Map([['a', { certified: 0, completed: 0 }]]),
    );
    expect(q.get('a')).toMatchObject({ score: null, prior: null });
  });
});

describe('the employer-survey part of the quality score (issue 17)', () => {
  it('puts a 1–5 average on the certification rate’s 0–1 scale and shrinks it by m = 10 responses', () => {
    expect(surveyRate(1)).toBe(0);
    expect(surveyRate(3)).toBe(0.5);
    expect(surveyRate(4.6)).toBeCloseTo(0.9, 12);
    expect(() => surveyRate(0.5)).toThrow(RangeError);
    // (5 × 1 + 10 × 0.5) / 15 = 10 / 15: five perfect answers are not 100 %.
    expect(shrunkMean(1, 5, 0.5)).toBeCloseTo(2 / 3, 12);
    expect(shrunkMean(0.2, 0, 0.7)).toBe(0.7);
    expect(() => shrunkMean(1.2, 5, 0.5)).toThrow(RangeError);
  });

  it('averages both parts, each shrunk toward the peers’ mean; a provider with neither scores both means', () => {
    const q = providerQualities(
      new Map([
        ['a', { certified: 45, completed: 50 }],
        ['b', { certified: 40, completed: 50 }],
        ['c', { certified: 0, completed: 0 }],
      ]),
      new Map([
        ['a', { average: 4.6, responses: 20 }], // rate 0.9
        ['b', { average: 3, responses: 10 }], // rate 0.5
      ]),
    );
    // Certification: prior 85 / 100 = 0.85.
    //   a = (45 + 8.5) / 60 = 0.891 67; b = (40 + 8.5) / 60 = 0.808 33; c = 0.85.
    // Surveys: prior (20 × 0.9 + 10 × 0.5) / 30 = 23 / 30 = 0.766 67.
    //   a = (18 + 10 × 23/30) / 30 = 77 / 90 = 0.855 56;
    //   b = (5 + 23/3) / 20 = 38 / 60 = 0.633 33; c = 23 / 30.
    const a = q.get('a')!;
    const b = q.get('b')!;
    const c = q.get('c')!;
    expect(a.prior).toBeCloseTo(0.85, 12);
    expect(a.surveyPart.prior).toBeCloseTo(23 / 30, 12);
    expect(a.certificationScore).toBeCloseTo(53.5 / 60, 12);
    expect(a.surveyPart.score).toBeCloseTo(77 / 90, 12);
    expect(a.score).toBeCloseTo((53.5 / 60 + 77 / 90) / 2, 12); // 0.873 61
    expect(b.surveyPart.score).toBeCloseTo(38 / 60, 12);
    expect(b.score).toBeCloseTo((48.5 / 60 + 38 / 60) / 2, 12); // 0.720 83
    expect(c).toMatchObject({ survey: null, certificationScore: 0.85 });
    expect(c.surveyPart.score).toBeCloseTo(23 / 30, 12);
    // Ranked by the mean of the parts' whole points: a (89 + 86) / 2,
    // b (81 + 63) / 2, c (85 + 77) / 2.
    expect([a, b, c].map(rankingPoints)).toEqual([87.5, 72, 81]);
  });

  it('ranks by surveys alone when no provider compared has a completer, and by neither when nothing is known', () => {
    const q = providerQualities(
      new Map([
        ['a', { certified: 0, completed: 0 }],
        ['b', { certified: 0, completed: 0 }],
      ]),
      new Map([['a', { average: 5, responses: 10 }]]),
    );
    // Survey prior 1.0 (a alone): a = (10 + 10) / 20 = 1; b = the prior, 1.
    expect(q.get('a')).toMatchObject({
      certificationScore: null,
      prior: null,
      score: 1,
    });
    expect(q.get('b')?.survey).toBeNull();
    expect(rankingPoints(q.get('b')!)).toBe(100);
    const none = providerQualities(
      new Map([['a', { certified: 0, completed: 0 }]]),
      // A withheld release reaches the domain as no record; 0 responses is none too.
      new Map([['a', { average: 4, responses: 0 }]]),
    );
    expect(none.get('a')).toMatchObject({ score: null, survey: null });
    expect(rankingPoints(none.get('a')!)).toBeNull();
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
