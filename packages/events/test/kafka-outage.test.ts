import { isolatedInfra, launchKafka } from '@conecta/devstack';
import type { KafkaHandle } from '@conecta/devstack';
import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import {
  OUTBOX_FIELD,
  createKafka,
  createOutboxRelay,
  ensureTopics,
  newDocWithOutbox,
  topicFor,
  withOutbox,
} from '../src';
import type { EventEnvelope, OutboxRelay } from '../src';
import { committeesMother } from './fixtures/committeesMother';
import {
  eventually,
  observeTopics,
  settle,
  testLogger,
} from './support/observe';
import type { TopicObserver } from './support/observe';

interface OrganizationDoc {
  _id: string;
  name: string;
  revision: number;
  outbox?: EventEnvelope[];
}

// A broker of our own (not the shared one) that this file stops and starts.
const OUTAGE_PORT = 29_192;
const OUTAGE_CONTROLLER_PORT = 29_193;

describe('outbox relay during a Kafka outage', () => {
  const infra = isolatedInfra('events_outage');
  const topic = topicFor('committees', infra.topicPrefix);
  const logger = testLogger();
  let broker: KafkaHandle;
  let client: MongoClient;
  let relay: OutboxRelay | undefined;
  let observer: TopicObserver | undefined;

  beforeAll(async () => {
    broker = await launchKafka({
      name: 'events-outage',
      port: OUTAGE_PORT,
      controllerPort: OUTAGE_CONTROLLER_PORT,
    });
    client = await MongoClient.connect(infra.mongoUri);
  }, 180_000);

  afterAll(async () => {
    await relay?.stop();
    await observer?.stop();
    await client?.close();
    await broker?.destroy();
    await infra.cleanup();
  }, 120_000);

  it('services booting together next to a fresh broker get their shared topics with a leader on every partition', async () => {
    // Five services create the same topics at once, as `npm start` does; the
    // losers of the race see TOPIC_ALREADY_EXISTS and must still wait for leaders.
    const shared = ['a', 'b', 'c'].map(
      (name) => `${infra.topicPrefix}boot-${name}`,
    );
    const clients = Array.from({ length: 5 }, (_, i) =>
      createKafka({ brokers: broker.brokers, clientId: `boot-${i}`, logger }),
    );
    const admin = new Kafka({ brokers: broker.brokers, logLevel: 0 }).admin();
    await admin.connect();
    try {
      // Each caller looks at the metadata the moment its own ensureTopics returns.
      const seen = await Promise.all(
        clients.map(async (kafka) => {
          await ensureTopics(kafka, shared);
          return (await admin.fetchTopicMetadata({ topics: shared })).topics;
        }),
      );
      for (const topics of seen) {
        expect(topics.map((t) => t.name).sort()).toEqual([...shared].sort());
        for (const t of topics) {
          expect(t.partitions).toHaveLength(3);
          expect(t.partitions.every((p) => p.leader >= 0)).toBe(true);
        }
      }
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('writes continue while Kafka is down and every event arrives once, in order per aggregate, when it returns', async () => {
    const organizations: Collection<OrganizationDoc> = client
      .db(infra.dbName)
      .collection('organizations');
    // Few client retries: the relay's own backoff is what is under test.
    const kafka = createKafka({
      brokers: broker.brokers,
      clientId: 'outage-test',
      logger,
      retries: 1,
    });
    await ensureTopics(kafka, [topic]);
    relay = createOutboxRelay({
      kafka,
      collections: [organizations],
      topic,
      logger,
      pollIntervalMs: 100,
      retryInitialDelayMs: 100,
      retryMaxDelayMs: 1_000,
    });
    await relay.start();

    await broker.stop();

    // 4 aggregates × 5 events, interleaved; every write succeeds with Kafka down.
    const expected = new Map<string, string[]>();
    const subjects: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const registered = committeesMother.organizationRegistered();
      subjects.push(registered.subject);
      expected.set(registered.subject, [registered.id]);
      await organizations.insertOne(
        newDocWithOutbox(
          { _id: registered.subject, name: registered.data.name, revision: 0 },
          [registered],
        ),
      );
      relay.notify();
    }
    for (let revision = 1; revision < 5; revision += 1) {
      for (const subject of subjects) {
        const next = committeesMother.organizationRegistered({
          subject,
          name: `rev ${revision}`,
        });
        const result = await organizations.updateOne(
          { _id: subject },
          withOutbox(
            { $set: { name: next.data.name }, $inc: { revision: 1 } },
            [next],
          ),
        );
        expect(result.modifiedCount).toBe(1);
        expected.get(subject)!.push(next.id);
        relay.notify();
      }
    }
    expect(await organizations.countDocuments({ revision: 4 })).toBe(4);

    // The relay reports the outage and keeps every event in its document.
    await eventually(
      () => !relay!.readiness().ok,
      60_000,
      'readiness to report the outage',
    );
    expect(relay.readiness().detail.lastError).toEqual(expect.any(String));
    const waiting = await organizations.find().toArray();
    expect(waiting.every((doc) => doc[OUTBOX_FIELD]?.length === 5)).toBe(true);

    await broker.start();

    observer = await observeTopics(
      broker.brokers,
      [topic],
      `${infra.groupIdPrefix}outage-observer`,
    );
    await observer.waitForCount(20, 90_000);
    await settle(1_500);
    const events = observer.messages.map(
      (m) => JSON.parse(m.value ?? 'null') as EventEnvelope,
    );
    expect(events).toHaveLength(20);
    expect(new Set(events.map((e) => e.id)).size).toBe(20);
    for (const subject of subjects) {
      expect(
        events.filter((e) => e.subject === subject).map((e) => e.id),
      ).toEqual(expected.get(subject));
    }
    await eventually(
      () => relay!.readiness().ok,
      30_000,
      'readiness to recover',
    );
    await eventually(
      async () =>
        (await organizations.countDocuments({ outboxPending: true })) === 0,
      10_000,
      'every outbox to be emptied',
    );
  }, 240_000);

  it('reports a send hanging on a broker that went away within stallAfterMs, before the client gives up', async () => {
    await relay?.stop();
    const organizations: Collection<OrganizationDoc> = client
      .db(infra.dbName)
      .collection('organizations_stall');
    // The client's default retries: alone, they take 15 s or more to fail a send.
    const kafka = createKafka({
      brokers: broker.brokers,
      clientId: 'stall-test',
      logger,
    });
    await ensureTopics(kafka, [topic]);
    relay = createOutboxRelay({
      kafka,
      collections: [organizations],
      topic,
      logger,
      pollIntervalMs: 100,
      stallAfterMs: 1_000,
    });
    await relay.start();
    await relay.flush(); // connected while the broker is up
    await broker.stop();

    const registered = committeesMother.organizationRegistered();
    await organizations.insertOne(
      newDocWithOutbox(
        { _id: registered.subject, name: registered.data.name, revision: 0 },
        [registered],
      ),
    );
    relay.notify();

    const startedAt = Date.now();
    await eventually(
      () => !relay!.readiness().ok,
      30_000,
      'readiness to report the hanging send',
    );
    const { detail } = relay.readiness();
    // Told by the hanging send itself, not by a failure the client reported.
    expect(detail).toMatchObject({
      consecutiveFailures: 0,
      sendingForMs: expect.any(Number),
    });
    expect(Date.now() - startedAt).toBeLessThan(10_000);

    await broker.start();
    await eventually(
      () => relay!.readiness().ok,
      60_000,
      'readiness to recover',
    );
    await eventually(
      async () =>
        (await organizations.countDocuments({ outboxPending: true })) === 0,
      30_000,
      'the event to be sent',
    );
  }, 180_000);
});
