import { readEvents } from '@conecta/test-kit';
import { foreignEventMother as foreign } from '../fixtures/mothers';
import {
  GQL,
  actingFor,
  anonymous,
  broker,
  inputMother as input,
  person,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-cohorts');
  world = await seedWorld(running, 6);
});

afterAll(() => running?.stop());

const COHORT = /* GraphQL */ `
  query ($id: ID!) {
    cohort(id: $id) {
      status
      enrolledCount
      seatsLeft
      enrollments {
        id
        person {
          id
        }
        status
        certified
      }
      indicators {
        trained
        completed
        dropped
        vouchersIssued
        vouchersUsed
        vendorExamsPassed
        certified
        certificationRate
      }
    }
  }
`;

async function scheduledCohort(overrides: object = {}) {
  const agreement = (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement;
  const cohort = (
    await client().ok(
      GQL.schedule,
      { input: input.cohort(world, agreement.id, overrides) },
      broker,
    )
  ).scheduleCohort;
  return { agreementId: agreement.id as string, id: cohort.id as string };
}

const enroll = (cohortId: string, personId: string) =>
  client().request(GQL.enroll, { input: { cohortId, personId } }, broker);

describe('cohorts', () => {
  it('refuses reversed dates, a past start and a state the agreement does not serve, naming the field', async () => {
    const agreement = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement;
    const cases: Array<[object, string, string]> = [
      [
        { startsOn: '2099-02-01', endsOn: '2099-01-01' },
        'DATES_REVERSED',
        'input.endsOn',
      ],
      [{ startsOn: '2020-01-01' }, 'DATE_IN_PAST', 'input.startsOn'],
      [{ state: 'MX-YUC' }, 'STATE_NOT_SERVED', 'input.state'],
      [{ capacity: 0 }, 'INVALID_INPUT', 'input.capacity'],
    ];
    for (const [overrides, reason, field] of cases) {
      const res = await client().request(
        GQL.schedule,
        { input: input.cohort(world, agreement.id, overrides) },
        broker,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason,
        field,
      });
    }
  });

  it('refuses overbooking, even when enrollments race for the last seats', async () => {
    const cohort = await scheduledCohort({ capacity: 3 });
    const results = await Promise.all(
      world.personIds.slice(0, 5).map((p) => enroll(cohort.id, p)),
    );
    const ok = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(ok).toHaveLength(3);
    expect(refused.map((r) => r.errors?.[0]?.extensions?.reason)).toEqual([
      'COHORT_FULL',
      'COHORT_FULL',
    ]);
    const after = await client().ok(COHORT, { id: cohort.id }, broker);
    expect(after.cohort).toMatchObject({ enrolledCount: 3, seatsLeft: 0 });
    expect(after.cohort.enrollments).toHaveLength(3);
  });

  it('refuses enrolling the same person twice, and a capacity below the enrolled', async () => {
    const cohort = await scheduledCohort({ capacity: 4 });
    const [someone, other] = world.personIds;
    expect((await enroll(cohort.id, someone!)).errors).toBeUndefined();
    await enroll(cohort.id, other!);
    const twice = await enroll(cohort.id, someone!);
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_ENROLLED',
    });
    const shrink = await client().request(
      `mutation ($input: ChangeCohortCapacityInput!) { changeCohortCapacity(input: $input) { capacity } }`,
      { input: { id: cohort.id, capacity: 1 } },
      broker,
    );
    expect(shrink.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'CAPACITY_BELOW_ENROLLED',
      field: 'input.capacity',
    });
    const stranger = await enroll(
      cohort.id,
      '0190a5b0-0000-7000-8000-000000000000',
    );
    expect(stranger.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'PERSON_NOT_FOUND',
      field: 'input.personId',
    });
    const after = await client().ok(COHORT, { id: cohort.id }, broker);
    expect(after.cohort.enrolledCount).toBe(2);
  });
});

describe('a cohort run end to end', () => {
  it('tracks attendance, vouchers, exams, completion and certification from a real CertificateIssued event', async () => {
    const cohort = await scheduledCohort({ capacity: 4 });
    const [ana, beto, caro] = world.personIds as [string, string, string];
    const ids: Record<string, string> = {};
    for (const p of [ana, beto, caro])
      ids[p] = (
        await client().ok(
          GQL.enroll,
          { input: { cohortId: cohort.id, personId: p } },
          broker,
        )
      ).enroll.id;
    const provider = actingFor(world.providerId);
    const call = (mutation: string, variables: object, as = provider) =>
      client().ok(mutation, variables as Record<string, unknown>, as);
    await call(
      `mutation ($id: ID!) { startCohort(id: $id) { status } }`,
      { id: cohort.id },
      broker,
    );
    await call(
      `mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) { attendancePercent } }`,
      { input: { enrollmentId: ids[ana], attendancePercent: 95 } },
    );
    await call(
      `mutation ($id: ID!) { issueExamVoucher(enrollmentId: $id) { voucherIssuedAt } }`,
      { id: ids[ana] },
    );
    await call(
      `mutation ($id: ID!) { useExamVoucher(enrollmentId: $id) { voucherUsedAt } }`,
      { id: ids[ana] },
    );
    await call(
      `mutation ($input: RecordVendorExamInput!) { recordVendorExam(input: $input) { vendorExamPassed } }`,
      { input: { enrollmentId: ids[ana], passed: true } },
    );
    await call(
      `mutation ($id: ID!) { completeEnrollment(enrollmentId: $id) { status } }`,
      { id: ids[ana] },
    );
    await call(
      `mutation ($id: ID!) { completeEnrollment(enrollmentId: $id) { status } }`,
      { id: ids[beto] },
    );
    await call(
      `mutation ($input: DropEnrollmentInput!) { dropEnrollment(input: $input) { status } }`,
      { input: { enrollmentId: ids[caro], reason: 'Cambio de ciudad' } },
    );
    const strangerProvider = await client().request(
      `mutation ($id: ID!) { completeEnrollment(enrollmentId: $id) { status } }`,
      { id: ids[beto] },
      actingFor(world.clusterId),
    );
    expect(strangerProvider.errors?.[0]?.extensions?.reason).toBe(
      'NOT_COHORT_PROVIDER',
    );

    // certification issues Ana a certificate against the cohort's standard.
    await running.publish(
      foreign.certificateIssued(ana, world.standardId),
      foreign.certificateIssued(beto, '0190a5b0-0000-7000-8000-0000000000aa'),
    );
    const { cohort: done } = await running.eventually(async () => {
      const res = await client().ok(COHORT, { id: cohort.id }, broker);
      return res.cohort.indicators.certified === 1 ? res : null;
    });
    expect(done.indicators).toEqual({
      trained: 2,
      completed: 2,
      dropped: 1,
      vouchersIssued: 1,
      vouchersUsed: 1,
      vendorExamsPassed: 1,
      certified: 1,
      certificationRate: 0.5,
    });
    expect(done.seatsLeft).toBe(2);
    expect(
      done.enrollments.find((e: any) => e.person.id === ana).certified,
    ).toBe(true);

    const types = [
      'training.ParticipantEnrolled',
      'training.AttendanceRecorded',
      'training.ExamVoucherIssued',
      'training.ExamVoucherUsed',
      'training.VendorExamRecorded',
      'training.EnrollmentCompleted',
    ];
    const events = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.training.events`,
      until: ({ event }) => event.subject === ids[ana],
      count: types.length,
    });
    expect(events.map((e) => e.event.type)).toEqual(types);
    expect(events[0]?.event.data).toMatchObject({
      personId: ana,
      cohortId: cohort.id,
      targetKind: 'STANDARD',
      standardId: world.standardId,
    });
  });
});

describe('who sees enrollments', () => {
  it('shows them to brokers, the provider and the person, and nothing personal to the public', async () => {
    const cohort = await scheduledCohort({ capacity: 2 });
    const [who] = world.personIds.slice(-1) as [string];
    const { id } = (
      await client().ok(
        GQL.enroll,
        { input: { cohortId: cohort.id, personId: who } },
        broker,
      )
    ).enroll;
    const COUNT = `query ($id: ID!) { cohort(id: $id) { enrolledCount enrollments { id } } }`;
    const publicView = await client().ok(COUNT, { id: cohort.id }, anonymous);
    expect(publicView.cohort).toEqual({ enrolledCount: 1, enrollments: [] });
    for (const as of [broker, actingFor(world.providerId), person(who)]) {
      expect(
        (await client().ok(COUNT, { id: cohort.id }, as)).cohort.enrollments,
      ).toEqual([{ id }]);
    }
    const PERSON = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { enrollments { id } } } }`;
    const r = [{ __typename: 'Person', id: who }];
    expect(
      (await client().ok(PERSON, { r }, person(who)))._entities[0].enrollments,
    ).toEqual([{ id }]);
    expect(
      (await client().ok(PERSON, { r }, anonymous))._entities[0].enrollments,
    ).toEqual([]);
  });
});

describe('federation', () => {
  it('resolves Cohort references through _entities, N references in one query', async () => {
    const cohorts = [
      await scheduledCohort(),
      await scheduledCohort(),
      await scheduledCohort(),
    ];
    const spy = jest.spyOn(running.service.stores.cohorts, 'findByIds');
    const res = await client().ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cohort { id status } } }`,
      {
        r: [
          ...cohorts.map((c) => c.id),
          '0190a5b0-0000-7000-8000-000000000000',
        ].map((id) => ({ __typename: 'Cohort', id })),
      },
      anonymous,
    );
    expect(res._entities).toEqual([
      ...cohorts.map((c) => ({ id: c.id, status: 'SCHEDULED' })),
      null,
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  describe('resolves each owned @key through _entities, N references in one query', () => {
    const ids: Record<string, string[]> = {};
    const UNKNOWN = '0190a5b0-0000-7000-8000-000000000000';

    beforeAll(async () => {
      const made = [await scheduledCohort(), await scheduledCohort()];
      const demands = [];
      for (let i = 0; i < 2; i += 1)
        demands.push(
          (
            await client().ok(
              GQL.request,
              { input: input.demand(world) },
              actingFor(world.clusterId),
            )
          ).requestTraining.id,
        );
      const projects = [];
      for (const [i, demandId] of demands.entries())
        projects.push(
          (
            await client().ok(
              GQL.draft,
              {
                input: {
                  name: `Federado ${i}`,
                  fundName: 'Fondo',
                  agreementId: made[i]!.agreementId,
                  demandRequestIds: [demandId],
                  requestedFundShareBps: 5_000,
                },
              },
              broker,
            )
          ).draftTrainingProject.id,
        );
      const credentials = [];
      for (let i = 0; i < 2; i += 1)
        credentials.push(
          (
            await client().ok(
              GQL.registerCredential,
              { input: input.credential() },
              broker,
            )
          ).registerVendorCredential.id,
        );
      const enrollments = [];
      for (const cohort of made)
        enrollments.push(
          (
            await client().ok(
              GQL.enroll,
              { input: { cohortId: cohort.id, personId: world.personIds[0] } },
              broker,
            )
          ).enroll.id,
        );
      Object.assign(ids, {
        Agreement: made.map((c) => c.agreementId),
        DemandRequest: demands,
        TrainingProject: projects,
        VendorCredential: credentials,
        Enrollment: enrollments,
      });
    });

    it.each([
      ['Agreement', 'agreements'],
      ['DemandRequest', 'demands'],
      ['TrainingProject', 'projects'],
      ['VendorCredential', 'credentials'],
      ['Enrollment', 'enrollments'],
    ] as const)('%s', async (typename, store) => {
      const spy = jest.spyOn(running.service.stores[store], 'findByIds');
      const res = await client().ok(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id } } }`,
        {
          r: [...ids[typename]!, UNKNOWN].map((id) => ({
            __typename: typename,
            id,
          })),
        },
        broker,
      );
      expect(res._entities).toEqual([
        ...ids[typename]!.map((id) => ({ id })),
        null,
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
    });

    it('hides demand and enrollments from the public: their references resolve to null', async () => {
      const hidden = await client().ok(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on DemandRequest { id } ... on Enrollment { id } } }`,
        {
          r: [
            { __typename: 'DemandRequest', id: ids.DemandRequest![0] },
            { __typename: 'Enrollment', id: ids.Enrollment![0] },
          ],
        },
        anonymous,
      );
      expect(hidden._entities).toEqual([null, null]);
    });
  });

  it('extends Organization, CompetencyStandard and Person, batching each list in one query', async () => {
    await scheduledCohort();
    const spy = jest.spyOn(running.service.stores.agreements, 'find');
    const res = await client().ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Organization { id agreements { id } demandRequests { id } }
        ... on CompetencyStandard { id trainingOffers { discountBps } }
      } }`,
      {
        r: [
          { __typename: 'Organization', id: world.providerId },
          { __typename: 'Organization', id: world.clusterId },
          { __typename: 'CompetencyStandard', id: world.standardId },
        ],
      },
      actingFor(world.clusterId),
    );
    expect(res._entities[0].agreements.length).toBeGreaterThan(0);
    expect(res._entities[0].demandRequests).toEqual([]);
    expect(res._entities[1].demandRequests.length).toBeGreaterThan(0);
    expect(res._entities[2].trainingOffers.length).toBeGreaterThan(0);
    // one query for both organizations' agreements, one for the standard's offers
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });
});
