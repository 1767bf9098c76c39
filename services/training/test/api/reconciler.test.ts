import { v7 as uuidv7 } from 'uuid';
import { servedByIndex } from '@conecta/devstack';
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

// Each test builds the shape a crash leaves (the first steps of a command
// written, the rest not) with the service's own stores, runs one reconciler
// pass and reads the result through the API and on Kafka.

let running: RunningTraining;
let world: World;
const client = () => running.client;
const stores = () => running.service.stores;
const pass = () => running.service.reconciler.runOnce();
const topic = () => `${running.infra.topicPrefix}conecta.training.events`;

beforeAll(async () => {
  // Passes only when a test runs one: each counts what its pass repaired.
  running = await startTraining('training-reconciler', {
    RECONCILE_INTERVAL_MS: '0',
  });
  world = await seedWorld(running, 4);
});

afterAll(() => running?.stop());

const ENROLLMENT = /* GraphQL */ `
  query ($id: ID!) {
    enrollment(id: $id) {
      id
      status
      person {
        id
      }
      cohort {
        id
        enrolledCount
        seatsLeft
      }
    }
  }
`;
const COHORT = /* GraphQL */ `
  query ($id: ID!) {
    cohort(id: $id) {
      enrolledCount
      seatsLeft
    }
  }
`;
const DEMAND = /* GraphQL */ `
  query ($id: ID!) {
    demandRequest(id: $id) {
      status
    }
  }
`;
const PROJECT = /* GraphQL */ `
  query ($id: ID!) {
    trainingProject(id: $id) {
      id
    }
  }
`;

async function scheduledCohort(capacity = 3) {
  const agreement = (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement;
  return (
    await client().ok(
      GQL.schedule,
      { input: input.cohort(world, agreement.id, { capacity }) },
      broker,
    )
  ).scheduleCohort.id as string;
}

async function openDemand(organizationId = world.clusterId) {
  return (
    await client().ok(
      GQL.request,
      { input: input.demand(world) },
      actingFor(organizationId),
    )
  ).requestTraining.id as string;
}

async function draftedProject(demandIds: string[]) {
  const agreement = (
    await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement;
  return (
    await client().ok(
      GQL.draft,
      {
        input: {
          name: 'Talento Digital Occidente 2026',
          fundName: 'Fondo Sectorial de Innovación',
          agreementId: agreement.id,
          demandRequestIds: demandIds,
          requestedFundShareBps: 5_000,
        },
      },
      broker,
    )
  ).draftTrainingProject.id as string;
}

const demandStatus = async (id: string) =>
  (await client().ok(DEMAND, { id }, broker)).demandRequest.status;

/** A request AGGREGATED into `projectId` as a draft's claim writes it. */
async function claimed(demandId: string, projectId: string) {
  const demand = await stores().demands.findById(demandId);
  if (!demand) throw new Error('demand missing');
  await stores().demands.save(
    demand,
    {
      ...demand,
      status: 'AGGREGATED',
      projectId,
    },
    [],
  );
}

describe('the reconciler', () => {
  it('writes the enrollment of a seat taken by a process that died before writing it, once, with its event', async () => {
    const cohortId = await scheduledCohort();
    const personId = world.personIds[0] ?? '';
    const enrollmentId = uuidv7();
    const reservedAt = new Date();
    await stores().cohorts.reserveSeat(
      cohortId,
      enrollmentId,
      { personId, reservedAt },
      async () => ({}),
    );

    expect((await pass()).enrollmentsWritten).toBe(1);
    const { enrollment } = await client().ok(
      ENROLLMENT,
      { id: enrollmentId },
      broker,
    );
    expect(enrollment).toMatchObject({
      status: 'ENROLLED',
      person: { id: personId },
      cohort: { id: cohortId, enrolledCount: 1, seatsLeft: 2 },
    });
    const [enrolled] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: topic(),
      until: ({ event }) =>
        event.type === 'training.ParticipantEnrolled' &&
        event.subject === enrollmentId,
    });
    expect(enrolled?.event.data).toMatchObject({ id: enrollmentId, cohortId });
    // The person asking again is told they are enrolled.
    const again = await client().request(
      GQL.enroll,
      { input: { cohortId, personId } },
      broker,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_ENROLLED',
    });
    expect((await pass()).enrollmentsWritten).toBe(0);
  });

  it('gives back the seat of a drop-out whose seat was not freed, and a seat whose person is enrolled under another id', async () => {
    const cohortId = await scheduledCohort();
    const [ana, beto] = world.personIds;
    const enrolled = (
      await client().ok(
        GQL.enroll,
        { input: { cohortId, personId: ana } },
        broker,
      )
    ).enroll.id as string;
    await client().ok(
      GQL.enroll,
      { input: { cohortId, personId: beto } },
      broker,
    );
    // Ana drops out: the drop is written; the process dies before the seat.
    const enrollment = await stores().enrollments.findById(enrolled);
    if (!enrollment) throw new Error('enrollment missing');
    await stores().enrollments.save(
      enrollment,
      { ...enrollment, status: 'DROPPED', droppedAt: new Date() },
      [],
    );
    // Beto's second request took a seat, then died before its enrollment
    // (which the unique person-in-cohort index would refuse anyway).
    await stores().cohorts.reserveSeat(
      cohortId,
      uuidv7(),
      { personId: beto ?? '', reservedAt: new Date() },
      async () => ({}),
    );
    expect(
      (await client().ok(COHORT, { id: cohortId }, broker)).cohort,
    ).toEqual({ enrolledCount: 3, seatsLeft: 0 });

    expect(await pass()).toMatchObject({ seatsReleased: 2 });
    expect(
      (await client().ok(COHORT, { id: cohortId }, broker)).cohort,
    ).toEqual({ enrolledCount: 1, seatsLeft: 2 });
    expect((await pass()).seatsReleased).toBe(0);
  });

  it('records the seats of a cohort written before seats were, from its enrollments, and the counter follows', async () => {
    const cohortId = await scheduledCohort();
    for (const personId of world.personIds.slice(0, 2))
      await client().ok(GQL.enroll, { input: { cohortId, personId } }, broker);
    // A legacy document: no seats, and a counter that leaked two seats.
    await stores().cohorts.collection.updateOne({ _id: cohortId } as never, {
      $unset: { seats: '' },
      $set: { enrolled: 3 },
    });

    expect((await pass()).cohortsBackfilled).toBeGreaterThanOrEqual(1);
    expect(
      (await client().ok(COHORT, { id: cohortId }, broker)).cohort,
    ).toEqual({ enrolledCount: 2, seatsLeft: 1 });
    const third = await client().request(
      GQL.enroll,
      { input: { cohortId, personId: world.personIds[2] } },
      broker,
    );
    expect(third.errors).toBeUndefined();
  });

  it('deletes a draft left claiming its requests and releases them; a draft still within its grace is left alone', async () => {
    const [stale, fresh] = [await openDemand(), await openDemand()];
    const project = await stores().projects.findById(
      await draftedProject([await openDemand()]),
    );
    if (!project) throw new Error('project missing');
    const staleId = uuidv7();
    await stores().projects.insertClaiming({
      ...project,
      id: staleId,
      demandRequestIds: [stale],
      draftedAt: new Date(Date.now() - 5 * 60_000),
    });
    await claimed(stale, staleId);
    const freshId = uuidv7();
    await stores().projects.insertClaiming({
      ...project,
      id: freshId,
      demandRequestIds: [fresh],
      draftedAt: new Date(),
    });
    await claimed(fresh, freshId);

    const report = await pass();
    expect(report).toMatchObject({ draftsAbandoned: 1, demandsReleased: 1 });
    expect(await demandStatus(stale)).toBe('OPEN');
    expect(await stores().projects.findById(staleId)).toBeNull();
    expect(await demandStatus(fresh)).toBe('AGGREGATED');
    expect(await stores().projects.findById(freshId)).not.toBeNull();
    const [released] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: topic(),
      until: ({ event }) =>
        event.type === 'training.DemandReleased' && event.subject === stale,
    });
    expect(released?.event.data).toMatchObject({ projectId: staleId });
  });

  it('releases a request claimed for a project that was never written (a crash of the older claim-first draft)', async () => {
    const orphan = await openDemand();
    await claimed(orphan, uuidv7());
    expect((await pass()).demandsReleased).toBeGreaterThanOrEqual(1);
    expect(await demandStatus(orphan)).toBe('OPEN');
  });

  it('releases the requests of a rejected project and fulfils those of a project closed after approval when the decision was written but its moves were not', async () => {
    const [a, b] = [await openDemand(), await openDemand()];
    const rejected = await draftedProject([a]);
    const closed = await draftedProject([b]);
    // The decisions are written; the process dies before moving requests.
    const decide = async (id: string, change: object) => {
      const project = await stores().projects.findById(id);
      if (!project) throw new Error('project missing');
      await stores().projects.save(project, { ...project, ...change }, []);
    };
    await decide(rejected, {
      status: 'REJECTED',
      rejectionReason: 'Fuera de convocatoria',
      decidedAt: new Date(),
    });
    await decide(closed, {
      status: 'CLOSED',
      approvedFundShareBps: 5_000,
      decidedAt: new Date(),
      closedAt: new Date(),
    });

    expect(await pass()).toMatchObject({
      demandsReleased: 1,
      demandsFulfilled: 1,
    });
    expect(await demandStatus(a)).toBe('OPEN');
    expect(await demandStatus(b)).toBe('FULFILLED');
    const [fulfilled] = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: topic(),
      until: ({ event }) =>
        event.type === 'training.DemandFulfilled' && event.subject === b,
    });
    expect(fulfilled?.event.data).toMatchObject({ projectId: closed });
    expect(await pass()).toMatchObject({
      demandsReleased: 0,
      demandsFulfilled: 0,
    });
  });
});

describe("the reconciler's walk", () => {
  it('reads the claimed requests a page at a time, each page one index range: a pass costs what is claimed, not the registry', async () => {
    // The second and later pages: after the last request of the one before.
    const page = stores().demands.sliceQuery(
      { status: 'AGGREGATED' },
      [['_id', 1]],
      200,
      [uuidv7()],
    );
    expect(servedByIndex(await page.explain())).toBe(true);
  });
});

describe('drafting a project', () => {
  it('leaves each request either OPEN or in the one finished project that lists it when two drafts race for the same requests', async () => {
    const a = await openDemand();
    const b = await openDemand();
    const agreement = (
      await client().ok(GQL.sign, { input: input.agreement(world) }, broker)
    ).signAgreement;
    const draft = (demandRequestIds: string[]) =>
      client().request(
        GQL.draft,
        {
          input: {
            name: 'Proyecto',
            fundName: 'Fondo',
            agreementId: agreement.id,
            demandRequestIds,
            requestedFundShareBps: 5_000,
          },
        },
        broker,
      );
    const results = await Promise.all([draft([a, b]), draft([b, a])]);
    for (const r of results)
      if (r.errors)
        expect(r.errors[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    const won = results.flatMap((r) =>
      r.data?.draftTrainingProject ? [r.data.draftTrainingProject.id] : [],
    );
    expect(won.length).toBeLessThanOrEqual(1);
    const statuses = [await demandStatus(a), await demandStatus(b)];
    expect(statuses).toEqual(
      won.length === 1 ? ['AGGREGATED', 'AGGREGATED'] : ['OPEN', 'OPEN'],
    );
    // No half-drafted project stays behind: the loser's was deleted.
    const claiming = await stores().projects.claimingSince(
      new Date(Date.now() + 60_000),
    );
    expect(claiming.filter((p) => p.demandRequestIds.includes(a))).toEqual([]);
    for (const id of won)
      expect(
        (await client().ok(PROJECT, { id }, broker)).trainingProject,
      ).toEqual({ id });
  });
});
