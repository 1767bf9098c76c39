import { isolatedInfra } from '@conecta/devstack';
import {
  createKafka,
  createOutboxWriter,
  type EventConsumer,
  type KafkaClient,
  type KnownEvent,
} from '@conecta/events';
import { createLogger, createMongo } from '@conecta/service-kit';
import { eventually } from '@conecta/test-kit';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createOutcomesConsumer } from '../../src/events/consumer';
import {
  createStores,
  readModelsOf,
  syncIndexes,
  type ReadModels,
  type Stores,
} from '../../src/store';
import { eventMother as events } from '../fixtures/mothers';

const logger = createLogger({ name: 'outcomes-redelivery', level: 'silent' });
const infra = isolatedInfra('outcomes_redelivery');
const mongo = createMongo({ uri: infra.mongoUri, logger });
let stores: Stores;
let models: ReadModels;
let kafka: KafkaClient;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  await mongo.start();
  stores = createStores(mongo.connection, createOutboxWriter());
  await syncIndexes(stores);
  models = readModelsOf(stores);
  kafka = createKafka({
    brokers: infra.kafkaBrokers,
    clientId: 'outcomes-redelivery',
    logger,
  });
});

afterAll(async () => {
  for (const consumer of consumers) await consumer.stop().catch(() => {});
  await mongo.stop();
  await infra.cleanup();
});

/** Publishes as the services' relays do: JSON envelopes keyed by subject, in order. */
async function publish(list: KnownEvent[]): Promise<void> {
  const producer = new Kafka({
    clientId: 'outcomes-redelivery-publisher',
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  try {
    const bySource = new Map<string, KnownEvent[]>();
    for (const e of list)
      bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
    for (const [source, batch] of bySource)
      await producer.send({
        topic: `${infra.topicPrefix}conecta.${source}.events`,
        messages: batch.map((e) => ({
          key: e.subject,
          value: JSON.stringify(e),
        })),
      });
  } finally {
    await producer.disconnect();
  }
}

const consumer = (readModels: ReadModels, maxEvents: number) => {
  const created = createOutcomesConsumer({
    kafka,
    topicPrefix: infra.topicPrefix,
    logger,
    models: readModels,
    groupId: `${infra.groupIdPrefix}outcomes`,
    maxEvents,
  });
  consumers.push(created);
  return created;
};

const total = async (metric: 'DEMAND_HEADCOUNT' | 'CERTIFIED', id: string) =>
  [
    ...(
      await models.buckets.sums(metric, 'YEAR', ['2023', '2024'], {
        standardId: id,
      })
    ).values(),
  ].reduce((a, b) => a + b, 0);

describe('batch consumption under redelivery', () => {
  it('applies every event exactly once when duplicates are published and the consumer dies half-way through a batch and restarts', async () => {
    const standards = [uuidv7(), uuidv7(), uuidv7()];
    const demand = standards.flatMap((standardId, s) =>
      Array.from({ length: 40 }, (_, i) =>
        events.demandRequested(
          `202${3 + (i % 2)}-0${(i % 9) + 1}-10T12:00:00Z`,
          1 + ((i * (s + 3)) % 11),
          { standardId },
        ),
      ),
    );
    const issued = standards.flatMap((standardId) =>
      Array.from({ length: 12 }, (_, i) =>
        events.certificateIssued(
          standardId,
          `2024-0${(i % 9) + 1}-01T12:00:00Z`,
        ),
      ),
    );
    const revoked = issued
      .filter((_, i) => i % 4 === 0)
      .map((e) => events.certificateRevoked(e, '2025-01-10T12:00:00Z'));
    // The relay re-sends some events (a crash between publish and cleanup).
    const duplicates = [...demand.filter((_, i) => i % 5 === 0), ...revoked];
    await publish([...demand, ...issued, ...revoked, ...duplicates]);

    // The first consumer "dies" at its third batch: counters written, then
    // the ledger write fails for good; it is stopped during its retry backoff.
    let ledgerWrites = 0;
    const dying = consumer(
      {
        ...models,
        ledger: {
          ...models.ledger,
          recordMany: (entries) => {
            ledgerWrites += 1;
            if (ledgerWrites >= 3)
              return Promise.reject(new Error('process killed'));
            return models.ledger.recordMany(entries);
          },
        },
      },
      10,
    );
    await dying.start();
    await eventually(async () => ledgerWrites >= 3, { timeoutMs: 30_000 });
    await dying.stop();
    expect(dying.stats.deadLettered).toBe(0);
    // The batch it died in is journaled, not finished.
    expect(
      await models.journal.model.countDocuments({}),
    ).toBeGreaterThanOrEqual(1);

    // Restarted in the same group, with batches cut differently.
    const restarted = consumer(models, 25);
    await restarted.start();
    await eventually(async () => (await restarted.lag()).total === 0, {
      timeoutMs: 60_000,
    });

    for (const standardId of standards) {
      expect(await total('DEMAND_HEADCOUNT', standardId)).toBe(
        demand
          .filter((e) => e.data.standardId === standardId)
          .reduce((n, e) => n + e.data.headcount, 0),
      );
      const ofStandard = issued.filter((e) => e.data.standardId === standardId);
      const revokedOfStandard = revoked.filter(
        (e) => e.data.standardId === standardId,
      );
      expect(await total('CERTIFIED', standardId)).toBe(
        ofStandard.length - revokedOfStandard.length,
      );
    }
    expect(await models.ledger.model.countDocuments({})).toBe(
      demand.length + issued.length + revoked.length,
    );
    expect(await models.journal.model.countDocuments({})).toBe(0);
    expect(restarted.stats.deadLettered).toBe(0);
  });
});
