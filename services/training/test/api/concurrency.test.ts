import { readEvents } from '@conecta/test-kit';
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

let running: RunningTraining;
let world: World;
const client = () => running.client;

beforeAll(async () => {
  running = await startTraining('training-concurrency');
  world = await seedWorld(running, 4);
});

afterAll(() => running?.stop());

const ATTENDANCE = /* GraphQL */ `
  mutation ($input: RecordAttendanceInput!) {
    recordAttendance(input: $input) {
      attendancePercent
    }
  }
`;
const EXAM = /* GraphQL */ `
  mutation ($input: RecordVendorExamInput!) {
    recordVendorExam(input: $input) {
      vendorExamPassed
    }
  }
`;
const ISSUE = /* GraphQL */ `
  mutation ($id: ID!) {
    issueExamVoucher(enrollmentId: $id) {
      voucherIssuedAt
    }
  }
`;
const USE = /* GraphQL */ `
  mutation ($id: ID!) {
    useExamVoucher(enrollmentId: $id) {
      voucherUsedAt
    }
  }
`;
const ENROLLMENT = /* GraphQL */ `
  query ($id: ID!) {
    enrollment(id: $id) {
      status
      attendancePercent
      vendorExamPassed
      voucherIssuedAt
      voucherUsedAt
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation ($input: CancelDemandRequestInput!) {
    cancelDemandRequest(input: $input) {
      status
    }
  }
`;
const PROJECT = /* GraphQL */ `
  query ($id: ID!) {
    trainingProject(id: $id) {
      status
      demandRequests {
        id
      }
      cost {
        participants
      }
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation ($id: ID!) {
    submitTrainingProject(id: $id) {
      status
    }
  }
`;

const provider = () => actingFor(world.providerId);

/** A fresh enrollment of a world person in a new cohort (one voucher per participant). */
async function enrollment(): Promise<string> {
  const agreement = (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement;
  const cohort = (
    await client().ok(
      GQL.schedule,
      { input: input.cohort(world, agreement.id) },
      broker,
    )
  ).scheduleCohort;
  return (
    await client().ok(
      GQL.enroll,
      { input: { cohortId: cohort.id, personId: world.personIds[0] } },
      broker,
    )
  ).enroll.id;
}

/** The events published for `subject` on the service's topic, the first `count` of them. */
const eventsOf = (subject: string, count: number) =>
  readEvents({
    brokers: running.infra.kafkaBrokers,
    topic: `${running.infra.topicPrefix}conecta.training.events`,
    until: ({ event }) => event.subject === subject,
    count,
  }).then((found) => found.map((e) => e.event.type as string));

const storedVersion = async (
  store: { collection: { findOne(f: object): Promise<unknown> } },
  id: string,
) =>
  ((await store.collection.findOne({ _id: id })) as { version?: number })
    .version;

describe('concurrent progress on one enrollment', () => {
  it('keeps attendance, the exam result and the voucher recorded at once, each published once', async () => {
    const id = await enrollment();
    const results = await Promise.all([
      client().request(
        ATTENDANCE,
        { input: { enrollmentId: id, attendancePercent: 90 } },
        provider(),
      ),
      client().request(
        EXAM,
        { input: { enrollmentId: id, passed: true } },
        provider(),
      ),
      client().request(ISSUE, { id }, provider()),
    ]);
    expect(results.map((r) => r.errors)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const stored = (await client().ok(ENROLLMENT, { id }, broker)).enrollment;
    expect(stored).toMatchObject({
      status: 'ENROLLED',
      attendancePercent: 90,
      vendorExamPassed: true,
      voucherUsedAt: null,
    });
    expect(stored.voucherIssuedAt).not.toBeNull();
    // Inserted at version 1, then one raise per write.
    expect(await storedVersion(running.service.stores.enrollments, id)).toBe(4);

    // A later step closes the sequence: anything published twice would sit
    // before it and push it out of the first five.
    await client().ok(USE, { id }, provider());
    const types = await eventsOf(id, 5);
    expect(types[0]).toBe('training.ParticipantEnrolled');
    expect(types.slice(1, 4).sort()).toEqual([
      'training.AttendanceRecorded',
      'training.ExamVoucherIssued',
      'training.VendorExamRecorded',
    ]);
    expect(types[4]).toBe('training.ExamVoucherUsed');
  });

  it('issues one voucher when two are asked at once: the retry sees it issued and answers CONFLICT', async () => {
    const id = await enrollment();
    const results = await Promise.all([
      client().request(ISSUE, { id }, provider()),
      client().request(ISSUE, { id }, provider()),
    ]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(
      results.flatMap((r) => r.errors ?? []).map((e) => e.extensions),
    ).toEqual([
      expect.objectContaining({
        code: 'CONFLICT',
        reason: 'VOUCHER_ALREADY_ISSUED',
      }),
    ]);
    await client().ok(USE, { id }, provider());
    expect(await eventsOf(id, 3)).toEqual([
      'training.ParticipantEnrolled',
      'training.ExamVoucherIssued',
      'training.ExamVoucherUsed',
    ]);
  });

  it('versions a document written before versions existed from 0, matching it by its missing version', async () => {
    const id = await enrollment();
    const { enrollments } = running.service.stores;
    // What an enrollment written by the previous release looks like.
    await enrollments.collection.updateOne({ _id: id } as never, {
      $unset: { version: '' },
    });
    expect(await storedVersion(enrollments, id)).toBeUndefined();
    expect((await enrollments.findById(id))?.version).toBe(0);

    const results = await Promise.all([
      client().request(
        ATTENDANCE,
        { input: { enrollmentId: id, attendancePercent: 75 } },
        provider(),
      ),
      client().request(
        EXAM,
        { input: { enrollmentId: id, passed: false } },
        provider(),
      ),
    ]);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(
      (await client().ok(ENROLLMENT, { id }, broker)).enrollment,
    ).toMatchObject({ attendancePercent: 75, vendorExamPassed: false });
    expect(await storedVersion(enrollments, id)).toBe(2);
  });
});

describe('concurrent cancellations in one DRAFT project', () => {
  it('drops both requests from the project, each withdrawal published once', async () => {
    const demand = async (headcount: number) =>
      (
        await client().ok(
          GQL.request,
          { input: input.demand(world, { headcount }) },
          actingFor(world.clusterId),
        )
      ).requestTraining.id as string;
    const kept = await demand(20);
    const first = await demand(8);
    const second = await demand(5);
    const deal = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement;
    const projectId = (
      await client().ok(
        GQL.draft,
        {
          input: {
            name: 'Talento TI Jalisco',
            fundName: 'Fondo Estatal de Capacitación',
            agreementId: deal.id,
            demandRequestIds: [kept, first, second],
            requestedFundShareBps: 5_000,
          },
        },
        broker,
      )
    ).draftTrainingProject.id as string;

    const results = await Promise.all(
      [first, second].map((id) =>
        client().request(
          CANCEL,
          { input: { id, reason: 'ya no se requiere' } },
          actingFor(world.clusterId),
        ),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(
      (await client().ok(PROJECT, { id: projectId }, broker)).trainingProject,
    ).toEqual({
      status: 'DRAFT',
      demandRequests: [{ id: kept }],
      cost: { participants: 20 },
    });

    await client().ok(SUBMIT, { id: projectId }, broker);
    expect(await eventsOf(projectId, 4)).toEqual([
      'training.ProjectDrafted',
      'training.ProjectDemandWithdrawn',
      'training.ProjectDemandWithdrawn',
      'training.ProjectSubmitted',
    ]);
    for (const id of [first, second])
      expect(await eventsOf(id, 3)).toEqual([
        'training.DemandRequested',
        'training.DemandAggregated',
        'training.DemandCancelled',
      ]);
  });
});

const CAPACITY = /* GraphQL */ `
  mutation ($input: ChangeCohortCapacityInput!) {
    changeCohortCapacity(input: $input) {
      capacity
    }
  }
`;
const COHORT = /* GraphQL */ `
  query ($id: ID!) {
    cohort(id: $id) {
      capacity
      enrolledCount
      seatsLeft
    }
  }
`;

describe('a cohort: seat counter and broker changes', () => {
  it('keeps the seats taken and a capacity change made while people enroll', async () => {
    const agreement = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement;
    const cohortId = (
      await client().ok(
        GQL.schedule,
        { input: input.cohort(world, agreement.id, { capacity: 3 }) },
        broker,
      )
    ).scheduleCohort.id as string;
    const results = await Promise.all([
      ...world.personIds
        .slice(0, 3)
        .map((personId) =>
          client().request(
            GQL.enroll,
            { input: { cohortId, personId } },
            broker,
          ),
        ),
      client().request(
        CAPACITY,
        { input: { id: cohortId, capacity: 5 } },
        broker,
      ),
    ]);
    expect(results.map((r) => r.errors)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(
      (await client().ok(COHORT, { id: cohortId }, broker)).cohort,
    ).toEqual({ capacity: 5, enrolledCount: 3, seatsLeft: 2 });
  });

  it('refuses a change decided on a stale read with CONFLICT naming the cohort, leaving the newer change', async () => {
    const agreement = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement;
    const cohortId = (
      await client().ok(
        GQL.schedule,
        { input: input.cohort(world, agreement.id, { capacity: 3 }) },
        broker,
      )
    ).scheduleCohort.id as string;
    const { cohorts } = running.service.stores;
    const stale = await cohorts.findById(cohortId);
    await client().ok(
      CAPACITY,
      { input: { id: cohortId, capacity: 8 } },
      broker,
    );
    // A broker's change decided on the read taken before the one above.
    const late = cohorts.saveCapacity(
      stale!,
      { ...stale!, capacity: 4 },
      [],
      'input.id',
    );
    await expect(late).rejects.toMatchObject({
      kind: 'CONFLICT',
      code: 'COHORT_CHANGED_CONCURRENTLY',
      field: 'input.id',
    });
    expect(
      (await client().ok(COHORT, { id: cohortId }, broker)).cohort.capacity,
    ).toBe(8);
  });
});
