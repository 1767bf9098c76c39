import { isolatedInfra } from '@conecta/devstack';
import {
  createKafka,
  createOutboxWriter,
  type KafkaClient,
} from '@conecta/events';
import { createLogger } from '@conecta/service-kit';
import mongoose, { type Connection } from 'mongoose';
import { ROLLUP_GRANULARITY } from '../../src/domain/metrics';
import { createBatchApplier } from '../../src/events/apply';
import { createOutcomesFeed } from '../../src/events/feed';
import {
  createStores,
  syncIndexes,
  syncReadModelIndexes,
  type ReadModels,
  type Stores,
} from '../../src/store';
import { nationalHistory } from '../fixtures/national-history';
import {
  ANALYTICS_REQUESTS,
  commandRecorder,
  perCollection,
  universityContext,
} from '../fixtures/reads';

// Issue 11: a generation filled before rollups existed (the bench's demo
// databases were) is read from its buckets, whose number per month grows
// with the data. Its rollups are backfilled once, at the start, and from
// then on the monthly analytics of the nation and of a state read one
// document per month asked, at 1× and at 10× the data alike, with the same
// answers. On the real FerretDB, written by the consumer's batch applier.
const logger = createLogger({
  name: 'outcomes-rollups-backfill',
  level: 'silent',
});
const infra = isolatedInfra('outcomes_rollups_backfill');
let connection: Connection;
let stores: Stores;
let recorder: ReturnType<typeof commandRecorder>;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(infra.mongoUri, { monitorCommands: true })
    .asPromise();
  recorder = commandRecorder(connection.getClient());
  stores = createStores(connection, createOutboxWriter());
  await syncIndexes(stores);
});

afterAll(async () => {
  await connection.close();
  await infra.cleanup();
});

/** A generation holding the national history at `scale` as an earlier version left it: buckets, no rollups, no mark. */
async function legacyGeneration(suffix: string, scale: number) {
  const models = stores.readModelsAt(suffix);
  await syncReadModelIndexes(models);
  const history = nationalHistory(scale);
  const applier = createBatchApplier(models);
  for (let i = 0; i < history.length; i += 2_000)
    await applier.apply(history.slice(i, i + 2_000), 'history-0');
  await withoutRollups(models);
  return models;
}

const withoutRollups = (models: ReadModels) =>
  models.buckets.model.collection.deleteMany({
    granularity: { $in: [ROLLUP_GRANULARITY, 'MARK'] },
  });

/** Each request's answer, and what it read (per collection, warm). */
async function answers(suffix: string) {
  const found = [];
  for (const request of ANALYTICS_REQUESTS) {
    await request.ask(universityContext(stores, suffix));
    const { result, commands } = await recorder.during(() =>
      request.ask(universityContext(stores, suffix)),
    );
    found.push({
      name: request.name,
      result,
      reads: perCollection(commands, suffix),
    });
  }
  return found;
}

const bucketReads = (
  reads: Array<{ collection: string; commands: number; documents: number }>,
) => reads.find((r) => r.collection === 'metric_buckets');

it('backfills the rollups of a generation filled before them: the same answers, and reads that do not grow with 10× the data', async () => {
  const small = await legacyGeneration('_tenth', 0.1);
  const large = await legacyGeneration('_whole', 1);
  const before = {
    small: await answers('_tenth'),
    large: await answers('_whole'),
  };
  expect(await large.buckets.rollupsComplete()).toBe(false);

  expect(await small.buckets.backfillRollups()).toBeGreaterThan(0);
  expect(await large.buckets.backfillRollups()).toBeGreaterThan(0);
  expect(await large.buckets.rollupsComplete()).toBe(true);
  // Once marked, a second run writes nothing.
  expect(await large.buckets.backfillRollups()).toBe(0);
  const after = {
    small: await answers('_tenth'),
    large: await answers('_whole'),
  };

  for (const size of ['small', 'large'] as const)
    for (const [i, answer] of after[size].entries())
      // Every answer identical to the one the buckets gave.
      expect(answer.result).toEqual(before[size][i]!.result);

  const [trends, forecast, nation, state] = [0, 1, 2, 3].map((i) => ({
    before: bucketReads(before.large[i]!.reads)!,
    small: bucketReads(after.small[i]!.reads)!,
    large: bucketReads(after.large[i]!.reads)!,
  }));
  // demandTrends: one find per metric, at most one document per month of
  // the span's 36 (whole quarters), at 1× as at 10×; before, every
  // bucket of those months, for every standard and credential.
  expect(after.large[0]!.reads).toEqual([
    {
      collection: 'metric_buckets',
      commands: 2,
      documents: trends.large!.documents,
    },
  ]);
  expect(after.small[0]!.reads.map((r) => [r.collection, r.commands])).toEqual([
    ['metric_buckets', 2],
  ]);
  expect(trends.large!.documents).toBeLessThanOrEqual(2 * 36);
  expect(trends.before.documents).toBeGreaterThan(trends.large!.documents);
  // The forecast's 120 months: one find, at most 120 documents.
  expect(forecast.large!).toEqual({
    collection: 'metric_buckets',
    commands: 1,
    documents: forecast.large!.documents,
  });
  expect(forecast.small!.commands).toBe(1);
  expect(forecast.large!.documents).toBeLessThanOrEqual(120);
  // supply's four counts for the nation: one find each, ≤ 36 documents each.
  expect(nation.large!.commands).toBe(4);
  expect(nation.small!.commands).toBe(4);
  expect(nation.large!.documents).toBeLessThanOrEqual(4 * 36);
  expect(nation.before.documents).toBeGreaterThan(nation.large!.documents);
  // For a state, placements are read from the rollups (trained and
  // completed still join cohorts, certified reads the certificates).
  expect(state.large!.documents).toBeLessThan(state.before.documents);
}, 180_000);

describe('at the start', () => {
  let kafka: KafkaClient;
  beforeAll(() => {
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'outcomes-rollups-backfill',
      logger,
    });
  });

  const feed = () =>
    createOutcomesFeed({
      kafka,
      topicPrefix: infra.topicPrefix,
      logger,
      stores,
    });

  it('backfills the serving generation before its consumer starts, unless another feeder runs', async () => {
    // Generation 0 (unsuffixed), filled by an earlier version.
    const serving = stores.readModelsAt('');
    const applier = createBatchApplier(serving);
    await applier.apply(nationalHistory(0.1), 'history-0');
    await withoutRollups(serving);

    // Another instance feeds it: its buckets would move under a backfill.
    await stores.generation.renewLease(
      'service@elsewhere',
      'service',
      new Date(),
    );
    const alongside = feed();
    await alongside.start();
    await alongside.stop();
    expect(await serving.buckets.rollupsComplete()).toBe(false);

    // Alone: backfilled, then consumed.
    await stores.generation.releaseLease('service@elsewhere');
    const alone = feed();
    await alone.start();
    try {
      expect(await serving.buckets.rollupsComplete()).toBe(true);
      const sums = await serving.buckets.sums('DEMAND_HEADCOUNT', 'YEAR', [
        '2024',
      ]);
      expect(sums.get('2024')).toBeGreaterThan(0);
      expect(
        await serving.buckets.totals(
          'DEMAND_HEADCOUNT',
          'YEAR',
          ['2024'],
          null,
        ),
      ).toEqual(sums);
    } finally {
      await alone.stop();
    }
  }, 120_000);
});
