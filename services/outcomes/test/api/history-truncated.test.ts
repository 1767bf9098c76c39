import { Kafka, logLevel, type Admin } from 'kafkajs';
import { createOutboxWriter } from '@conecta/events';
import { createLogger, createMongo } from '@conecta/service-kit';
import type { OutcomesFeed } from '../../src/events/feed';
import { REBUILD_EXIT } from '../../src/replay';
import { createStores } from '../../src/store';
import { slotFor } from '../../src/store/generation';
import { eventMother as events } from '../fixtures/mothers';
import {
  admin,
  runRebuildCommand,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';
import { readModelSnapshot } from '../fixtures/snapshot';

let running: RunningOutcomes;
let kafkaAdmin: Admin;
let stopped = false;

beforeAll(async () => {
  running = await startOutcomes('outcomes-history-truncated');
  kafkaAdmin = new Kafka({
    clientId: 'outcomes-history-test',
    brokers: running.infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await kafkaAdmin.connect();
});

afterAll(async () => {
  await kafkaAdmin?.disconnect();
  if (!stopped) await running?.stop();
  else await running.infra.cleanup();
});

const feed = () => running.service.consumers[0] as OutcomesFeed;
const trainingTopic = () =>
  `${running.infra.topicPrefix}conecta.training.events`;

const STATUS = /* GraphQL */ `
  {
    outcomesConsumerStatus {
      generation
      historyComplete
      truncatedPartitions {
        topic
        partition
        earliestOffset
      }
    }
  }
`;

const DEMAND = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    demandTrends(filter: $filter) {
      period
      requestedHeadcount {
        value
      }
      requests {
        value
      }
    }
  }
`;

const demand = async () =>
  (
    await running.client.ok(
      DEMAND,
      {
        filter: { from: '2023-01-01', to: '2024-12-31', granularity: 'YEAR' },
      },
      admin,
    )
  ).demandTrends;

const rebuildCommand = () =>
  runRebuildCommand(running, 'outcomes-history-test');

describe('a source topic that no longer holds its whole history', () => {
  // Filled by the first test, read by the second.
  let cut: { topic: string; partition: number; earliestOffset: number };
  let incremental: Awaited<ReturnType<typeof readModelSnapshot>>;

  it('shows in the status, and the rebuild mutation refuses it while the complete incremental figures keep serving', async () => {
    const requests = Array.from({ length: 12 }, (_, i) =>
      events.demandRequested(
        `202${3 + (i % 2)}-0${(i % 9) + 1}-05T12:00:00Z`,
        10 + i,
      ),
    );
    await running.publish(...requests);
    await running.caughtUp();
    await running.eventually(
      async () =>
        (await readModelSnapshot(running.service.stores)).ledger === 12,
    );
    const counted = await demand();
    // 2023: the six even requests (10, 12, … 20), 2024: the six odd ones.
    expect(counted).toEqual([
      {
        period: '2023',
        requestedHeadcount: { value: 90 },
        requests: { value: 6 },
      },
      {
        period: '2024',
        requestedHeadcount: { value: 96 },
        requests: { value: 6 },
      },
    ]);
    const intact = await running.client.ok(STATUS, {}, admin);
    expect(intact.outcomesConsumerStatus).toEqual({
      generation: 0,
      historyComplete: true,
      truncatedPartitions: [],
    });

    // Retention deletes the oldest records of one partition (deleteTopicRecords
    // moves the low watermark at once, as a retention pass does).
    const offsets = await kafkaAdmin.fetchTopicOffsets(trainingTopic());
    const fullest = offsets.reduce((a, b) =>
      Number(b.high) > Number(a.high) ? b : a,
    );
    expect(Number(fullest.high)).toBeGreaterThanOrEqual(2);
    const earliestOffset = Number(fullest.high) - 1;
    await kafkaAdmin.deleteTopicRecords({
      topic: trainingTopic(),
      partitions: [
        { partition: fullest.partition, offset: String(earliestOffset) },
      ],
    });
    cut = {
      topic: trainingTopic(),
      partition: fullest.partition,
      earliestOffset,
    };

    const status = await running.client.ok(STATUS, {}, admin);
    expect(status.outcomesConsumerStatus).toEqual({
      generation: 0,
      historyComplete: false,
      truncatedPartitions: [cut],
    });

    incremental = await readModelSnapshot(running.service.stores);
    const refused = await running.client.request(
      `mutation { rebuildReadModels { generation } }`,
      {},
      admin,
    );
    expect(refused.data).toBeNull();
    expect(refused.errors).toHaveLength(1);
    const [error] = refused.errors!;
    expect(error!.extensions).toEqual({
      code: 'CONFLICT',
      reason: 'HISTORY_TRUNCATED',
      truncated: [cut],
    });
    expect(error!.message).toContain(
      `${cut.topic} partition ${cut.partition} from offset ${earliestOffset}`,
    );
    expect(error!.message).toMatch(/restore the topics from a backup/i);

    // Nothing was started: no generation, no new collections, the same read
    // models, the same figures.
    expect(feed().building()).toBeNull();
    expect(await running.service.stores.generation.pointer()).toEqual({
      serving: slotFor(0),
      building: null,
    });
    const db = running.service.stores.connection.db!;
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names.filter((name) => name.endsWith('_g1'))).toEqual([]);
    expect(await readModelSnapshot(running.service.stores)).toEqual(
      incremental,
    );
    expect(await demand()).toEqual(counted);

    // The serving consumer goes on counting new events.
    await running.publish(events.demandRequested('2024-11-05T12:00:00Z', 4));
    await running.caughtUp();
    await running.eventually(
      async () =>
        (await readModelSnapshot(running.service.stores)).ledger === 13,
    );
    expect((await demand())[1].requestedHeadcount.value).toBe(100);
    incremental = await readModelSnapshot(running.service.stores);
  });

  it('makes npm run outcomes:rebuild print each truncated partition and what to do, and exit non-zero with nothing started', async () => {
    await running.service.stop();
    stopped = true;
    const { code, lines } = await rebuildCommand();
    expect(code).toBe(REBUILD_EXIT.HISTORY_TRUNCATED);
    expect(lines[0]).toMatch(
      /^refused: Kafka no longer holds the beginning of one partition/,
    );
    expect(lines).toContain(
      `  ${cut.topic} partition ${cut.partition} from offset ${cut.earliestOffset}`,
    );
    expect(lines.at(-1)).toMatch(/restore the topics from a backup/i);

    // The read models and the pointer are as the service left them, and the
    // command released its lease.
    const mongo = createMongo({
      uri: running.infra.mongoUri,
      logger: createLogger({ name: 'check', level: 'silent' }),
    });
    const stores = createStores(mongo.connection, createOutboxWriter());
    await mongo.start();
    try {
      expect(await stores.generation.pointer()).toEqual({
        serving: slotFor(0),
        building: null,
      });
      expect(await readModelSnapshot(stores)).toEqual(incremental);
      expect(await stores.generation.liveLeases(new Date(0))).toEqual([]);
    } finally {
      await mongo.stop();
    }
  });
});
