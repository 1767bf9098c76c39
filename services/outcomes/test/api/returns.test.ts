import { v7 as uuidv7 } from 'uuid';
import type { AsIdentity } from '@conecta/test-kit';
import {
  eventMother as events,
  placementMother,
  projectMother,
} from '../fixtures/mothers';
import {
  admin,
  startOutcomes,
  university,
  type RunningOutcomes,
} from '../fixtures/service';

// The README's worked example of returns on investment (issue 14, item 2),
// published as training, certification and outcomes publish it — projects
// drafted, approved and closed with Prosoft's settlement, cohorts scheduled
// for them, people enrolled, certified and placed — and read through GraphQL.
let running: RunningOutcomes;
const client = () => running.client;
const council: AsIdentity = { subject: 'consejo-1', roles: ['council'] };

const PROSOFT = 'Prosoft 3.0';
const JALISCO = 'Fondo Jalisco de Capacitación';
const ec = events.standardPublished('EC0217', '2023-04-01T12:00:00Z');
const OTHER = events.standardPublished('EC0301', '2023-04-01T12:00:00Z');
const EC = ec.data.id;
const SPLIT = { upfrontBps: 3_333, perCertifiedCentavos: 150_000 };

const a = projectMother.drafted(PROSOFT, { name: 'Nube Jalisco 2025' });
const b = projectMother.drafted(PROSOFT, { name: 'Nube Nuevo León 2025' });
const c = projectMother.drafted(JALISCO, { name: 'Formadores Jalisco' });
const d = projectMother.drafted(PROSOFT, { name: 'Formadores Zapopan' });
const cohortOf = (project: typeof a, state: 'MX-JAL' | 'MX-NLE' = 'MX-JAL') =>
  events.cohortScheduled(
    { standardId: EC },
    { state, projectId: project.data.id },
  );
const cohorts = {
  a: cohortOf(a),
  b: cohortOf(b, 'MX-NLE'),
  c: cohortOf(c),
  d: cohortOf(d),
  none: events.cohortScheduled({ standardId: EC }),
};

const ENROLLED = '2025-02-03T15:00:00Z';
const COMPLETED = '2025-04-30T18:00:00Z';
const CERTIFIED = '2025-05-20T17:00:00Z';

/** One person's events in `cohort`: enrolled, then what `facts` say. */
function trainee(
  cohort: typeof cohorts.a,
  facts: {
    completed?: boolean;
    dropped?: boolean;
    certified?: string[];
    certifiedOn?: string;
  } = {},
) {
  const personId = uuidv7();
  const enrolled = events.enrolled(cohort.data.id, EC, ENROLLED, personId);
  return {
    personId,
    events: [
      enrolled,
      ...(facts.completed === false
        ? []
        : [events.completed(enrolled, COMPLETED)]),
      ...(facts.dropped
        ? [events.dropped(enrolled, '2025-03-01T12:00:00Z')]
        : []),
      ...(facts.certified ?? []).map((at) =>
        events.certificateIssued(facts.certifiedOn ?? EC, at, personId),
      ),
    ],
  };
}

// Project A: 12 enrolled, 10 completed, 8 certified; 6 placed within six
// months (these salaries), one nine months after.
const RAISES: Array<[number, number]> = [
  [0, 1_500_000],
  [0, 1_800_000],
  [1_000_000, 1_600_000],
  [1_200_000, 2_000_000],
  [1_500_000, 2_100_000],
  [900_000, 1_400_000],
];
const placedInA = RAISES.map(() =>
  trainee(cohorts.a, { certified: [CERTIFIED] }),
);
const lateInA = trainee(cohorts.a, { certified: [CERTIFIED] });
const people = [
  ...placedInA,
  lateInA,
  trainee(cohorts.a, { certified: [CERTIFIED] }),
  // Certified in 2019, before the training: does not count.
  trainee(cohorts.a, { certified: ['2019-06-01T12:00:00Z'] }),
  trainee(cohorts.a),
  trainee(cohorts.a, { completed: false, dropped: true }),
  trainee(cohorts.a, { completed: false }),
  // Project B (open): 3 completed, 2 certified.
  trainee(cohorts.b, { certified: ['2025-09-10T12:00:00Z'] }),
  trainee(cohorts.b, { certified: ['2025-09-10T12:00:00Z'] }),
  trainee(cohorts.b),
  // Project D: Ana certified twice, Beto, Carla on another standard, Darío dropped.
  trainee(cohorts.d, { certified: [CERTIFIED, '2025-06-02T12:00:00Z'] }),
  trainee(cohorts.d, { certified: [CERTIFIED] }),
  trainee(cohorts.d, { certified: [CERTIFIED], certifiedOn: OTHER.data.id }),
  trainee(cohorts.d, { completed: false, dropped: true }),
  // Project C: 5 certified.
  ...Array.from({ length: 5 }, () =>
    trainee(cohorts.c, { certified: [CERTIFIED] }),
  ),
];
// Trained in a cohort of no project, certified and placed: in no project.
const outsider = trainee(cohorts.none, { certified: [CERTIFIED] });

const place = (
  personId: string,
  startDate: string,
  salaryBefore: number,
  salaryAfter: number,
) =>
  client().ok(
    `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
    {
      input: placementMother.developer({
        personId,
        startDate,
        salaryBefore,
        salaryAfter,
      }),
    },
    admin,
  );

beforeAll(async () => {
  running = await startOutcomes('outcomes-returns');
  await running.publish(
    ec,
    OTHER,
    // People before their cohorts and projects: the order does not matter.
    ...people.flatMap((p) => p.events),
    ...outsider.events,
    ...Object.values(cohorts),
    a,
    projectMother.approved(a.data.id, 2_835_000),
    projectMother.closed(a.data.id, {
      contributionCentavos: 2_835_000,
      ...SPLIT,
      certified: 8,
    }),
    b,
    projectMother.approved(b.data.id, 1_000_000, '2025-03-03T12:00:00Z'),
    c,
    projectMother.approved(c.data.id, 600_000),
    projectMother.closed(c.data.id),
    d,
    projectMother.approved(d.data.id, 945_000),
    projectMother.closed(d.data.id, {
      contributionCentavos: 945_000,
      ...SPLIT,
      certified: 2,
    }),
    // Approved in 2024: outside the span asked.
    ...(() => {
      const old = projectMother.drafted(PROSOFT, { name: 'Nube 2024' });
      return [
        old,
        projectMother.approved(old.data.id, 500_000, '2024-11-05T12:00:00Z'),
      ];
    })(),
  );
  for (const [i, [before, after]] of RAISES.entries())
    await place(placedInA[i]!.personId, '2025-07-01', before, after);
  await place(lateInA.personId, '2026-02-16', 1_000_000, 1_500_000);
  await place(outsider.personId, '2025-07-01', 0, 9_000_000);
  await running.caughtUp();
}, 120_000);

afterAll(() => running?.stop());

const COUNT = 'value suppressed partial';
const FIGURES = `
  placementWithinMonths committed spent { ${COUNT} }
  enrolled { ${COUNT} } completed { ${COUNT} } certified { ${COUNT} } placed { ${COUNT} }
  completionRate certificationRate placementRate
  costPerCertified costPerPlaced medianSalaryChange meanSalaryChange
`;
const PROGRAMS = `query ($filter: ReturnsFilter!, $months: Int) {
  programReturns(filter: $filter, placementWithinMonths: $months) {
    fundName projects closedProjects ${FIGURES}
  }
}`;
const PROJECTS = `query ($filter: ReturnsFilter!, $months: Int) {
  projectReturns(filter: $filter, placementWithinMonths: $months) {
    projectId name fundName status approvedAt closedAt ${FIGURES}
  }
}`;
const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31' };

const shown = (value: number) => ({ value, suppressed: null, partial: false });
const partial = (value: number) => ({ value, suppressed: null, partial: true });
const withheld = { value: null, suppressed: 'BELOW_THRESHOLD', partial: false };
const cascaded = { value: null, suppressed: 'COMPLEMENTARY', partial: false };

describe('returns on investment per program', () => {
  it('as an admin sees them: public money against the people certified and placed and their salary change', async () => {
    const { programReturns } = await client().ok(
      PROGRAMS,
      { filter: YEAR_2025 },
      admin,
    );
    expect(programReturns.map((p: { fundName: string }) => p.fundName)).toEqual(
      [JALISCO, PROSOFT],
    );
    expect(programReturns[1]).toMatchObject({
      projects: 3,
      closedProjects: 2,
      placementWithinMonths: 6,
      committed: 4_780_000,
      spent: shown(2_759_873),
      enrolled: shown(19),
      completed: shown(16),
      certified: shown(12),
      placed: shown(6),
      certificationRate: 0.75,
      placementRate: 0.5,
      costPerCertified: 275_987,
      costPerPlaced: 459_979,
      medianSalaryChange: 700_000,
    });
    expect(programReturns[1].meanSalaryChange).toBeCloseTo(5_800_000 / 6, 4);
    expect(programReturns[0]).toMatchObject({
      projects: 1,
      closedProjects: 1,
      committed: 600_000,
      spent: shown(600_000),
      certified: shown(5),
      placed: shown(0),
      costPerCertified: 120_000,
      costPerPlaced: null,
    });
  });

  it('as a university sees them: sums of the projects’ shown figures, partial where a project withholds one', async () => {
    const { programReturns } = await client().ok(
      PROGRAMS,
      { filter: YEAR_2025 },
      university,
    );
    expect(programReturns[1]).toMatchObject({
      committed: 4_780_000,
      spent: partial(2_144_905),
      enrolled: partial(10),
      completed: partial(10),
      certified: partial(10),
      placed: partial(5),
      completionRate: null,
      costPerCertified: null,
      costPerPlaced: null,
      medianSalaryChange: 700_000,
      meanSalaryChange: 950_000,
    });
  });

  it('counts a job nine months after the certificate with a 12-month window', async () => {
    const { programReturns } = await client().ok(
      PROGRAMS,
      { filter: { ...YEAR_2025, fundName: PROSOFT }, months: 12 },
      admin,
    );
    expect(programReturns).toHaveLength(1);
    expect(programReturns[0]).toMatchObject({
      placed: shown(7),
      costPerPlaced: 394_268, // 2 759 873 ÷ 7 = 394 267.57
      medianSalaryChange: 600_000,
      meanSalaryChange: 900_000,
    });
  });
});

describe('returns on investment per project', () => {
  it('as the council sees them: each project one cell, small groups withheld, and an amount that would reveal 1–4 certified trainees', async () => {
    const { projectReturns } = await client().ok(
      PROJECTS,
      { filter: { ...YEAR_2025, fundName: PROSOFT } },
      council,
    );
    const byName = Object.fromEntries(
      projectReturns.map((p: { name: string }) => [p.name, p]),
    );
    expect(Object.keys(byName)).toEqual([
      'Nube Jalisco 2025',
      'Formadores Zapopan',
      'Nube Nuevo León 2025',
    ]);
    expect(byName['Nube Jalisco 2025']).toMatchObject({
      projectId: a.data.id,
      status: 'CLOSED',
      committed: 2_835_000,
      spent: shown(2_144_905),
      enrolled: shown(10),
      certified: shown(10),
      placed: shown(5),
      costPerCertified: 214_491,
      costPerPlaced: 428_981,
      medianSalaryChange: 700_000,
      meanSalaryChange: 950_000,
    });
    expect(byName['Formadores Zapopan']).toMatchObject({
      committed: 945_000,
      spent: withheld,
      enrolled: withheld,
      certified: withheld,
      placed: cascaded,
      costPerCertified: null,
    });
    expect(byName['Nube Nuevo León 2025']).toMatchObject({
      status: 'APPROVED',
      closedAt: null,
      committed: 1_000_000,
      spent: null,
    });
  });

  it('as an admin sees them, exactly, and filtered by state and status', async () => {
    const closed = await client().ok(
      PROJECTS,
      { filter: { ...YEAR_2025, status: 'CLOSED' } },
      admin,
    );
    const a1 = closed.projectReturns.find(
      (p: { projectId: string }) => p.projectId === a.data.id,
    );
    expect(closed.projectReturns).toHaveLength(3);
    expect(a1).toMatchObject({
      enrolled: shown(12),
      completed: shown(10),
      certified: shown(8),
      placed: shown(6),
      costPerCertified: 268_113,
      costPerPlaced: 357_484,
    });
    const inNuevoLeon = await client().ok(
      PROJECTS,
      { filter: { ...YEAR_2025, state: 'MX-NLE' } },
      admin,
    );
    expect(inNuevoLeon.projectReturns).toMatchObject([
      {
        projectId: b.data.id,
        enrolled: shown(3),
        completed: shown(3),
        certified: shown(2),
        placed: shown(0),
      },
    ]);
  });

  it('refuses a university (it reads programReturns) and a filter that ends before it starts', async () => {
    const denied = await client().request(
      PROJECTS,
      { filter: YEAR_2025 },
      university,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await client().request(
      PROGRAMS,
      { filter: { from: '2025-12-31', to: '2025-01-01' } },
      university,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.to',
    });
  });
});
