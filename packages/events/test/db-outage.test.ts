import { randomBytes } from 'node:crypto';
import { isolatedInfra } from '@conecta/devstack';
import type { Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import {
  APPLIED_EVENT_IDS_FIELD,
  applyOnce,
  createEventConsumer,
  createKafka,
  dlqTopicFor,
  topicFor,
} from '../src';
import type {
  EventConsumer,
  EventEnvelope,
  InfrastructureWait,
  KafkaClient,
} from '../src';
import { committeesMother } from './fixtures/committeesMother';
import {
  eventually,
  observeTopics,
  rawProducer,
  settle,
  testLogger,
} from './support/observe';
import type { SectorView, TopicObserver } from './support/observe';
import { launchPrivateMongo } from './support/private-mongo';
import type { PrivateMongo } from './support/private-mongo';

const MODES = ['per message', 'batch'] as const;
type Mode = (typeof MODES)[number];

/** One mode's consumer, its data, and what it showed during the outage. */
interface ModeRun {
  topic: string;
  sectors: Collection<SectorView>;
  consumer: EventConsumer;
  dlq: TopicObserver;
  /** Published before the outage, then during it. */
  events: EventEnvelope<{ name: string }>[];
  /** The consumer's waits, once it had retried three times against the missing database. */
  waiting?: InfrastructureWait[];
  readyWhileWaiting?: boolean;
  /** Its counters after three more seconds of outage. */
  duringOutage?: { deadLettered: number; retried: number };
}

describe('a consumer whose database goes away for a while', () => {
  const infra = isolatedInfra('events_db_outage');
  const logger = testLogger();
  let db: PrivateMongo;
  let client: MongoClient;
  let kafka: KafkaClient;
  let producer: Producer;
  const consumers: EventConsumer[] = [];
  const observers: TopicObserver[] = [];
  const runs = new Map<Mode, ModeRun>();

  const publish = async (topic: string, count: number) => {
    const events = Array.from({ length: count }, () =>
      committeesMother.sectorRegistered(),
    );
    await producer.send({
      topic,
      messages: events.map((e) => ({
        key: e.subject,
        value: JSON.stringify(e),
      })),
    });
    return events;
  };

  /** A consumer in `mode` on topics and a collection of its own, its first 5 events applied. */
  async function startMode(mode: Mode): Promise<ModeRun> {
    const slug = mode.replace(/\W+/g, '-');
    const topic = topicFor('committees', `${infra.topicPrefix}${slug}.`);
    const dlqTopic = dlqTopicFor(`outcomes-${slug}`, infra.topicPrefix);
    const sectors: Collection<SectorView> = client
      .db(db.dbName)
      .collection(`sectors_${slug}`);
    const apply = (event: EventEnvelope<{ name: string }>) =>
      applyOnce(
        sectors,
        { _id: event.subject },
        { $set: { name: event.data.name }, $inc: { timesApplied: 1 } },
        event.id,
        { upsert: true },
      );
    const dlq = await observeTopics(
      infra.kafkaBrokers,
      [dlqTopic],
      `${infra.groupIdPrefix}${slug}-dlq-observer`,
    );
    observers.push(dlq);
    const consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}${slug}`,
      topics: [topic],
      dlqTopic,
      logger,
      // A deterministic failure would be dead-lettered within milliseconds:
      // the outage must not count as one.
      retry: { retries: 1, initialDelayMs: 10, maxDelayMs: 20 },
      outage: { initialDelayMs: 100, maxDelayMs: 1_000 },
      ...(mode === 'batch'
        ? {
            batch: {
              types: ['committees.SectorRegistered'],
              maxEvents: 4,
              handle: async (events) => {
                // Only SectorRegistered is asked for (types above).
                for (const event of events)
                  await apply(event as EventEnvelope<{ name: string }>);
              },
            },
          }
        : {
            handlers: {
              'committees.SectorRegistered': async (event) => {
                await apply(event);
              },
            },
          }),
    });
    consumers.push(consumer);
    await consumer.start();

    const before = await publish(topic, 5);
    await eventually(
      async () => (await sectors.countDocuments()) === 5,
      30_000,
      `the first events to be applied (${mode})`,
    );
    return { topic, sectors, consumer, dlq, events: before };
  }

  beforeAll(async () => {
    // Its own MongoDB-wire server: the shared one stays up for everyone else.
    db = await launchPrivateMongo(
      `t_events_db_outage_${randomBytes(4).toString('hex')}`,
    );
    // Quick failures while the server is gone, as a service configures it (5 s there).
    client = new MongoClient(db.uri, {
      serverSelectionTimeoutMS: 1_000,
      connectTimeoutMS: 1_000,
    });
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'db-outage-test',
      logger,
    });
    producer = await rawProducer(infra.kafkaBrokers);
  }, 120_000);

  // Both modes live through one outage of the database: their consumers read
  // topics of their own into collections of their own, so neither sees the
  // other's events, and one stop and start of the server serves both. Each
  // test below checks one mode.
  beforeAll(async () => {
    const started = await Promise.all(
      MODES.map(async (mode) => [mode, await startMode(mode)] as const),
    );
    for (const [mode, run] of started) runs.set(mode, run);

    await db.stop();
    await Promise.all(
      [...runs].map(async ([mode, run]) => {
        run.events.push(...(await publish(run.topic, 15)));
        // The consumer says it waits on infrastructure, and keeps waiting.
        run.waiting = await eventually(
          () => {
            const { detail } = run.consumer.readiness();
            return detail.state === 'waiting-on-infrastructure' &&
              run.consumer.stats.infrastructureRetries >= 3
              ? (detail.waitingOnInfrastructure as InfrastructureWait[])
              : undefined;
          },
          60_000,
          `the consumer to wait on the database (${mode})`,
        );
        run.readyWhileWaiting = run.consumer.readiness().ok;
      }),
    );
    await settle(3_000);
    for (const run of runs.values())
      run.duringOutage = {
        deadLettered: run.consumer.stats.deadLettered,
        retried: run.consumer.stats.retried,
      };

    await db.start();

    await Promise.all(
      [...runs].map(async ([mode, run]) => {
        await eventually(
          async () =>
            (await run.sectors.countDocuments({ timesApplied: 1 })) === 20,
          90_000,
          `every event to be applied after recovery (${mode})`,
        );
        await eventually(
          async () => (await run.consumer.lag()).total === 0,
          30_000,
          `every offset to be committed (${mode})`,
        );
      }),
    );
    await settle(1_500);
  }, 240_000);

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    for (const observer of observers) await observer.stop();
    await producer?.disconnect();
    await client?.close();
    await db?.destroy();
    await infra.cleanup();
  }, 120_000);

  it.each(MODES)(
    '%s: nothing reaches the DLQ, the partition waits, and every event is applied exactly once after recovery',
    async (mode) => {
      const { topic, sectors, consumer, dlq, events, ...seen } =
        runs.get(mode)!;
      // During the outage.
      expect(seen.readyWhileWaiting).toBe(false);
      expect(seen.waiting?.[0]).toMatchObject({
        topic,
        partition: expect.any(Number),
        attempts: expect.any(Number),
        lastError: expect.any(String),
      });
      expect(seen.duringOutage).toEqual({ deadLettered: 0, retried: 0 });

      // After recovery.
      const views = await sectors.find().toArray();
      expect(views).toHaveLength(20);
      for (const event of events) {
        const view = views.find((v) => v._id === event.subject);
        expect(view).toMatchObject({ name: event.data.name, timesApplied: 1 });
        expect(view?.[APPLIED_EVENT_IDS_FIELD]).toEqual([event.id]);
      }
      expect(dlq.messages).toEqual([]);
      expect(consumer.stats).toMatchObject({
        deadLettered: 0,
        retried: 0,
      });
      expect(consumer.stats.infrastructureRetries).toBeGreaterThanOrEqual(3);
      expect(consumer.readiness()).toMatchObject({
        ok: true,
        detail: { state: 'consuming', waitingOnInfrastructure: [] },
      });
    },
  );
});
