import { isolatedInfra } from '@conecta/devstack';
import { createOutboxWriter, type KnownEvent } from '@conecta/events';
import { createLogger, createMongo } from '@conecta/service-kit';
import type { Collection } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import { planBatch } from '../../src/events/plan';
import { createStores, readModelsOf, type ReadModels } from '../../src/store';
import { bucketWrites } from '../../src/store/buckets';
import {
  applyCounters,
  splitCounterWrites,
  type ReadModelDocument,
} from '../../src/store/collections';
import { eventMother as events } from '../fixtures/mothers';

const logger = createLogger({ name: 'outcomes-counters', level: 'silent' });
const infra = isolatedInfra('outcomes_counters');
const mongo = createMongo({ uri: infra.mongoUri, logger });
let models: ReadModels;
let buckets: Collection<ReadModelDocument>;

beforeAll(async () => {
  await mongo.start();
  models = readModelsOf(createStores(mongo.connection, createOutboxWriter()));
  await models.buckets.model.syncIndexes();
  buckets = models.buckets.model
    .collection as unknown as Collection<ReadModelDocument>;
});

afterAll(async () => {
  await mongo.stop();
  await infra.cleanup();
});

/** Demand for one standard in 2022: `headcounts[i]` people in month i + 1. */
const demandOf = (standardId: string, headcounts: readonly number[]) =>
  headcounts.map((headcount, i) =>
    events.demandRequested(
      `2022-${String(i + 1).padStart(2, '0')}-15T12:00:00Z`,
      headcount,
      { standardId },
    ),
  );

const writesOf = (list: readonly KnownEvent[]) =>
  bucketWrites(planBatch(list).buckets);

/** Requested headcount of `standardId` per month of 2022 (months without demand left out). */
async function headcounts(standardId: string): Promise<number[]> {
  const months = Array.from(
    { length: 12 },
    (_, i) => `2022-${String(i + 1).padStart(2, '0')}`,
  );
  const sums = await models.buckets.sums('DEMAND_HEADCOUNT', 'MONTH', months, {
    standardId,
  });
  return months.flatMap((m) => (sums.has(m) ? [sums.get(m)!] : []));
}

/**
 * The bucket collection, except that right after the first read of the
 * documents a batch is about to write, `meanwhile` runs (another writer).
 */
function withWriterAfterRead(
  collection: Collection<ReadModelDocument>,
  meanwhile: () => Promise<void>,
): Collection<ReadModelDocument> {
  let ran = false;
  return new Proxy(collection, {
    get(target, property) {
      if (property === 'find')
        return (...args: Parameters<typeof target.find>) => {
          const cursor = target.find(...args);
          return {
            async toArray() {
              const docs = await cursor.toArray();
              if (!ran) {
                ran = true;
                await meanwhile();
              }
              return docs;
            },
          };
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('counter writes', () => {
  it('inserts new buckets, updates existing ones once per distinct increment, and skips those the batch already wrote', () => {
    const writes = writesOf(demandOf(uuidv7(), [3, 3, 5, 7]));
    const [jan, feb, mar, apr] = writes.filter((w) =>
      w.id.startsWith('DEMAND_HEADCOUNT'),
    );
    const plan = splitCounterWrites(
      [jan!, feb!, mar!, apr!],
      new Map<string, unknown>([
        [jan!.id, 'an earlier batch'],
        [feb!.id, undefined],
        [mar!.id, 'this batch'],
      ]),
      'this batch',
    );
    expect(plan.inserts.map((w) => w.id)).toEqual([apr!.id]);
    expect(plan.updates).toEqual([
      { ids: [jan!.id, feb!.id], inc: { value: 3 } },
    ]);
  });

  it('counts every increment once when buckets are new, existing, or both in one batch', async () => {
    const standardId = uuidv7();
    await applyCounters(
      buckets,
      writesOf(demandOf(standardId, [4, 6])),
      'training_0',
      uuidv7(),
    );
    await applyCounters(
      buckets,
      writesOf(demandOf(standardId, [1, 2, 9])),
      'training_0',
      uuidv7(),
    );
    expect(await headcounts(standardId)).toEqual([5, 8, 9]);
  });

  it('adds a batch once when another partition creates the same bucket between its read and its insert', async () => {
    const standardId = uuidv7();
    const other = () =>
      applyCounters(
        buckets,
        writesOf(demandOf(standardId, [10, 20])),
        'training_1',
        uuidv7(),
      );
    await applyCounters(
      withWriterAfterRead(buckets, other),
      writesOf(demandOf(standardId, [1, 2, 3])),
      'training_0',
      uuidv7(),
    );
    expect(await headcounts(standardId)).toEqual([11, 22, 3]);
  });

  it('re-applies a batch interrupted half-way without counting the written buckets twice', async () => {
    const standardId = uuidv7();
    const batchId = uuidv7();
    const writes = writesOf(demandOf(standardId, [4, 5, 6, 7]));
    // The process died after writing half of the batch's buckets.
    await applyCounters(buckets, writes.slice(0, 3), 'training_2', batchId);
    await applyCounters(buckets, writes, 'training_2', batchId);
    await applyCounters(buckets, writes, 'training_2', batchId);
    expect(await headcounts(standardId)).toEqual([4, 5, 6, 7]);
  });

  it('fails rather than loses an increment when a bucket disappears between its read and its update, and the retry writes it', async () => {
    const standardId = uuidv7();
    const batchId = uuidv7();
    const first = writesOf(demandOf(standardId, [2, 2]));
    await applyCounters(buckets, first, 'training_0', uuidv7());
    const [january] = first;
    const vanishing = withWriterAfterRead(buckets, async () => {
      await buckets.deleteOne({ _id: january!.id });
    });
    const again = writesOf(demandOf(standardId, [3, 3]));
    await expect(
      applyCounters(vanishing, again, 'training_0', batchId),
    ).rejects.toThrow(/changed while batch/);
    // The consumer retries the batch from its journal entry.
    await applyCounters(buckets, again, 'training_0', batchId);
    expect(await headcounts(standardId)).toEqual([3, 5]);
  });

  it('keeps exact totals when three partitions write the same buckets at the same time, round after round', async () => {
    const standardId = uuidv7();
    const rounds = 4;
    const sources = ['training_0', 'training_1', 'training_2'];
    for (let round = 0; round < rounds; round += 1)
      await Promise.all(
        sources.map((source, s) =>
          applyCounters(
            buckets,
            // Each round reaches one more month: new and existing buckets mixed.
            writesOf(
              demandOf(
                standardId,
                Array.from({ length: round + 2 }, () => s + 1),
              ),
            ),
            source,
            uuidv7(),
          ),
        ),
      );
    // Month m (1-based) got 1 + 2 + 3 = 6 in every round that reached it.
    expect(await headcounts(standardId)).toEqual(
      Array.from(
        { length: rounds + 1 },
        (_, m) => 6 * Math.min(rounds, rounds - m + 1),
      ),
    );
  });
});

describe('view writes', () => {
  it('inserts a certificate first seen by a batch, and keeps every field when a re-applied batch or another writer created it first', async () => {
    const standardId = uuidv7();
    const issued = events.certificateIssued(standardId, '2024-11-05T12:00:00Z');
    const issuance = planBatch([issued]).certificates;
    expect(issuance[0]?.created).toBe(true);
    await models.certificates.setMany(issuance);
    // Planned without the stored view (as if it had not been written yet).
    await models.certificates.setMany(
      planBatch([events.certificateRevoked(issued, '2025-01-05T12:00:00Z')])
        .certificates,
    );
    await models.certificates.setMany(issuance);
    const views = await models.certificates.findByIds([issued.data.id]);
    expect(views.get(issued.data.id)).toEqual({
      id: issued.data.id,
      standardId,
      issuedAt: new Date(issued.data.issuedAt),
      revokedAt: new Date('2025-01-05T12:00:00Z'),
      retracted: false,
      // Who holds it and which body evaluated it (its state): from either event.
      personId: issued.data.personId,
      certifyingBodyId: issued.data.certifyingBodyId,
    });
  });
});
