import { isolatedInfra } from '@conecta/devstack';
import type { Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import {
  APPLIED_EVENT_IDS_FIELD,
  DLQ_HEADERS,
  applyOnce,
  createEventConsumer,
  createKafka,
  dlqTopicFor,
  topicFor,
} from '../src';
import type { EventConsumer, KafkaClient } from '../src';
import { committeesMother } from './fixtures/committeesMother';
import {
  eventually,
  observeTopics,
  rawProducer,
  settle,
  testLogger,
} from './support/observe';
import type { SectorView } from './support/observe';

describe('event consumer', () => {
  const infra = isolatedInfra('events_consumer');
  const logger = testLogger();
  let client: MongoClient;
  let kafka: KafkaClient;
  let producer: Producer;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    client = await MongoClient.connect(infra.mongoUri);
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'consumer-test',
      logger,
    });
    producer = await rawProducer(infra.kafkaBrokers);
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await producer?.disconnect();
    await client?.close();
    await infra.cleanup();
  });

  it('a redelivered event changes a read model only once', async () => {
    const topic = topicFor('committees', `${infra.topicPrefix}redelivery.`);
    const sectors: Collection<SectorView> = client
      .db(infra.dbName)
      .collection('sectors');
    const event = committeesMother.sectorRegistered();
    const consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}outcomes`,
      topics: [topic],
      dlqTopic: dlqTopicFor('outcomes', infra.topicPrefix),
      logger,
      handlers: {
        'committees.SectorRegistered': async (received) => {
          await applyOnce(
            sectors,
            { _id: received.subject },
            { $set: { name: received.data.name }, $inc: { timesApplied: 1 } },
            received.id,
            { upsert: true },
          );
        },
      },
    });
    consumers.push(consumer);
    await consumer.start();

    // The same event twice on Kafka, as after a relay crash between publish and $pull.
    const message = { key: event.subject, value: JSON.stringify(event) };
    await producer.send({ topic, messages: [message] });
    await producer.send({ topic, messages: [message] });

    await eventually(
      () => consumer.stats.handled === 2,
      30_000,
      'both deliveries',
    );
    const view = await sectors.findOne({ _id: event.subject });
    expect(view).toMatchObject({ name: event.data.name, timesApplied: 1 });
    expect(view?.[APPLIED_EVENT_IDS_FIELD]).toEqual([event.id]);
    expect(consumer.readiness().ok).toBe(true);

    await eventually(
      async () => (await consumer.lag()).total === 0,
      20_000,
      'lag to reach 0',
    );
    const lag = await consumer.lag();
    expect(lag.partitions.reduce((n, p) => n + p.highWatermark, 0)).toBe(2);
  });

  it('a poison event goes to the DLQ with its error and the next good event is still processed', async () => {
    const topic = topicFor('committees', `${infra.topicPrefix}poison.`);
    const dlqTopic = dlqTopicFor('certification', infra.topicPrefix);
    const groupId = `${infra.groupIdPrefix}certification`;
    const sectors: Collection<SectorView> = client
      .db(infra.dbName)
      .collection('poison_sectors');
    const dlq = await observeTopics(
      infra.kafkaBrokers,
      [dlqTopic],
      `${infra.groupIdPrefix}dlq-observer`,
    );
    let attempts = 0;
    const consumer = createEventConsumer({
      kafka,
      groupId,
      topics: [topic],
      dlqTopic,
      logger,
      retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 50 },
      handlers: {
        'committees.OrganizationRegistered': async () => {
          attempts += 1;
          throw new Error('certifying body store unavailable');
        },
        'committees.SectorRegistered': async (received) => {
          await applyOnce(
            sectors,
            { _id: received.subject },
            { $set: { name: received.data.name }, $inc: { timesApplied: 1 } },
            received.id,
            { upsert: true },
          );
        },
      },
    });
    consumers.push(consumer);

    // One key → one partition: the good event waits behind both kinds of poison.
    const key = 'one-partition';
    const invalid = {
      ...committeesMother.sectorRegistered(),
      data: { code: '' },
    };
    const failing = committeesMother.organizationRegistered();
    const good = committeesMother.sectorRegistered();
    await producer.send({
      topic,
      messages: [
        { key, value: '{this is not json' },
        { key, value: JSON.stringify(invalid) },
        { key, value: JSON.stringify(failing) },
        { key, value: JSON.stringify(good) },
      ],
    });
    await consumer.start();

    await eventually(
      async () =>
        (await sectors.findOne({ _id: good.subject }))?.timesApplied === 1,
      30_000,
      'the good event to be applied',
    );
    const dead = await dlq.waitForCount(3, 30_000);
    await settle(500);
    await dlq.stop();
    expect(dead).toHaveLength(3);
    const [notJson, badData, handlerFailed] = dead;
    expect(notJson.value).toBe('{this is not json');
    expect(notJson.headers[DLQ_HEADERS.reason]).toBe('invalid');
    expect(notJson.headers[DLQ_HEADERS.error]).toMatch(/not JSON/);
    expect(badData.headers[DLQ_HEADERS.error]).toMatch(
      /data\.id|data\.code|data\.name/,
    );
    expect(badData.headers[DLQ_HEADERS.attempts]).toBe('0');
    expect(handlerFailed.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'handler',
      [DLQ_HEADERS.error]: 'certifying body store unavailable',
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalOffset]: '2',
      [DLQ_HEADERS.consumerGroup]: groupId,
      [DLQ_HEADERS.attempts]: '3',
    });
    expect(handlerFailed.headers[DLQ_HEADERS.originalPartition]).toMatch(
      /^\d+$/,
    );
    expect(handlerFailed.key).toBe(key);
    expect(JSON.parse(handlerFailed.value ?? 'null')).toEqual(failing);
    expect(attempts).toBe(3);
    expect(consumer.stats).toMatchObject({
      handled: 1,
      deadLettered: 3,
      retried: 2,
    });
    await eventually(
      async () => (await consumer.lag()).total === 0,
      20_000,
      'every offset committed',
    );
  });
});
