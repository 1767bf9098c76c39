import { readEvents } from '@conecta/test-kit';
import { placementMother as input } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;
const client = () => running.client;

beforeAll(async () => {
  running = await startOutcomes('outcomes-placements');
});

afterAll(() => running?.stop());

const broker = { subject: 'broker-1', roles: ['broker' as const] };

const RECORD = /* GraphQL */ `
  mutation ($input: RecordPlacementInput!) {
    recordPlacement(input: $input) {
      id
      person {
        id
      }
      employer {
        id
      }
      state
      startDate
      salaryBefore
      salaryAfter
    }
  }
`;

const UPLIFT = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    salaryUplift(filter: $filter) {
      placements {
        value
        suppressed
      }
      medianChange
      meanChange
    }
    supply(filter: $filter) {
      period
      placed {
        value
        suppressed
      }
    }
  }
`;

describe('placements', () => {
  const employerId = '01900000-0000-7000-8000-00000000e001';
  const recorded: any[] = [];

  it('lets brokers and the employer record a placement, published as outcomes.PlacementRecorded', async () => {
    const changes = [500_000, 800_000, 300_000, 1_000_000, 400_000];
    for (const [i, change] of changes.entries()) {
      const as =
        i === 0
          ? {
              subject: 'app-of-employer',
              roles: ['partner' as const],
              organizationId: employerId,
            }
          : broker;
      const { recordPlacement } = await client().ok(
        RECORD,
        {
          input: input.developer({
            employerId,
            salaryBefore: 1_000_000,
            salaryAfter: 1_000_000 + change,
          }),
        },
        as,
      );
      recorded.push(recordPlacement);
    }
    expect(recorded[0]).toMatchObject({
      employer: { id: employerId },
      state: 'MX-JAL',
      startDate: '2025-03-01',
      salaryAfter: 1_500_000,
    });
    const published = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.outcomes.events`,
      until: (m) => m.event.type === 'outcomes.PlacementRecorded',
      count: 5,
    });
    // Keyed by the placement id; partitions do not keep order between keys.
    expect(published.map((m) => m.key).sort()).toEqual(
      recorded.map((p) => p.id).sort(),
    );
  });

  it('refuses other callers and bad input', async () => {
    const denied = await client().request(
      RECORD,
      { input: input.developer() },
      anonymous,
    );
    expect(denied.errors?.[0]?.extensions?.code).toMatch(
      /FORBIDDEN|UNAUTHENTICATED/,
    );
    // Another organization's user: told who records placements.
    const other = await client().request(
      RECORD,
      { input: input.developer() },
      {
        subject: 'hr-of-another',
        roles: ['university'],
        organizationId: '01900000-0000-7000-8000-00000000e009',
      },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.errors?.[0]?.message).toBe(
      'Only the employer, brokers and admins record placements',
    );
    const bad = await client().request(
      RECORD,
      { input: input.developer({ state: 'Jalisco' }) },
      broker,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts placements in supply from their events and gives the salary uplift', async () => {
    await running.caughtUp();
    const filter = {
      from: '2025-01-01',
      to: '2025-06-30',
      granularity: 'QUARTER',
    };
    const data = await client().ok(UPLIFT, { filter }, anonymous);
    expect(data.salaryUplift).toEqual({
      placements: { value: 5, suppressed: null },
      medianChange: 500_000,
      meanChange: 600_000,
    });
    expect(data.supply.map((p: any) => p.placed.value)).toEqual([5, 0]);

    const other = await client().ok(
      UPLIFT,
      { filter: { ...filter, state: 'MX-NLE' } },
      anonymous,
    );
    expect(other.salaryUplift.placements.value).toBe(0);
  });

  it("shows a person's placements only to the person, brokers and admins", async () => {
    const personId = recorded[1].person.id;
    const QUERY = /* GraphQL */ `
      query ($reps: [_Any!]!) {
        _entities(representations: $reps) {
          ... on Person {
            placements {
              jobTitle
              salaryAfter
            }
          }
          ... on Organization {
            hiringOutcomes {
              placements {
                value
              }
              medianSalaryChange
            }
          }
        }
      }
    `;
    const reps = [
      { __typename: 'Person', id: personId },
      { __typename: 'Organization', id: employerId },
    ];
    const seen = await client().ok(QUERY, { reps }, admin);
    expect(seen._entities[0].placements).toEqual([
      { jobTitle: 'Desarrollador de software junior', salaryAfter: 1_800_000 },
    ]);
    expect(seen._entities[1].hiringOutcomes).toEqual({
      placements: { value: 5 },
      medianSalaryChange: 500_000,
    });
    const self = await client().ok(
      QUERY,
      { reps },
      { subject: personId, roles: ['public'] },
    );
    expect(self._entities[0].placements).toHaveLength(1);
    const stranger = await client().ok(QUERY, { reps }, anonymous);
    expect(stranger._entities[0].placements).toEqual([]);
  });

  it('tracks a state-scoped PLACEMENTS goal set by the council', async () => {
    const SET = /* GraphQL */ `
      mutation ($input: SetProgramGoalInput!) {
        setProgramGoal(input: $input) {
          id
        }
      }
    `;
    const goal = {
      name: 'Colocaciones TI Jalisco',
      metric: 'PLACEMENTS',
      target: 10,
      startsOn: '2025-01-01',
      deadline: '2035-12-31',
      state: 'MX-JAL',
    };
    await client().ok(
      SET,
      { input: goal },
      { subject: 'council-1', roles: ['council'] },
    );
    const denied = await client().request(SET, { input: goal }, broker);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { programGoals } = await client().ok(
      `{ programGoals { name progress { achieved { value } percentage dailyRate projectedCompletion onTrack } } }`,
      {},
      anonymous,
    );
    expect(programGoals).toHaveLength(1);
    expect(programGoals[0].progress).toMatchObject({
      achieved: { value: 5 },
      percentage: 50,
      onTrack: true,
    });
    expect(programGoals[0].progress.projectedCompletion).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
  });
});

describe("placements' natural key (issue 13)", () => {
  const PLACEMENTS_OF = /* GraphQL */ `
    query ($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Person {
          placements {
            id
            startDate
          }
        }
      }
    }
  `;

  it('records a placement once when the same person, employer and start date are sent concurrently, naming the one kept', async () => {
    const same = input.developer({ startDate: '2025-08-04' });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client().request(
          RECORD,
          // A retry may differ in what it says about the job; it is the same placement.
          { input: { ...same, salaryAfter: same.salaryAfter + i * 1_000 } },
          broker,
        ),
      ),
    );
    const kept = attempts.filter((a) => !a.errors);
    const refused = attempts.filter((a) => a.errors);
    expect(kept).toHaveLength(1);
    const id = (kept[0]!.data as any).recordPlacement.id;
    expect(refused).toHaveLength(7);
    for (const r of refused)
      expect(r.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'PLACEMENT_EXISTS',
        existingId: id,
      });

    // One placement, whoever asks again later; another start date is another placement.
    const again = await client().request(RECORD, { input: same }, broker);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      existingId: id,
    });
    await client().ok(
      RECORD,
      { input: { ...same, startDate: '2026-01-05' } },
      broker,
    );
    const seen = await client().ok(
      PLACEMENTS_OF,
      { reps: [{ __typename: 'Person', id: same.personId }] },
      admin,
    );
    expect(
      seen._entities[0].placements.map((p: any) => p.startDate).sort(),
    ).toEqual(['2025-08-04', '2026-01-05']);
    expect(
      seen._entities[0].placements.find(
        (p: any) => p.startDate === '2025-08-04',
      ).id,
    ).toBe(id);
  });
});

describe('employer surveys', () => {
  const cohortId = '01900000-0000-7000-8000-00000000c0a1';
  const employerId = '01900000-0000-7000-8000-00000000e002';
  const SUBMIT = /* GraphQL */ `
    mutation ($input: SubmitEmployerSurveyInput!) {
      submitEmployerSurvey(input: $input) {
        id
      }
    }
  `;
  const SCORES = /* GraphQL */ `
    query ($id: ID!) {
      surveyScores(subject: COHORT, id: $id) {
        responses {
          value
          suppressed
        }
        weightedAverage
        factors {
          factor
          average
        }
      }
    }
  `;
  const employer = {
    subject: 'rh-of-employer',
    roles: ['partner' as const],
    organizationId: employerId,
  };

  it('averages the ratings per cohort, withholding them until 5 employers answered', async () => {
    const scores = [5, 4, 4, 3, 4];
    for (const [i, score] of scores.entries()) {
      await client().ok(
        SUBMIT,
        {
          input: {
            employerId,
            cohortId,
            ratings: [
              { factor: 'TECHNICAL_SKILL', score },
              { factor: 'ENGLISH', score: 3 },
            ],
          },
        },
        employer,
      );
      if (i === 3) {
        const early = await client().ok(SCORES, { id: cohortId }, anonymous);
        expect(early.surveyScores.responses.suppressed).toBe('BELOW_THRESHOLD');
      }
    }
    const { surveyScores } = await client().ok(
      SCORES,
      { id: cohortId },
      anonymous,
    );
    expect(surveyScores.responses.value).toBe(5);
    expect(surveyScores.weightedAverage).toBeCloseTo(3.5, 10);
    expect(
      surveyScores.factors.find((f: any) => f.factor === 'TECHNICAL_SKILL')
        .average,
    ).toBe(4);
  });

  it('refuses a score out of range and a survey for another employer', async () => {
    const bad = await client().request(
      SUBMIT,
      {
        input: {
          employerId,
          cohortId,
          ratings: [{ factor: 'ENGLISH', score: 9 }],
        },
      },
      employer,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const other = await client().request(
      SUBMIT,
      {
        input: {
          employerId: '01900000-0000-7000-8000-00000000e003',
          ratings: [{ factor: 'ENGLISH', score: 3 }],
        },
      },
      employer,
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The refusal says who may (the test client asks for English).
    expect(other.errors?.[0]?.message).toBe(
      'Only the employer, brokers and admins submit surveys',
    );
  });
});
