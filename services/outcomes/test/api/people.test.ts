import { v7 as uuidv7 } from 'uuid';
import { eventMother as events, placementMother } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  university,
  type RunningOutcomes,
} from '../fixtures/service';

// The README's worked examples (issue 14), published as training,
// certification and outcomes publish them, and read through GraphQL.
let running: RunningOutcomes;
const client = () => running.client;

const ecIt = events.standardPublished('EC0217', '2023-04-01T12:00:00Z');
const IT = ecIt.data.id;
const cohortJal = events.cohortScheduled(
  { standardId: IT },
  { state: 'MX-JAL' },
);
// Evaluates in Jalisco only; the other body in two states (no state known).
const udg = events.bodyRegistered(['MX-JAL']);
const network = events.bodyRegistered(['MX-JAL', 'MX-NLE']);
const trainees = Array.from({ length: 20 }, () => uuidv7());
const enrollments = trainees.map((personId) =>
  events.enrolled(cohortJal.data.id, IT, '2025-02-03T15:00:00Z', personId),
);
const certificates = trainees.slice(0, 12).map((personId) =>
  events.certificateIssued(IT, '2025-05-20T17:00:00Z', personId, {
    certifyingBodyId: udg.data.id,
  }),
);

const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31', granularity: 'YEAR' };
const FILTER = { ...YEAR_2025, standardId: IT };

const placeAs = (personId: string, startDate: string) =>
  client().ok(
    `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
    { input: placementMother.developer({ personId, startDate }) },
    admin,
  );

beforeAll(async () => {
  running = await startOutcomes('outcomes-people');
  await running.publish(
    ecIt,
    udg,
    network,
    events.demandRequested('2025-01-20T12:00:00Z', 100, {
      standardId: IT,
      state: 'MX-JAL',
    }),
    // Certificates before the enrollments they follow, and completions
    // before the cohort's scheduling: the order does not matter.
    ...certificates,
    ...enrollments
      .slice(0, 15)
      .map((e) => events.completed(e, '2025-04-30T18:00:00Z')),
    cohortJal,
    ...enrollments,
    // A trainee certified in 2019 (a legacy import), before the training.
    events.certificateIssued(IT, '2019-06-10T12:00:00Z', trainees[12], {
      certifyingBodyId: udg.data.id,
      imported: true,
    }),
    // 30 people certified who never trained, by the two-state body.
    ...Array.from({ length: 30 }, () =>
      events.certificateIssued(IT, '2025-05-20T17:00:00Z', uuidv7(), {
        certifyingBodyId: network.data.id,
      }),
    ),
    // Redelivered.
    enrollments[0]!,
    certificates[0]!,
  );
  for (const personId of trainees.slice(0, 8))
    await placeAs(personId, '2025-07-01');
  await placeAs(trainees[8]!, '2026-02-16');
  for (let i = 0; i < 5; i += 1) await placeAs(uuidv7(), '2025-08-01');
  await running.caughtUp();
});

afterAll(() => running?.stop());

const FUNNEL = /* GraphQL */ `
  query ($filter: OutcomeFilter!, $months: Int) {
    funnel(filter: $filter, placementWithinMonths: $months) {
      placementWithinMonths
      stages {
        stage
        base
        count {
          value
          partial
        }
        rate
      }
      trained {
        value
      }
    }
  }
`;
const stagesOf = (funnel: any) =>
  funnel.stages.map((s: any) => [s.stage, s.base, s.count.value, s.rate]);

describe('the funnel follows one cohort of people', () => {
  it('20 enrolled → 15 completed → 12 certified on the standard → 8 placed within 6 months, in Jalisco or anywhere', async () => {
    for (const filter of [FILTER, { ...FILTER, state: 'MX-JAL' }]) {
      const { funnel } = await client().ok(FUNNEL, { filter }, admin);
      expect(stagesOf(funnel)).toEqual([
        ['ENROLLED', null, 20, null],
        ['COMPLETED', 'ENROLLED', 15, 0.75],
        ['CERTIFIED', 'COMPLETED', 12, 0.8],
        ['PLACED', 'CERTIFIED', 8, 8 / 12],
      ]);
      expect(funnel.placementWithinMonths).toBe(6);
      // The field the dashboard already reads: the cohort.
      expect(funnel.trained).toEqual({ value: 20 });
    }
  });

  it('counts the job nine months after certification within 12 months', async () => {
    const { funnel } = await client().ok(
      FUNNEL,
      { filter: FILTER, months: 12 },
      admin,
    );
    expect(funnel.stages[3]).toMatchObject({ count: { value: 9 }, rate: 0.75 });
  });

  it('shows a university rounded stages whose rates stay between 0 and 1', async () => {
    const { funnel } = await client().ok(
      FUNNEL,
      { filter: FILTER },
      university,
    );
    expect(stagesOf(funnel)).toEqual([
      ['ENROLLED', null, 20, null],
      ['COMPLETED', 'ENROLLED', 15, 0.75],
      ['CERTIFIED', 'COMPLETED', 10, 10 / 15],
      ['PLACED', 'CERTIFIED', 10, 1],
    ]);
  });

  it('refuses a placement window outside 1–60 months, naming the argument', async () => {
    for (const months of [0, 61]) {
      const response = await client().request(
        FUNNEL,
        { filter: FILTER, months },
        anonymous,
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'placementWithinMonths',
      });
    }
  });
});

const SUPPLY = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    skillGaps(filter: $filter) {
      demand {
        value
      }
      trained {
        value
      }
      certified {
        value
        suppressed
      }
      supply {
        value
      }
      gap
    }
    supply(filter: $filter) {
      certified {
        value
      }
      people {
        value
      }
    }
  }
`;

describe('supply in distinct people', () => {
  it('counts trainees certified once, and the trainee certified in 2019 in 2019: 19 + 30 = 49 people of 2025, not 20 + 42', async () => {
    const { skillGaps, supply } = await client().ok(
      SUPPLY,
      { filter: FILTER },
      admin,
    );
    expect(skillGaps).toEqual([
      {
        demand: { value: 100 },
        trained: { value: 20 },
        certified: { value: 42, suppressed: null },
        supply: { value: 49 },
        gap: 51,
      },
    ]);
    expect(supply).toEqual([
      { certified: { value: 42 }, people: { value: 49 } },
    ]);
  });

  it('counts certificates in the state they were evaluated in: Jalisco’s body’s 12, not the two-state body’s 30', async () => {
    const { skillGaps, supply } = await client().ok(
      SUPPLY,
      { filter: { ...FILTER, state: 'MX-JAL' } },
      admin,
    );
    expect(skillGaps).toEqual([
      {
        demand: { value: 100 },
        trained: { value: 20 },
        certified: { value: 12, suppressed: null },
        supply: { value: 19 },
        gap: 81,
      },
    ]);
    expect(supply).toEqual([
      { certified: { value: 12 }, people: { value: 19 } },
    ]);
  });
});

describe('placements link to what preceded them', () => {
  const LINKS = /* GraphQL */ `
    query ($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Person {
          placements {
            startDate
            precededBy {
              cohort {
                id
              }
              completedAt
              certificateId
              standard {
                id
              }
              certifiedAt
            }
          }
        }
      }
    }
  `;

  it('names the latest completed cohort and certificate of the person, or none, for those who may see the placement', async () => {
    const stranger = uuidv7();
    await placeAs(stranger, '2025-09-01');
    await running.caughtUp();
    const reps = [
      { __typename: 'Person', id: trainees[0] },
      { __typename: 'Person', id: stranger },
    ];
    const seen = await client().ok(LINKS, { reps }, admin);
    expect(seen._entities[0].placements).toEqual([
      {
        startDate: '2025-07-01',
        precededBy: {
          cohort: { id: cohortJal.data.id },
          completedAt: '2025-04-30T18:00:00.000Z',
          certificateId: certificates[0]!.data.id,
          standard: { id: IT },
          certifiedAt: '2025-05-20T17:00:00.000Z',
        },
      },
    ]);
    expect(seen._entities[1].placements).toEqual([
      {
        startDate: '2025-09-01',
        precededBy: {
          cohort: null,
          completedAt: null,
          certificateId: null,
          standard: null,
          certifiedAt: null,
        },
      },
    ]);
    // Personal data: nobody else sees the placements, nor what preceded them.
    const hidden = await client().ok(LINKS, { reps }, anonymous);
    expect(hidden._entities[0].placements).toEqual([]);
  });
});
