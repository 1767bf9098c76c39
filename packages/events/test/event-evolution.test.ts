import { isolatedInfra } from '@conecta/devstack';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { z } from 'zod';
import {
  DLQ_HEADERS,
  SectorRegisteredV1,
  createEventConsumer,
  createEventRegistry,
  createKafka,
  createOutboxRelay,
  defineEvent,
  defineUpcaster,
  dlqTopicFor,
  insertWithOutbox,
  newEvent,
  topicFor,
} from '../src';
import type {
  EventConsumer,
  EventEnvelope,
  KafkaClient,
  OutboxRelay,
} from '../src';
import { committeesMother } from './fixtures/committeesMother';
import {
  eventually,
  observeTopics,
  settle,
  testLogger,
} from './support/observe';
import type { TopicObserver } from './support/observe';

/**
 * Version 2 of committees.SectorRegistered as a producer may ship it before
 * its consumers: an added field, and `code` no longer required.
 */
const SectorRegisteredV2 = defineEvent({
  type: 'committees.SectorRegistered',
  version: 2,
  description: 'test contract: a sector with its ISIC class; code optional',
  data: SectorRegisteredV1.data.extend({
    code: z.string().trim().min(1).max(20).optional(),
    isicClass: z.string().min(1),
  }),
});

describe('event versions across a deployment', () => {
  const infra = isolatedInfra('events_evolution');
  const topic = topicFor('committees', infra.topicPrefix);
  const logger = testLogger();
  let client: MongoClient;
  let kafka: KafkaClient;
  let relay: OutboxRelay | undefined;
  const consumers: EventConsumer[] = [];
  let dlq: TopicObserver | undefined;

  beforeAll(async () => {
    client = await MongoClient.connect(infra.mongoUri);
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'evolution-test',
      logger,
    });
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await relay?.stop();
    await dlq?.stop();
    await client?.close();
    await infra.cleanup();
  });

  it('a v2 producer deployed first: a v1 consumer applies v2 events as v1, an upcasting consumer reads v1 as v2, and an event breaking v1 still goes to the DLQ', async () => {
    // The producer: v2 events through the outbox and its relay.
    const sectors = client
      .db(infra.dbName)
      .collection<Document>('producer_sectors');
    relay = createOutboxRelay({
      kafka,
      collections: [sectors],
      topic,
      logger,
      pollIntervalMs: 100,
    });
    await relay.start();
    const older = committeesMother.sectorRegistered();
    const data = committeesMother.sectorData();
    const newer = newEvent(SectorRegisteredV2, {
      subject: data.id,
      data: { ...data, isicClass: '6201' },
    });
    const { code: _code, ...withoutCode } = committeesMother.sectorData();
    const breaksV1 = newEvent(SectorRegisteredV2, {
      subject: withoutCode.id,
      data: { ...withoutCode, isicClass: '6202' },
    });
    for (const event of [older, newer, breaksV1])
      await insertWithOutbox(sectors, { _id: event.subject }, [event]);
    relay.notify();

    // A consumer that knows v1 only (the package's registry today).
    const dlqTopic = dlqTopicFor('certification', infra.topicPrefix);
    dlq = await observeTopics(
      infra.kafkaBrokers,
      [dlqTopic],
      `${infra.groupIdPrefix}dlq-observer`,
    );
    const seenByV1: EventEnvelope[] = [];
    const v1Consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}certification`,
      topics: [topic],
      dlqTopic,
      logger,
      handlers: {
        'committees.SectorRegistered': async (event) => {
          seenByV1.push(event);
        },
      },
    });
    consumers.push(v1Consumer);

    // A consumer that knows v2 and upcasts v1 (a default for the new field).
    const seenByV2: EventEnvelope[] = [];
    const v2Consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}outcomes`,
      topics: [topic],
      dlqTopic: dlqTopicFor('outcomes', infra.topicPrefix),
      logger,
      registry: createEventRegistry([SectorRegisteredV1, SectorRegisteredV2], {
        upcasters: [
          defineUpcaster(SectorRegisteredV1, SectorRegisteredV2, (v1) => ({
            ...v1,
            isicClass: 'unknown',
          })),
        ],
      }),
      handlers: {
        'committees.SectorRegistered': async (event) => {
          seenByV2.push(event);
        },
      },
    });
    consumers.push(v2Consumer);
    await v1Consumer.start();
    await v2Consumer.start();

    await eventually(
      () => seenByV1.length === 2 && v1Consumer.stats.deadLettered === 1,
      30_000,
      'the v1 consumer to apply two events and dead-letter one',
    );
    await eventually(
      () => seenByV2.length === 3,
      30_000,
      'the v2 consumer to apply all three',
    );

    // v1 consumer: the v2 event read as v1 (the added field dropped).
    const newerAsV1 = seenByV1.find((e) => e.id === newer.id);
    expect(newerAsV1).toMatchObject({ version: 1, data });
    expect(newerAsV1?.data).not.toHaveProperty('isicClass');
    expect(seenByV1.find((e) => e.id === older.id)).toMatchObject({
      version: 1,
      data: older.data,
    });
    // …and the v2 event without v1's required `code` is a contract violation.
    const [dead] = await dlq.waitForCount(1, 20_000);
    await settle(1_000);
    expect(dlq.messages).toHaveLength(1);
    expect(JSON.parse(dead!.value ?? 'null').id).toBe(breaksV1.id);
    expect(dead!.headers[DLQ_HEADERS.reason]).toBe('invalid');
    expect(dead!.headers[DLQ_HEADERS.error]).toMatch(
      /committees\.SectorRegistered v2 \(read as v1\): data\.code/,
    );

    // v2 consumer: the old event upcast, the new ones as they are.
    expect(seenByV2.find((e) => e.id === older.id)).toMatchObject({
      version: 2,
      data: { ...older.data, isicClass: 'unknown' },
    });
    expect(seenByV2.find((e) => e.id === newer.id)).toMatchObject({
      version: 2,
      data: { ...data, isicClass: '6201' },
    });
    expect(v2Consumer.stats.deadLettered).toBe(0);
  }, 120_000);

  it('an event of a type the consumer has never heard of is skipped, not dead-lettered: a producer may publish a new type first', async () => {
    // A new type, published before this consumer's registry knows it.
    const SectorMerged = defineEvent({
      type: 'committees.SectorMerged',
      version: 1,
      description: 'test contract: a type no deployed consumer knows yet',
      data: z.object({ from: z.string(), into: z.string() }),
    });
    const newTopic = topicFor('standards', infra.topicPrefix);
    const sectors = client
      .db(infra.dbName)
      .collection<Document>('producer_sectors_new_type');
    const newTypeRelay = createOutboxRelay({
      kafka,
      collections: [sectors],
      topic: newTopic,
      logger,
      pollIntervalMs: 100,
    });
    await newTypeRelay.start();
    const merged = newEvent(SectorMerged, {
      subject: 'sector-a',
      data: { from: 'sector-a', into: 'sector-b' },
    });
    const registered = committeesMother.sectorRegistered();
    await insertWithOutbox(sectors, { _id: merged.subject }, [merged]);
    await insertWithOutbox(sectors, { _id: registered.subject }, [registered]);
    newTypeRelay.notify();

    const dlqTopic = dlqTopicFor('training', infra.topicPrefix);
    const dlqOfTraining = await observeTopics(
      infra.kafkaBrokers,
      [dlqTopic],
      `${infra.groupIdPrefix}dlq-observer-new-type`,
    );
    const seen: EventEnvelope[] = [];
    const consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}training`,
      topics: [newTopic],
      dlqTopic,
      logger,
      handlers: {
        'committees.SectorRegistered': async (event) => {
          seen.push(event);
        },
      },
    });
    consumers.push(consumer);
    try {
      await consumer.start();
      await eventually(
        () => seen.length === 1 && consumer.stats.skipped === 1,
        30_000,
        'the known event applied and the new type skipped',
      );
      expect(seen[0]?.id).toBe(registered.id);
      await settle(1_000);
      expect(consumer.stats.deadLettered).toBe(0);
      expect(dlqOfTraining.messages).toHaveLength(0);
    } finally {
      await newTypeRelay.stop();
      await dlqOfTraining.stop();
    }
  }, 120_000);
});
