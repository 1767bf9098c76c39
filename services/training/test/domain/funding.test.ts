import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { InvalidInputError } from '@conecta/service-kit/errors';
import {
  assertSplitFits,
  certifiedTrainees,
  fundingTerms,
  settleFunding,
  upfrontOf,
  type FundingSplit,
} from '../../src/domain/funding';
import type { CertificateFact } from '../../src/domain/indicators';
import { FULL_BPS, MAX_PRICE_CENTAVOS } from '../../src/domain/money';
import {
  approveProject,
  closeProject,
  draftProject,
  draftProjectInput,
  projectCost,
  rejectProject,
  submitProject,
  type TrainingProject,
} from '../../src/domain/project';
import {
  NOW,
  agreementMother,
  cohortMother,
  day,
  demandMother,
  enrollmentMother,
  projectMother,
} from '../fixtures/mothers';

// Prosoft's rule (issue 17, item 4), on the README's worked example: a
// $15,000 course at 70% off and a 5% broker fee costs $4,725 per participant;
// at a 50% fund share the fund's contribution for 4 participants is $9,450.
const standard = { kind: 'STANDARD' as const, id: uuidv7() };
const agreement = agreementMother.seventyOff(standard, {
  marketPriceCentavos: 1_500_000,
});
const split: FundingSplit = {
  upfrontBps: 3_333,
  perCertifiedCentavos: 150_000,
};

function draftFor(
  fundingSplit: { upfrontBps: number; perCertified: number } | null,
  headcount = 4,
) {
  const input = draftProjectInput.parse({
    name: 'Talento Digital Jalisco 2026',
    fundName: 'Fondo PROSOFT',
    agreementId: agreement.id,
    demandRequestIds: [uuidv7()],
    requestedFundShareBps: 5_000,
    fundingSplit,
  });
  return draftProject(
    input,
    agreement,
    [demandMother.jaliscoCluster(standard, { headcount })],
    { id: uuidv7(), now: NOW, brokerMarkupBps: 500 },
  );
}

const approvedAt = (project: TrainingProject, shareBps: number) =>
  approveProject(submitProject(project, NOW), shareBps, NOW);

const closeWith = (project: TrainingProject, certified: number) =>
  closeProject(project, day(90), {
    cost: projectCost(project, agreement),
    certified,
  });

describe("Prosoft's rule: a project's contribution paid upfront and per certified trainee", () => {
  it('settles the worked example to the centavo: upfront by floor, $1,500 per certified trainee, the rest stays with the fund', () => {
    const approved = approvedAt(
      draftFor({ upfrontBps: 3_333, perCertified: 150_000 }),
      5_000,
    );
    // $4,725 × 50% = $2,362.50 per participant; × 4 = $9,450.00.
    expect(
      projectCost(approved, agreement).project.fundContributionCentavos,
    ).toBe(945_000);
    // 33.33% of $9,450.00 = $3,149.685 → floor $3,149.68; at most
    // $3,149.68 + 4 × $1,500 = $9,149.68.
    expect(
      fundingTerms(approved.fundingSplit!, 945_000, approved.participants),
    ).toEqual({
      ...split,
      contributionCentavos: 945_000,
      upfrontCentavos: 314_968,
      maximumCentavos: 914_968,
    });
    // Two of the four certified: $3,149.68 + 2 × $1,500 = $6,149.68 owed;
    // $9,450.00 − $6,149.68 = $3,300.32 not paid.
    const closed = closeWith(approved, 2);
    expect(closed.status).toBe('CLOSED');
    expect(closed.settlement).toEqual({
      ...split,
      contributionCentavos: 945_000,
      upfrontCentavos: 314_968,
      certified: 2,
      owedCentavos: 614_968,
      unpaidCentavos: 330_032,
      settledAt: day(90),
    });
  });

  it('never pays more than the approved contribution when the fund granted less than was asked', () => {
    // Approved at 40%: $4,725 × 40% = $1,890 × 4 = $7,560.00; upfront
    // floor(756,000 × 0.3333) = $2,519.74.
    const approved = approvedAt(
      draftFor({ upfrontBps: 3_333, perCertified: 150_000 }),
      4_000,
    );
    expect(closeWith(approved, 3).settlement).toMatchObject({
      contributionCentavos: 756_000,
      upfrontCentavos: 251_974,
      owedCentavos: 251_974 + 3 * 150_000,
      unpaidCentavos: 756_000 - 701_974,
    });
    // Four certified would be $8,519.74: capped at $7,560.00.
    expect(closeWith(approved, 4).settlement).toMatchObject({
      owedCentavos: 756_000,
      unpaidCentavos: 0,
    });
  });

  it('refuses a split whose maximum exceeds the contribution asked for, naming perCertified', () => {
    // $9,450.00 − $3,149.68 upfront leaves $6,300.32: $1,575.08 for each of 4.
    expect(
      draftFor({ upfrontBps: 3_333, perCertified: 157_508 }).fundingSplit,
    ).toEqual({ upfrontBps: 3_333, perCertifiedCentavos: 157_508 });
    let refused: unknown;
    try {
      draftFor({ upfrontBps: 3_333, perCertified: 157_509 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused).toMatchObject({
      code: 'SPLIT_ABOVE_CONTRIBUTION',
      field: 'input.fundingSplit.perCertified',
    });
    expect((refused as Error).message).toContain(
      'must be at most $1,575.08 MXN per certified trainee: the contribution of $9,450.00 MXN less $3,149.68 MXN upfront leaves $6,300.32 MXN for 4 participants',
    );
  });

  it('refuses an upfront share above 100% or negative, and a negative or fractional amount per certified trainee', () => {
    const issues = (fundingSplit: object) =>
      draftProjectInput
        .safeParse({
          name: 'P',
          fundName: 'F',
          agreementId: agreement.id,
          demandRequestIds: [uuidv7()],
          requestedFundShareBps: 5_000,
          fundingSplit,
        })
        .error?.issues.map((i) => i.path.join('.'));
    expect(issues({ upfrontBps: 10_001, perCertified: 0 })).toEqual([
      'fundingSplit.upfrontBps',
    ]);
    expect(issues({ upfrontBps: -1, perCertified: 0 })).toEqual([
      'fundingSplit.upfrontBps',
    ]);
    expect(issues({ upfrontBps: 0, perCertified: -1 })).toEqual([
      'fundingSplit.perCertified',
    ]);
    expect(issues({ upfrontBps: 0, perCertified: 0.5 })).toEqual([
      'fundingSplit.perCertified',
    ]);
    expect(issues({ upfrontBps: 10_000, perCertified: 0 })).toBeUndefined();
  });

  it('closes a project without a split, or a rejected one, as before: no settlement', () => {
    const plain = approvedAt(draftFor(null), 5_000);
    expect(plain.fundingSplit).toBeNull();
    expect(closeProject(plain, day(90))).toEqual({
      ...plain,
      status: 'CLOSED',
      closedAt: day(90),
      settlement: null,
    });
    const rejected = rejectProject(
      submitProject(draftFor({ upfrontBps: 5_000, perCertified: 1_000 }), NOW),
      'no budget',
      NOW,
    );
    expect(closeProject(rejected, day(90)).settlement).toBeNull();
    // A project drafted before issue 17 has no split field at all.
    const legacy = approvedAt(projectMother.draft(agreement), 5_000);
    expect(closeProject(legacy, day(90)).settlement).toBeNull();
  });
});

describe('the trainees a settlement counts', () => {
  const cohort = cohortMother.scheduled(agreement);
  const cert = (
    personId: string,
    overrides: Partial<CertificateFact> = {},
  ): CertificateFact => ({
    id: uuidv7(),
    personId,
    standardId: standard.id,
    issuedAt: day(60),
    revoked: false,
    ...overrides,
  });

  it('are the people certified on the standard after enrolling, each once; not drop-outs, revoked or earlier certificates, nor other standards', () => {
    const ana = enrollmentMother.enrolled(cohort);
    // Ana again, in another cohort of the project: one trainee.
    const anaAgain = enrollmentMother.enrolled(
      cohortMother.scheduled(agreement),
      { personId: ana.personId },
    );
    const beto = enrollmentMother.enrolled(cohort);
    const carla = enrollmentMother.enrolled(cohort);
    const dario = enrollmentMother.enrolled(cohort, { status: 'DROPPED' });
    const elena = enrollmentMother.enrolled(cohort);
    const fer = enrollmentMother.enrolled(cohort);
    const certificates = [
      cert(ana.personId),
      cert(ana.personId), // a second certificate: still one trainee
      cert(beto.personId),
      cert(carla.personId, { standardId: uuidv7() }),
      cert(dario.personId),
      cert(elena.personId, { revoked: true }),
      cert(fer.personId, { issuedAt: day(-10) }), // before enrolling
    ];
    const all = [ana, anaAgain, beto, carla, dario, elena, fer];
    expect(certifiedTrainees(all, standard.id, certificates)).toBe(2);
    // A credential aligned with no standard certifies nobody.
    expect(certifiedTrainees(all, null, certificates)).toBe(0);
  });
});

describe("Prosoft's rule over random inputs (fast-check)", () => {
  const contribution = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const splits: fc.Arbitrary<FundingSplit> = fc.record({
    upfrontBps: fc.integer({ min: 0, max: FULL_BPS }),
    perCertifiedCentavos: fc.integer({ min: 0, max: MAX_PRICE_CENTAVOS }),
  });
  const certified = fc.integer({ min: 0, max: 1_000_000 });

  it('never owes more than the contribution, and owed + unpaid is the contribution to the centavo', () => {
    fc.assert(
      fc.property(splits, contribution, certified, (s, c, n) => {
        const settled = settleFunding(s, c, n, NOW);
        return (
          [
            settled.owedCentavos,
            settled.unpaidCentavos,
            settled.upfrontCentavos,
          ].every((v) => Number.isSafeInteger(v) && v >= 0) &&
          settled.owedCentavos <= c &&
          settled.owedCentavos + settled.unpaidCentavos === c
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('owes no less for more certified trainees', () => {
    fc.assert(
      fc.property(splits, contribution, certified, certified, (s, c, a, b) => {
        const [few, many] = [Math.min(a, b), Math.max(a, b)];
        return (
          settleFunding(s, c, few, NOW).owedCentavos <=
          settleFunding(s, c, many, NOW).owedCentavos
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('owes the upfront share alone when nobody is certified, taken by floor (less than a centavo lost)', () => {
    fc.assert(
      fc.property(splits, contribution, (s, c) => {
        const settled = settleFunding(s, c, 0, NOW);
        const exact = (BigInt(c) * BigInt(s.upfrontBps) * 100n) / 10_000n; // hundredths of a centavo
        const floored = BigInt(settled.upfrontCentavos) * 100n;
        return (
          settled.owedCentavos === settled.upfrontCentavos &&
          settled.upfrontCentavos === upfrontOf(c, s.upfrontBps) &&
          exact - floored >= 0n &&
          exact - floored < 100n
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('pays exactly upfront + perCertified × certified for a split that fits, up to every participant', () => {
    // Splits that fit by construction: perCertified a fraction (per mille)
    // of what the contribution leaves per participant after the upfront.
    const fitting = fc
      .record({
        c: fc.integer({ min: 0, max: 10_000_000_000 }),
        upfrontBps: fc.integer({ min: 0, max: FULL_BPS }),
        participants: fc.integer({ min: 1, max: 5_000 }),
        perMille: fc.integer({ min: 0, max: 1_000 }),
      })
      .map(({ c, upfrontBps, participants, perMille }) => {
        const room = c - upfrontOf(c, upfrontBps);
        const most = Math.floor(room / participants);
        const split: FundingSplit = {
          upfrontBps,
          perCertifiedCentavos: Math.floor((most * perMille) / 1_000),
        };
        return { c, participants, split };
      });
    fc.assert(
      fc.property(fitting, fc.nat(), ({ c, participants, split: s }, seed) => {
        assertSplitFits(s, c, participants, 'input.fundingSplit');
        const n = seed % (participants + 1);
        const settled = settleFunding(s, c, n, NOW);
        return (
          settled.owedCentavos ===
            settled.upfrontCentavos + s.perCertifiedCentavos * n &&
          fundingTerms(s, c, participants).maximumCentavos ===
            settled.upfrontCentavos + s.perCertifiedCentavos * participants
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('closes a project without a split exactly as before, whatever it cost and whoever was certified', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        certified,
        (headcount, shareBps, n) => {
          const approved = approvedAt(draftFor(null, headcount), shareBps);
          const closed = closeProject(approved, day(90), {
            cost: projectCost(approved, agreement),
            certified: n,
          });
          expect(closed).toEqual({
            ...approved,
            status: 'CLOSED',
            closedAt: day(90),
            settlement: null,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
