import {
  GQL,
  actingFor,
  broker,
  inputMother as input,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';
import { foreignEventMother as foreign } from '../fixtures/mothers';

let running: RunningTraining;
let world: World;
const client = () => running.client;

/** An id nothing in training has (UUID v7 shaped). */
const UNKNOWN = '0190a5b0-0000-7000-8000-00000000beef';

beforeAll(async () => {
  running = await startTraining('training-bad-input');
  world = await seedWorld(running);
});

afterAll(() => running?.stop());

type Case = [
  name: string,
  variables: Record<string, unknown>,
  field: string,
  reason?: string,
];

/** Runs `mutation` with each case's variables and expects BAD_USER_INPUT naming the field. */
async function expectRefused(
  mutation: string,
  cases: Case[],
  as = broker,
): Promise<void> {
  for (const [name, variables, field, reason] of cases) {
    const res = await client().request(mutation, variables, as);
    expect({ name, extensions: res.errors?.[0]?.extensions }).toMatchObject({
      name,
      extensions: {
        code: 'BAD_USER_INPUT',
        field,
        ...(reason && { reason }),
      },
    });
    expect(res.data ?? null).toBeNull();
  }
}

async function signed(overrides: object = {}): Promise<string> {
  return (
    await client().ok(
      GQL.sign,
      { input: input.agreement(world, overrides) },
      broker,
    )
  ).signAgreement.id;
}

async function openDemand(): Promise<string> {
  return (
    await client().ok(
      GQL.request,
      { input: input.demand(world) },
      actingFor(world.clusterId),
    )
  ).requestTraining.id;
}

const APPROVE = /* GraphQL */ `
  mutation ($input: ApproveTrainingProjectInput!) {
    approveTrainingProject(input: $input) {
      id
    }
  }
`;
const CAPACITY = /* GraphQL */ `
  mutation ($input: ChangeCohortCapacityInput!) {
    changeCohortCapacity(input: $input) {
      id
    }
  }
`;
const ATTENDANCE = /* GraphQL */ `
  mutation ($input: RecordAttendanceInput!) {
    recordAttendance(input: $input) {
      id
    }
  }
`;

describe('bad input is BAD_USER_INPUT naming the field', () => {
  it('on requestTraining: headcount ≤ 0 or too large, a past date, unknown target or requester', async () => {
    const demand = (overrides: object) => ({
      input: input.demand(world, overrides),
    });
    await expectRefused(
      GQL.request,
      [
        ['zero', demand({ headcount: 0 }), 'input.headcount'],
        ['negative', demand({ headcount: -5 }), 'input.headcount'],
        ['huge', demand({ headcount: 100_001 }), 'input.headcount'],
        [
          'past',
          demand({ neededBy: '2020-01-01' }),
          'input.neededBy',
          'DATE_IN_PAST',
        ],
        [
          'unknown credential',
          demand({ target: { credentialId: UNKNOWN } }),
          'input.target.credentialId',
          'CREDENTIAL_NOT_FOUND',
        ],
        [
          'unknown standard',
          demand({ target: { standardId: UNKNOWN } }),
          'input.target.standardId',
          'STANDARD_NOT_FOUND',
        ],
        ['bad state', demand({ state: 'MX-XXX' }), 'input.state'],
      ],
      actingFor(world.clusterId),
    );
    await expectRefused(GQL.request, [
      [
        'unknown requester',
        demand({ requesterId: UNKNOWN }),
        'input.requesterId',
        'ORGANIZATION_NOT_FOUND',
      ],
    ]);
  });

  it('on signAgreement: discount out of range, dates reversed or past, unknown provider or target, no minimum', async () => {
    const deal = (overrides: object) => ({
      input: input.agreement(world, overrides),
    });
    await expectRefused(GQL.sign, [
      [
        "above the seeds' 70% (the default cap)",
        deal({ discountBps: 7_001 }),
        'input.discountBps',
        'DISCOUNT_OUT_OF_RANGE',
      ],
      [
        'above 90%',
        deal({ discountBps: 9_001 }),
        'input.discountBps',
        'DISCOUNT_OUT_OF_RANGE',
      ],
      ['negative', deal({ discountBps: -1 }), 'input.discountBps'],
      [
        'reversed',
        deal({ validFrom: '2099-06-01', validUntil: '2099-01-01' }),
        'input.validUntil',
        'DATES_REVERSED',
      ],
      [
        'past',
        deal({ validFrom: '2020-01-01', validUntil: '2020-06-01' }),
        'input.validUntil',
        'DATE_IN_PAST',
      ],
      [
        'unknown provider',
        deal({ providerId: UNKNOWN }),
        'input.providerId',
        'ORGANIZATION_NOT_FOUND',
      ],
      [
        'unknown credential',
        deal({ target: { credentialId: UNKNOWN } }),
        'input.target.credentialId',
        'CREDENTIAL_NOT_FOUND',
      ],
      ['no minimum', deal({ minCohortSize: 0 }), 'input.minCohortSize'],
      [
        'nowhere',
        deal({ states: [], online: false }),
        'input.states',
        'NO_DELIVERY',
      ],
    ]);
  });

  it('on draftTrainingProject and approveTrainingProject: fund share above 80% or the requested, unknown ids', async () => {
    const agreementId = await signed();
    const demandId = await openDemand();
    const draft = (overrides: object) => ({
      input: {
        name: 'Talento TI',
        fundName: 'Fondo',
        agreementId,
        demandRequestIds: [demandId],
        requestedFundShareBps: 5_000,
        ...overrides,
      },
    });
    await expectRefused(GQL.draft, [
      [
        'above 80%',
        draft({ requestedFundShareBps: 8_001 }),
        'input.requestedFundShareBps',
        'FUND_SHARE_ABOVE_CAP',
      ],
      [
        'unknown agreement',
        draft({ agreementId: UNKNOWN }),
        'input.agreementId',
        'AGREEMENT_NOT_FOUND',
      ],
      [
        'unknown demand',
        draft({ demandRequestIds: [demandId, UNKNOWN] }),
        'input.demandRequestIds[1]',
        'DEMAND_NOT_FOUND',
      ],
      ['no demand', draft({ demandRequestIds: [] }), 'input.demandRequestIds'],
    ]);
    const projectId = (await client().ok(GQL.draft, draft({}), broker))
      .draftTrainingProject.id;
    await client().ok(
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      { id: projectId },
      broker,
    );
    await expectRefused(APPROVE, [
      [
        'above 80%',
        { input: { id: projectId, approvedFundShareBps: 8_500 } },
        'input.approvedFundShareBps',
        'FUND_SHARE_ABOVE_CAP',
      ],
      [
        'above requested',
        { input: { id: projectId, approvedFundShareBps: 6_000 } },
        'input.approvedFundShareBps',
        'FUND_SHARE_ABOVE_REQUESTED',
      ],
      [
        'unknown project',
        { input: { id: UNKNOWN, approvedFundShareBps: 5_000 } },
        'input.id',
        'PROJECT_NOT_FOUND',
      ],
    ]);
    await expectRefused(
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      [['unknown project', { id: UNKNOWN }, 'id', 'PROJECT_NOT_FOUND']],
    );
  });

  it('on scheduleCohort: unknown ids, capacity below the minimum, outside the validity, a state its venue is not in', async () => {
    const agreementId = await signed();
    const cohort = (overrides: object) => ({
      input: input.cohort(world, agreementId, overrides),
    });
    await expectRefused(GQL.schedule, [
      [
        'unknown agreement',
        cohort({ agreementId: UNKNOWN }),
        'input.agreementId',
        'AGREEMENT_NOT_FOUND',
      ],
      [
        'unknown venue',
        cohort({ venueId: UNKNOWN }),
        'input.venueId',
        'ORGANIZATION_NOT_FOUND',
      ],
      [
        'unknown project',
        cohort({ projectId: UNKNOWN }),
        'input.projectId',
        'PROJECT_NOT_FOUND',
      ],
      [
        'below minimum',
        cohort({ capacity: 1 }),
        'input.capacity',
        'CAPACITY_BELOW_MINIMUM',
      ],
      [
        'after validity',
        cohort({ endsOn: '2099-01-01' }),
        'input.endsOn',
        'OUTSIDE_AGREEMENT_VALIDITY',
      ],
      [
        'in person, no state',
        cohort({ state: null }),
        'input.state',
        'STATE_REQUIRED',
      ],
      [
        'not the venue state',
        // The agreement serves Nuevo León, but the venue is in Jalisco.
        cohort({ state: 'MX-NLE', city: 'Monterrey' }),
        'input.state',
        'VENUE_STATE_MISMATCH',
      ],
      [
        'hybrid, not the venue state',
        cohort({ state: 'MX-NLE', city: 'Monterrey', mode: 'HYBRID' }),
        'input.state',
        'VENUE_STATE_MISMATCH',
      ],
    ]);
  });

  it('on scheduleCohort: a state the agreement does not serve is refused, unless the agreement is also online', async () => {
    const tijuana = foreign.organization(
      'Universidad Autónoma de Baja California',
      'UNIVERSITY',
      'MX-BCN',
    );
    await running.publish(tijuana);
    await running.eventually(async () => {
      const found =
        await running.service.stores.projections.organizations.findByIds([
          tijuana.data.id,
        ]);
      return found.length === 1;
    });
    const inBaja = {
      venueId: tijuana.data.id,
      state: 'MX-BCN',
      city: 'Tijuana',
      mode: 'HYBRID',
    };
    await expectRefused(GQL.schedule, [
      [
        'not served',
        { input: input.cohort(world, await signed(), inBaja) },
        'input.state',
        'STATE_NOT_SERVED',
      ],
    ]);
    const online = await signed({ online: true });
    const res = await client().request(
      GQL.schedule,
      { input: input.cohort(world, online, inBaja) },
      broker,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.scheduleCohort).toMatchObject({ status: 'SCHEDULED' });
  });

  it('on cohort and enrollment commands: capacity below 1 or the enrolled, attendance above 100, unknown ids', async () => {
    const agreementId = await signed();
    const cohortId = (
      await client().ok(
        GQL.schedule,
        { input: input.cohort(world, agreementId, { capacity: 3 }) },
        broker,
      )
    ).scheduleCohort.id;
    const enrollmentId = (
      await client().ok(
        GQL.enroll,
        { input: { cohortId, personId: world.personIds[0] } },
        broker,
      )
    ).enroll.id;
    await client().ok(
      GQL.enroll,
      { input: { cohortId, personId: world.personIds[1] } },
      broker,
    );
    await expectRefused(CAPACITY, [
      ['zero', { input: { id: cohortId, capacity: 0 } }, 'input.capacity'],
      [
        'below enrolled',
        { input: { id: cohortId, capacity: 1 } },
        'input.capacity',
        'CAPACITY_BELOW_ENROLLED',
      ],
      [
        'unknown cohort',
        { input: { id: UNKNOWN, capacity: 5 } },
        'input.id',
        'COHORT_NOT_FOUND',
      ],
    ]);
    await expectRefused(GQL.enroll, [
      [
        'unknown cohort',
        { input: { cohortId: UNKNOWN, personId: world.personIds[2] } },
        'input.cohortId',
        'COHORT_NOT_FOUND',
      ],
      [
        'unknown person',
        { input: { cohortId, personId: UNKNOWN } },
        'input.personId',
        'PERSON_NOT_FOUND',
      ],
      [
        'not an id',
        { input: { cohortId: 'cohort-1', personId: world.personIds[2] } },
        'input.cohortId',
      ],
    ]);
    await expectRefused(ATTENDANCE, [
      [
        'above 100',
        { input: { enrollmentId, attendancePercent: 101 } },
        'input.attendancePercent',
      ],
      [
        'negative',
        { input: { enrollmentId, attendancePercent: -1 } },
        'input.attendancePercent',
      ],
      [
        'unknown enrollment',
        { input: { enrollmentId: UNKNOWN, attendancePercent: 90 } },
        'input.enrollmentId',
        'ENROLLMENT_NOT_FOUND',
      ],
    ]);
    await expectRefused(
      `mutation ($id: ID!) { issueExamVoucher(enrollmentId: $id) { id } }`,
      [
        [
          'unknown enrollment',
          { id: UNKNOWN },
          'enrollmentId',
          'ENROLLMENT_NOT_FOUND',
        ],
      ],
    );
    await expectRefused(`mutation ($id: ID!) { startCohort(id: $id) { id } }`, [
      ['unknown cohort', { id: UNKNOWN }, 'id', 'COHORT_NOT_FOUND'],
    ]);
    const after = await client().ok(
      `query ($id: ID!) { cohort(id: $id) { capacity enrolledCount } }`,
      { id: cohortId },
      broker,
    );
    expect(after.cohort).toEqual({ capacity: 3, enrolledCount: 2 });
  });

  it('on cancelDemandRequest and matchDemand: unknown ids and an empty reason', async () => {
    const CANCEL = `mutation ($input: CancelDemandRequestInput!) { cancelDemandRequest(input: $input) { id } }`;
    const demandId = await openDemand();
    await expectRefused(CANCEL, [
      [
        'unknown',
        { input: { id: UNKNOWN, reason: 'x' } },
        'input.id',
        'DEMAND_NOT_FOUND',
      ],
      ['no reason', { input: { id: demandId, reason: '  ' } }, 'input.reason'],
    ]);
    const res = await client().request(
      `query ($id: ID!) { matchDemand(demandRequestId: $id) { servable } }`,
      { id: UNKNOWN },
      broker,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'demandRequestId',
      reason: 'DEMAND_NOT_FOUND',
    });
  });
});
