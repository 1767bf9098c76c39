import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import {
  TEST_IDENTITY_SECRET,
  createTestClient,
  launchService,
  type LaunchedService,
  type TestClient,
} from '@conecta/test-kit';
import { builtEntry } from '../fixtures/process';
import {
  GQL,
  broker,
  inputMother as input,
  seedWorld,
  startTraining,
  type RunningTraining,
} from '../fixtures/service';

// 40 people × 5 cohorts of 25 seats: 200 enrollments asked for 125 seats, so
// cohorts fill up (COHORT_FULL) while the process is being killed.
const PEOPLE = 40;
const COHORTS = 5;
const CAPACITY = 25;
// SIGKILLs during the load; each restart runs the reconciler before traffic.
// Few: each costs a start and a re-sent load on a busy 2-core machine.
const KILLS = 2;

let running: RunningTraining;
let mongo: MongoClient;
let cohortIds: string[];
let personIds: string[];
const launchMs: number[] = [];
const loadMs: number[] = [];
const entry = builtEntry();
const logDir = mkdtempSync(join(tmpdir(), 'training-crash-'));

beforeAll(async () => {
  running = await startTraining('training-crash');
  const world = await seedWorld(running, PEOPLE);
  personIds = world.personIds;
  const agreement = (
    await running.client.ok(GQL.sign, { input: input.agreement(world) }, broker)
  ).signAgreement;
  cohortIds = [];
  for (let i = 0; i < COHORTS; i += 1)
    cohortIds.push(
      (
        await running.client.ok(
          GQL.schedule,
          {
            input: input.cohort(world, agreement.id, { capacity: CAPACITY }),
          },
          broker,
        )
      ).scheduleCohort.id,
    );
  // The world is in the database; from here on the service runs as a process.
  await running.service.stop();
  mongo = await new MongoClient(running.infra.mongoUri).connect();
});

afterAll(async () => {
  await mongo?.close();
  await running?.infra.cleanup();
});

type Pair = { cohortId: string; personId: string };
type Answer =
  { kind: 'enrolled'; id: string } | { kind: 'refused'; reason: string };

/**
 * The subgraph as a real process (`node dist/index.js`) on the test's
 * database. Each launch has its own topic prefix, so its consumer group is
 * new and joins at once instead of waiting out the killed member's session.
 */
async function launch(n: number): Promise<{
  service: LaunchedService;
  client: TestClient;
}> {
  const startedAt = Date.now();
  const service = await launchService({
    name: `training (launch ${n})`,
    script: entry,
    logFile: join(logDir, 'training.log'),
    env: {
      SERVICE_NAME: 'training',
      MONGODB_URI: running.infra.mongoUri,
      KAFKA_BROKERS: running.infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: `${running.infra.topicPrefix}r${n}.`,
      IDENTITY_SECRET: TEST_IDENTITY_SECRET,
      LOG_LEVEL: 'warn',
      OPERATOR_PORT: '0',
      // Passes also run during the load, racing the commands they repair.
      RECONCILE_INTERVAL_MS: '1000',
    },
  });
  launchMs.push(Date.now() - startedAt);
  return {
    service,
    client: createTestClient({
      url: service.graphqlUrl,
      secret: TEST_IDENTITY_SECRET,
      service: 'training',
    }),
  };
}

const ENROLL = /* GraphQL */ `
  mutation ($input: EnrollInput!) {
    enroll(input: $input) {
      id
    }
  }
`;
const DROP = /* GraphQL */ `
  mutation ($input: DropEnrollmentInput!) {
    dropEnrollment(input: $input) {
      status
    }
  }
`;

/** An answer, or null when the process died under the request. */
async function enrollOnce(
  client: TestClient,
  pair: Pair,
): Promise<Answer | null> {
  try {
    const res = await client.request(ENROLL, { input: pair }, broker);
    if (res.data?.enroll) return { kind: 'enrolled', id: res.data.enroll.id };
    return {
      kind: 'refused',
      reason: String(res.errors?.[0]?.extensions?.reason ?? 'none'),
    };
  } catch {
    return null;
  }
}

const waitForExit = (service: LaunchedService) =>
  new Promise<void>((resolve) => {
    if (service.process.exitCode !== null || service.process.signalCode)
      resolve();
    else service.process.once('exit', () => resolve());
  });

describe('crash safety of enrollments (the subgraph killed with SIGKILL under load)', () => {
  it('leaves every cohort with exactly one seat per active enrollment, never above capacity, after 200 concurrent enrollments and drop-outs killed at random points', async () => {
    const pairs: Pair[] = cohortIds.flatMap((cohortId) =>
      personIds.map((personId) => ({ cohortId, personId })),
    );
    const answers = new Map<Pair, Answer>();
    const droppedAsked = new Set<string>();
    const killedAfter: number[] = [];

    for (let round = 0; round <= KILLS; round += 1) {
      const { service, client } = await launch(round);
      const loadStarted = Date.now();
      const pending = pairs.filter((p) => !answers.has(p));
      // A few drop-outs ride along: the drop is written, then its seat freed.
      const toDrop = [...answers.values()]
        .flatMap((a) => (a.kind === 'enrolled' ? [a.id] : []))
        .filter((id) => !droppedAsked.has(id))
        .slice(0, 5);
      toDrop.forEach((id) => droppedAsked.add(id));
      const killAt =
        round < KILLS
          ? Math.floor(pending.length * (0.1 + Math.random() * 0.5))
          : Infinity;
      let answered = 0;
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        killedAfter.push(answered);
        service.process.kill('SIGKILL');
      };
      await Promise.all([
        ...pending.map(async (pair) => {
          const answer = await enrollOnce(client, pair);
          if (answer) {
            answers.set(pair, answer);
            answered += 1;
          }
          if (answered >= killAt) kill();
        }),
        ...toDrop.map((enrollmentId) =>
          client
            .request(
              DROP,
              { input: { enrollmentId, reason: 'Cambio de ciudad' } },
              broker,
            )
            .catch(() => null),
        ),
      ]);
      loadMs.push(Date.now() - loadStarted);
      if (round < KILLS) {
        kill();
        await waitForExit(service);
      } else {
        // The last launch serves everything and stops as deployed (SIGTERM).
        expect(pending.every((p) => answers.has(p))).toBe(true);
        await service.stop();
      }
    }
    const db = mongo.db();
    const cohorts = await db
      .collection<{
        _id: string;
        capacity: number;
        enrolled: number;
        seats: Record<string, { personId: string }>;
      }>('cohorts')
      .find({ _id: { $in: cohortIds } })
      .toArray();
    const enrollments = await db
      .collection<{
        _id: string;
        cohortId: string;
        personId: string;
        status: string;
      }>('enrollments')
      .find({ cohortId: { $in: cohortIds } })
      .toArray();

    const seatFigures = cohorts.map((c) => {
      const active = enrollments.filter(
        (e) => e.cohortId === c._id && e.status !== 'DROPPED',
      );
      return {
        cohort: c._id,
        capacity: c.capacity,
        enrolled: c.enrolled,
        active: active.length,
        seatsWithoutEnrollment: Object.keys(c.seats).filter(
          (id) => !active.some((e) => e._id === id),
        ).length,
        enrollmentsWithoutSeat: active.filter((e) => !(e._id in c.seats))
          .length,
      };
    });
    // Zero leaks: the counter is the number of active enrollments, every seat
    // is an active enrollment's and every active enrollment has one.
    expect(seatFigures).toEqual(
      seatFigures.map((f) => ({
        ...f,
        enrolled: f.active,
        seatsWithoutEnrollment: 0,
        enrollmentsWithoutSeat: 0,
      })),
    );
    for (const f of seatFigures)
      expect(f.active).toBeLessThanOrEqual(f.capacity);

    // Every enrollment the caller was told about exists, in the cohort and
    // for the person asked; a refusal was for a full cohort or a person
    // already enrolled (a request the crash cut off and a repair finished).
    const byId = new Map(enrollments.map((e) => [e._id, e]));
    for (const [pair, answer] of answers) {
      if (answer.kind === 'enrolled')
        expect(byId.get(answer.id)).toMatchObject(pair);
      else expect(['COHORT_FULL', 'ALREADY_ENROLLED']).toContain(answer.reason);
    }
    // One enrollment per person and cohort, whatever was retried.
    const keys = enrollments.map((e) => `${e.cohortId}/${e.personId}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Asked 200 times for 125 seats (a few freed by drop-outs): the load
    // went past capacity, and drop-outs that were written hold no seat.
    expect(
      [...answers.values()].filter(
        (a) => a.kind === 'refused' && a.reason === 'COHORT_FULL',
      ).length,
    ).toBeGreaterThan(0);
    expect(
      enrollments.filter((e) => e.status === 'DROPPED').length,
    ).toBeGreaterThan(0);

    const repairs = readFileSync(join(logDir, 'training.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"reconciled"'))
      .map((line) => JSON.parse(line).reconciled);
    if (process.env.CRASH_TEST_REPORT)
      console.info(
        JSON.stringify(
          { killedAfter, launchMs, loadMs, repairs, seatFigures },
          null,
          1,
        ),
      );
    expect(killedAfter).toHaveLength(KILLS);
  });
});
