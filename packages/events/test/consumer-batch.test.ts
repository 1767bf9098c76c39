import { isolatedInfra } from '@conecta/devstack';
import type { Producer } from 'kafkajs';
import {
  DLQ_HEADERS,
  createEventConsumer,
  createKafka,
  dlqTopicFor,
  topicFor,
} from '../src';
import type { EventConsumer, KafkaClient, KnownEvent } from '../src';
import { committeesMother } from './fixtures/committeesMother';
import {
  eventually,
  observeTopics,
  rawProducer,
  settle,
  testLogger,
} from './support/observe';

describe('event consumer in batch mode', () => {
  const infra = isolatedInfra('events_consumer_batch');
  const logger = testLogger();
  let kafka: KafkaClient;
  let producer: Producer;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'consumer-batch-test',
      logger,
    });
    producer = await rawProducer(infra.kafkaBrokers);
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await producer?.disconnect();
    await infra.cleanup();
  });

  it('hands a partition’s events over together, in order, and commits them', async () => {
    const topic = topicFor('committees', `${infra.topicPrefix}together.`);
    const sectors = Array.from({ length: 40 }, () =>
      committeesMother.sectorRegistered(),
    );
    // One key → one partition: all 40 arrive in one fetch.
    await producer.send({
      topic,
      messages: sectors.map((e) => ({
        key: 'one-partition',
        value: JSON.stringify(e),
      })),
    });
    const batches: string[][] = [];
    const consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}together`,
      topics: [topic],
      dlqTopic: dlqTopicFor('outcomes', infra.topicPrefix),
      logger,
      batch: {
        types: ['committees.SectorRegistered'],
        maxEvents: 25,
        handle: async (events) => {
          batches.push(events.map((e) => e.id));
        },
      },
    });
    consumers.push(consumer);
    await consumer.start();

    await eventually(
      async () => (await consumer.lag()).total === 0,
      30_000,
      'every offset committed',
    );
    expect(batches.flat()).toEqual(sectors.map((e) => e.id));
    // Cut at maxEvents, not one call per event.
    expect(batches.map((b) => b.length)).toEqual([25, 15]);
    expect(consumer.stats).toMatchObject({ handled: 40, deadLettered: 0 });
  });

  it('dead-letters invalid events at once and a failing event after its retries, applying the rest of its batch', async () => {
    const topic = topicFor('committees', `${infra.topicPrefix}poison.`);
    const dlqTopic = dlqTopicFor('training', infra.topicPrefix);
    const groupId = `${infra.groupIdPrefix}batch-poison`;
    const dlq = await observeTopics(
      infra.kafkaBrokers,
      [dlqTopic],
      `${infra.groupIdPrefix}batch-dlq-observer`,
    );
    const before = committeesMother.sectorRegistered();
    const invalid = {
      ...committeesMother.sectorRegistered(),
      data: { code: '' },
    };
    const failing = committeesMother.sectorRegistered();
    const after = committeesMother.sectorRegistered();
    const skipped = committeesMother.organizationRegistered();
    const key = 'one-partition';
    await producer.send({
      topic,
      messages: [before, invalid, failing, skipped, after].map((e) => ({
        key,
        value: JSON.stringify(e),
      })),
    });

    const applied = new Set<string>();
    const calls: number[] = [];
    let failingAttempts = 0;
    const consumer = createEventConsumer({
      kafka,
      groupId,
      topics: [topic],
      dlqTopic,
      logger,
      retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 50 },
      batch: {
        types: ['committees.SectorRegistered'],
        handle: async (events: KnownEvent[]) => {
          calls.push(events.length);
          if (events.some((e) => e.id === failing.id)) {
            failingAttempts += 1;
            throw new Error('read model store unavailable');
          }
          // All or nothing, as an idempotent batch write would be.
          for (const e of events) applied.add(e.id);
        },
      },
    });
    consumers.push(consumer);
    await consumer.start();

    const dead = await dlq.waitForCount(2, 30_000);
    await eventually(
      async () => (await consumer.lag()).total === 0,
      20_000,
      'every offset committed',
    );
    await settle(300);
    await dlq.stop();

    expect([...applied].sort()).toEqual([before.id, after.id].sort());
    const [badData, handlerFailed] = dead;
    expect(badData.headers[DLQ_HEADERS.reason]).toBe('invalid');
    expect(badData.headers[DLQ_HEADERS.attempts]).toBe('0');
    expect(handlerFailed.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'handler',
      [DLQ_HEADERS.error]: 'read model store unavailable',
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalOffset]: '2',
      [DLQ_HEADERS.consumerGroup]: groupId,
      [DLQ_HEADERS.attempts]: '3',
    });
    expect(handlerFailed.key).toBe(key);
    expect(JSON.parse(handlerFailed.value ?? 'null')).toEqual(failing);
    // The batch of three tried 3 times, then each event alone: the failing
    // one 3 times more.
    expect(calls).toEqual([3, 3, 3, 1, 1, 1, 1, 1]);
    expect(failingAttempts).toBe(6);
    expect(consumer.stats).toMatchObject({
      handled: 2,
      skipped: 1,
      deadLettered: 2,
      retried: 4,
    });
  });

  it('leaves a batch uncommitted when stopped during its retries, so the next consumer of the group gets it again', async () => {
    const topic = topicFor('committees', `${infra.topicPrefix}stopped.`);
    const groupId = `${infra.groupIdPrefix}batch-stopped`;
    const events = [
      committeesMother.sectorRegistered(),
      committeesMother.sectorRegistered(),
    ];
    await producer.send({
      topic,
      messages: events.map((e) => ({ key: 'k', value: JSON.stringify(e) })),
    });
    const options = {
      kafka,
      groupId,
      topics: [topic],
      dlqTopic: dlqTopicFor('standards', infra.topicPrefix),
      logger,
      retry: { retries: 5, initialDelayMs: 5_000, maxDelayMs: 5_000 },
    };
    let attempts = 0;
    const first = createEventConsumer({
      ...options,
      batch: {
        types: ['committees.SectorRegistered'],
        handle: async () => {
          attempts += 1;
          throw new Error('MongoDB unreachable');
        },
      },
    });
    await first.start();
    await eventually(() => attempts === 1, 30_000, 'a first attempt');
    await first.stop();

    const received: string[] = [];
    const second = createEventConsumer({
      ...options,
      batch: {
        types: ['committees.SectorRegistered'],
        handle: async (batch) => {
          received.push(...batch.map((e) => e.id));
        },
      },
    });
    consumers.push(second);
    await second.start();
    await eventually(
      async () => (await second.lag()).total === 0,
      30_000,
      'the batch committed by the second consumer',
    );
    expect(received).toEqual(events.map((e) => e.id));
    expect(first.stats.deadLettered).toBe(0);
  });
});
