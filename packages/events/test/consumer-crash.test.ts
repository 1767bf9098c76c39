import { isolatedInfra } from '@conecta/devstack';
import type { Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import {
  APPLIED_EVENT_IDS_FIELD,
  createEventConsumer,
  createKafka,
  dlqTopicFor,
  topicFor,
} from '../src';
import { committeesMother } from './fixtures/committeesMother';
import { spawnSupportProcess } from './support/child';
import type { RelayChild } from './support/child';
import { eventually, rawProducer, testLogger } from './support/observe';
import type { SectorView } from './support/observe';

const EVENTS = 400;
/** Not a multiple of the chunk size (50): the crash lands inside a chunk. */
const KILL_AFTER = 120;

// The cheap version of the fault suite's "consumer killed with SIGKILL
// mid-batch": a batch-mode consumer process dies right after applying an
// event of a chunk whose offsets are not committed; the next process of the
// group gets that chunk again, and applyOnce keeps each effect single.
describe('a consumer process killed with SIGKILL mid-batch', () => {
  const infra = isolatedInfra('events_consumer_crash');
  const topic = topicFor('committees', infra.topicPrefix);
  const env = {
    MONGODB_URI: infra.mongoUri,
    DB_NAME: infra.dbName,
    VIEWS: 'sectors',
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    TOPIC: topic,
    DLQ_TOPIC: dlqTopicFor('crash', infra.topicPrefix),
    GROUP_ID: `${infra.groupIdPrefix}crash`,
  };
  let client: MongoClient;
  let producer: Producer;
  const children: RelayChild[] = [];

  beforeAll(async () => {
    client = await MongoClient.connect(infra.mongoUri);
    producer = await rawProducer(infra.kafkaBrokers);
  });

  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await producer?.disconnect();
    await client?.close();
    await infra.cleanup();
  });

  it('gets the interrupted chunk again after restart and applies every event exactly once', async () => {
    const views: Collection<SectorView> = client
      .db(infra.dbName)
      .collection('sectors');
    const events = Array.from({ length: EVENTS }, () =>
      committeesMother.sectorRegistered(),
    );
    await producer.send({
      topic,
      messages: events.map((e) => ({
        key: e.subject,
        value: JSON.stringify(e),
      })),
    });

    const first = spawnSupportProcess('consumer-process.ts', [], {
      ...env,
      KILL_AFTER: String(KILL_AFTER),
    });
    children.push(first);
    expect(await first.exited).toBe('SIGKILL');
    expect(await views.countDocuments()).toBe(KILL_AFTER);

    const second = spawnSupportProcess('consumer-process.ts', [], env);
    children.push(second);
    await second.waitForLine(/^ready$/, 60_000);
    await eventually(
      async () => (await views.countDocuments()) === EVENTS,
      60_000,
      'every event to be applied',
    );
    const lag = createEventConsumer({
      kafka: createKafka({
        brokers: infra.kafkaBrokers,
        clientId: 'crash-lag',
        logger: testLogger(),
      }),
      groupId: env.GROUP_ID,
      topics: [topic],
      dlqTopic: env.DLQ_TOPIC,
      logger: testLogger(),
      handlers: {},
    }).lag;
    await eventually(
      async () => (await lag()).total === 0,
      30_000,
      'every offset to be committed',
    );
    second.process.kill('SIGTERM');
    const handled = Number(
      (await second.waitForLine(/^handled \d+$/)).split(' ')[1],
    );

    // Events the first process had applied came again (its chunk was not committed)…
    expect(handled).toBeGreaterThan(EVENTS - KILL_AFTER);
    // …and changed nothing a second time.
    const all = await views.find().toArray();
    expect(all).toHaveLength(EVENTS);
    for (const event of events) {
      const view = all.find((v) => v._id === event.subject);
      expect(view).toMatchObject({ name: event.data.name, timesApplied: 1 });
      expect(view?.[APPLIED_EVENT_IDS_FIELD]).toEqual([event.id]);
    }
  }, 180_000);
});
