import { v7 as uuidv7 } from 'uuid';
import type { PersonRecord } from '../../src/domain/people';
import {
  fundsOf,
  perPerson,
  programReturns,
  projectReturn,
  tallyProject,
  type FundedProject,
  type PlacementSalaries,
} from '../../src/domain/roi';
import { EMPTY_CATALOG } from '../../src/domain/scope';
import type { DisclosurePolicy } from '../../src/domain/suppression';
import { ADMIN, PUBLIC, personMother } from '../fixtures/mothers';

// The worked example of the README (Return on investment), computed by hand
// there: three Prosoft projects and one of a state fund, their people
// following the funnel's rules, and the placed people's salaries.

const { person, enrollment, certificate, placement } = personMother;
const EC0217 = uuidv7();
const OTHER = uuidv7();
const PROSOFT = 'Prosoft 3.0';
const JALISCO = 'Fondo Jalisco de Capacitación';

const project = (
  overrides: Partial<FundedProject> & Pick<FundedProject, 'cohortIds'>,
): FundedProject => ({
  id: uuidv7(),
  name: 'Desarrolladores en la nube, Jalisco 2025',
  fundName: PROSOFT,
  approvedAt: new Date('2025-01-20T12:00:00Z'),
  closedAt: null,
  contributionCentavos: 1_000_000,
  settlement: null,
  ...overrides,
});

/** A person of `cohortId` on EC0217: enrolled Feb 3, completed Apr 30 unless `completed` is false. */
function trainee(
  cohortId: string,
  facts: {
    completed?: boolean;
    certifiedAt?: string;
    jobs?: Array<{ startDate: string; before: number; after: number }>;
    extra?: Partial<Omit<PersonRecord, 'id'>>;
  } = {},
): { person: PersonRecord; salaries: PlacementSalaries[] } {
  const jobs = (facts.jobs ?? []).map((job) => ({
    fact: placement(job.startDate),
    ...job,
  }));
  return {
    person: person({
      enrollments: [
        enrollment(EC0217, '2025-02-03T15:00:00Z', {
          cohortId,
          ...(facts.completed === false
            ? {}
            : { completedAt: '2025-04-30T18:00:00Z' }),
        }),
        ...(facts.extra?.enrollments ?? []),
      ],
      certificates: [
        ...(facts.certifiedAt ? [certificate(EC0217, facts.certifiedAt)] : []),
        ...(facts.extra?.certificates ?? []),
      ],
      placements: jobs.map((j) => j.fact),
    }),
    salaries: jobs.map((j) => ({
      id: j.fact.id,
      startDate: new Date(j.startDate),
      salaryBeforeCentavos: j.before,
      salaryAfterCentavos: j.after,
    })),
  };
}

const CERTIFIED_MAY = '2025-05-20T17:00:00Z';
// The six placed within six months of their certificate: monthly salary before → after.
const RAISES: Array<[number, number]> = [
  [0, 1_500_000], // newly employed
  [0, 1_800_000], // newly employed
  [1_000_000, 1_600_000],
  [1_200_000, 2_000_000],
  [1_500_000, 2_100_000],
  [900_000, 1_400_000],
];

function example() {
  const [a, b, c, d] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
  const trainees = [
    // Project A: 12 enrolled, 10 completed, 8 certified, 6 placed within 6 months.
    ...RAISES.map(([before, after]) =>
      trainee(a, {
        certifiedAt: CERTIFIED_MAY,
        jobs: [{ startDate: '2025-07-01', before, after }],
      }),
    ),
    trainee(a, {
      certifiedAt: CERTIFIED_MAY,
      jobs: [{ startDate: '2026-02-16', before: 1_000_000, after: 1_500_000 }],
    }),
    trainee(a, { certifiedAt: CERTIFIED_MAY }),
    // A certificate from 2019, before the training: it does not count.
    trainee(a, {
      extra: { certificates: [certificate(EC0217, '2019-06-01T12:00:00Z')] },
    }),
    trainee(a),
    trainee(a, { completed: false }),
    trainee(a, { completed: false }),
    // Project B, still open: 3 completed, 2 of them certified in September.
    trainee(b, { certifiedAt: '2025-09-10T12:00:00Z' }),
    trainee(b, { certifiedAt: '2025-09-10T12:00:00Z' }),
    trainee(b),
    // Project D (training's funding example): Ana certified twice, Beto,
    // Carla certified on another standard, Darío dropped out.
    trainee(d, {
      certifiedAt: CERTIFIED_MAY,
      extra: { certificates: [certificate(EC0217, '2025-06-02T12:00:00Z')] },
    }),
    trainee(d, { certifiedAt: CERTIFIED_MAY }),
    trainee(d, {
      extra: { certificates: [certificate(OTHER, CERTIFIED_MAY)] },
    }),
    trainee(d, { completed: false }),
    // Project C, the state fund's: 5 certified, none placed.
    ...Array.from({ length: 5 }, () =>
      trainee(c, { certifiedAt: CERTIFIED_MAY }),
    ),
    // Someone of a cohort of no project, certified and placed: in no project.
    trainee(uuidv7(), {
      certifiedAt: CERTIFIED_MAY,
      jobs: [{ startDate: '2025-07-01', before: 0, after: 9_000_000 }],
    }),
  ];
  const closedAt = new Date('2026-03-31T12:00:00Z');
  const projects = {
    // 12 participants × $2,362.50; split 33.33 % upfront + $1,500.00 per
    // certified trainee; 8 certified at close.
    a: project({
      cohortIds: [a],
      contributionCentavos: 2_835_000,
      closedAt,
      settlement: { owedCentavos: 2_144_905, certified: 8 },
    }),
    b: project({ cohortIds: [b], contributionCentavos: 1_000_000 }),
    c: project({
      cohortIds: [c],
      fundName: JALISCO,
      contributionCentavos: 600_000,
      closedAt,
    }),
    d: project({
      cohortIds: [d],
      contributionCentavos: 945_000,
      closedAt,
      settlement: { owedCentavos: 614_968, certified: 2 },
    }),
  };
  return {
    projects,
    people: trainees.map((t) => t.person),
    salaries: trainees.flatMap((t) => t.salaries),
  };
}

function returnsOf(policy: DisclosurePolicy, months = 6) {
  const { projects, people, salaries } = example();
  const parts = Object.fromEntries(
    Object.entries(projects).map(([key, p]) => [
      key,
      projectReturn(
        p,
        tallyProject(p, people, EMPTY_CATALOG, months),
        salaries,
        policy,
        months,
      ),
    ]),
  ) as Record<keyof typeof projects, ReturnType<typeof projectReturn>>;
  return {
    project: parts,
    programs: programReturns(Object.values(parts), policy, months),
  };
}

const shown = (value: number) => ({ value, suppressed: null, partial: false });
const partial = (value: number) => ({ value, suppressed: null, partial: true });
const withheld = { value: null, suppressed: 'BELOW_THRESHOLD', partial: false };
const cascaded = { value: null, suppressed: 'COMPLEMENTARY', partial: false };

describe('public money of a funded project', () => {
  it('is committed when approved and spent as the settlement owes when closed with a funding split', () => {
    const { projects } = example();
    expect(fundsOf(projects.a)).toEqual({
      status: 'CLOSED',
      committed: 2_835_000,
      spent: 2_144_905,
    });
  });

  it('is spent whole when closed without a funding split, and not yet while open', () => {
    const { projects } = example();
    expect(fundsOf(projects.c)).toEqual({
      status: 'CLOSED',
      committed: 600_000,
      spent: 600_000,
    });
    expect(fundsOf(projects.b)).toEqual({
      status: 'APPROVED',
      committed: 1_000_000,
      spent: null,
    });
  });

  it('divides per person to the nearest centavo, halves up', () => {
    expect(perPerson(2_144_905, 8)).toBe(268_113); // 268 113.125
    expect(perPerson(2_144_905, 10)).toBe(214_491); // 214 490.5
    expect(perPerson(2_144_905, 6)).toBe(357_484); // 357 484.17
    expect(perPerson(2_144_905, 7)).toBe(306_415); // exact
  });
});

describe('the people of a project, by the funnel’s rules', () => {
  it('counts the enrolled of its cohorts, who completed, were certified on the target after enrolling, and were placed within N months', () => {
    const { projects, people } = example();
    expect(tallyProject(projects.a, people, EMPTY_CATALOG, 6).counts).toEqual({
      ENROLLED: 12,
      COMPLETED: 10,
      CERTIFIED: 8,
      PLACED: 6,
    });
    expect(tallyProject(projects.a, people, EMPTY_CATALOG, 12).counts).toEqual({
      ENROLLED: 12,
      COMPLETED: 10,
      CERTIFIED: 8,
      PLACED: 7,
    });
  });

  it('counts a person certified twice once, and neither a certificate on another standard nor a drop-out', () => {
    const { projects, people } = example();
    expect(tallyProject(projects.d, people, EMPTY_CATALOG, 6).counts).toEqual({
      ENROLLED: 4,
      COMPLETED: 3,
      CERTIFIED: 2,
      PLACED: 0,
    });
  });

  it('names the earliest job that placed each person', () => {
    const person = personMother.person({
      enrollments: [
        enrollment(EC0217, '2025-02-03T15:00:00Z', {
          cohortId: 'c1',
          completedAt: '2025-04-30T18:00:00Z',
        }),
      ],
      certificates: [certificate(EC0217, CERTIFIED_MAY)],
      placements: [placement('2025-09-01'), placement('2025-06-15')],
    });
    const tally = tallyProject(
      { cohortIds: ['c1'] },
      [person],
      EMPTY_CATALOG,
      6,
    );
    expect(tally.placementIds).toEqual([person.placements[1]!.id]);
  });
});

describe('returns per project', () => {
  it('as an admin sees them: exact counts, cost per certified and per placed person, the salary change of the placed', () => {
    const { a } = returnsOf(ADMIN).project;
    expect(a.shown).toMatchObject({
      status: 'CLOSED',
      committed: 2_835_000,
      spent: shown(2_144_905),
      enrolled: shown(12),
      completed: shown(10),
      certified: shown(8),
      placed: shown(6),
      completionRate: 10 / 12,
      certificationRate: 0.8,
      placementRate: 0.75,
      costPerCertified: 268_113,
      costPerPlaced: 357_484,
    });
    // Changes 500 000, 600 000, 600 000, 800 000, 1 500 000, 1 800 000.
    expect(a.shown.salaryChange.median).toBe(700_000);
    expect(a.shown.salaryChange.mean).toBeCloseTo(5_800_000 / 6, 6);
    // In pesos of July 2025 (the INPC table's last month): the jobs start in
    // July 2025 (140.780, unchanged), the salaries before are of June (140.405):
    // 1,000,000 × 140,780 ÷ 140,405 = 1,002,670.85 → 1,002,671, and likewise
    // 1,203,205, 1,504,006, 902,404. Real changes 497,596, 595,994, 597,329,
    // 796,795, 1,500,000, 1,800,000 (the newly employed's unchanged): median
    // (597,329 + 796,795) ÷ 2 = 697,062, mean 5,787,714 ÷ 6 = 964,619.
    expect(a.shown.salaryChange).toMatchObject({
      realMedian: 697_062,
      realMean: 964_619,
      pricesOf: '2025-07',
      deflatedWith: 'PUBLISHED',
    });
  });

  it('counts a job nine months after the certificate with a 12-month window', () => {
    const { a } = returnsOf(ADMIN, 12).project;
    expect(a.shown).toMatchObject({
      placed: shown(7),
      costPerPlaced: 306_415,
      salaryChange: { median: 600_000, mean: 900_000 },
    });
  });

  it('as a university sees them: counts rounded to 5, costs of the shown counts, salaries rounded to 500 MXN', () => {
    const { a, c } = returnsOf(PUBLIC).project;
    expect(a.shown).toMatchObject({
      spent: shown(2_144_905),
      enrolled: shown(10),
      completed: shown(10),
      certified: shown(10),
      placed: shown(5),
      completionRate: 1,
      certificationRate: 1,
      placementRate: 0.5,
      costPerCertified: 214_491,
      costPerPlaced: 428_981,
      salaryChange: { median: 700_000, mean: 950_000 },
    });
    expect(c.shown).toMatchObject({
      committed: 600_000,
      spent: shown(600_000),
      certified: shown(5),
      placed: shown(0),
      costPerCertified: 120_000,
      costPerPlaced: null,
      salaryChange: { median: null, mean: null },
    });
  });

  it('withholds small groups, the stages after them, and an amount that would give away 1–4 certified trainees', () => {
    const { b, d } = returnsOf(PUBLIC).project;
    expect(d.shown).toMatchObject({
      committed: 945_000,
      spent: withheld,
      enrolled: withheld,
      completed: withheld,
      certified: withheld,
      placed: cascaded,
      costPerCertified: null,
      completionRate: null,
    });
    expect(b.shown).toMatchObject({
      status: 'APPROVED',
      committed: 1_000_000,
      spent: null,
      enrolled: withheld,
      placed: cascaded,
    });
  });
});

describe('returns per program', () => {
  it('as an admin sees them: sums of the projects, costs over the closed ones', () => {
    const { programs } = returnsOf(ADMIN);
    expect(programs.map((p) => p.fundName)).toEqual([JALISCO, PROSOFT]);
    const prosoft = programs[1]!;
    expect(prosoft).toMatchObject({
      projects: 3,
      closedProjects: 2,
      committed: 4_780_000,
      spent: shown(2_759_873),
      enrolled: shown(19),
      completed: shown(16),
      certified: shown(12),
      placed: shown(6),
      completionRate: 16 / 19,
      certificationRate: 0.75,
      placementRate: 0.5,
      costPerCertified: 275_987, // 2 759 873 ÷ 10 certified in A and D
      costPerPlaced: 459_979, // 2 759 873 ÷ 6
    });
    expect(prosoft.salaryChange.median).toBe(700_000);
  });

  it('as a university sees them: sums of the shown figures, partial where a project withholds one, no ratio of partial sums', () => {
    const { programs } = returnsOf(PUBLIC);
    const [jalisco, prosoft] = programs;
    expect(prosoft).toMatchObject({
      projects: 3,
      closedProjects: 2,
      committed: 4_780_000,
      spent: partial(2_144_905),
      enrolled: partial(10),
      completed: partial(10),
      certified: partial(10),
      placed: partial(5),
      completionRate: null,
      costPerCertified: null,
      costPerPlaced: null,
      salaryChange: { median: 700_000, mean: 950_000 },
    });
    expect(jalisco).toMatchObject({
      committed: 600_000,
      spent: shown(600_000),
      certified: shown(5),
      costPerCertified: 120_000,
    });
  });

  it('never shows a program stage larger than the one before, nor a total the projects shown do not add up to', () => {
    for (const policy of [ADMIN, PUBLIC]) {
      const { project, programs } = returnsOf(policy);
      const prosoft = programs.find((p) => p.fundName === PROSOFT)!;
      const ofProsoft = [project.a, project.b, project.d].map((p) => p.shown);
      for (const stage of [
        'enrolled',
        'completed',
        'certified',
        'placed',
      ] as const)
        expect(prosoft[stage].value).toBe(
          ofProsoft.reduce((sum, p) => sum + (p[stage].value ?? 0), 0),
        );
      expect(prosoft.completed.value!).toBeLessThanOrEqual(
        prosoft.enrolled.value!,
      );
      expect(prosoft.placed.value!).toBeLessThanOrEqual(
        prosoft.certified.value!,
      );
    }
  });
});
