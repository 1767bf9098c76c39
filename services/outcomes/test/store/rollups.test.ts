import { isolatedInfra } from '@conecta/devstack';
import type { KnownEvent } from '@conecta/events';
import type { CommandSucceededEvent } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { planBatch } from '../../src/events/plan';
import { createReadModels } from '../../src/store';
import { bucketWrites, type BucketStore } from '../../src/store/buckets';
import { applyCounters } from '../../src/store/collections';
import { eventMother as events } from '../fixtures/mothers';
import { HISTORY_STATES } from '../fixtures/national-history';

// Issue 11, item 6: demandTrends for one state must cost the same whatever
// the history holds. The rollups are read by their exact keys, one per month
// asked; this checks, on the real FerretDB, that the commands and the
// documents a query reads do not grow with the history (years, states,
// standards), and that the rollups equal the buckets they sum.
const infra = isolatedInfra('outcomes_rollups');
let connection: Connection;
const replies: Array<{ command: string; documents: number }> = [];

beforeAll(async () => {
  connection = await mongoose
    .createConnection(infra.mongoUri, { monitorCommands: true })
    .asPromise();
  connection.getClient().on('commandSucceeded', (e: CommandSucceededEvent) => {
    const cursor = (e.reply as { cursor?: { firstBatch?: unknown[] } }).cursor;
    replies.push({
      command: e.commandName,
      documents: cursor?.firstBatch?.length ?? 0,
    });
  });
});

afterAll(async () => {
  await connection.close();
  await infra.cleanup();
});

/** Demand in every month of `years` (ending 2025), every state of `states`, every one of `standards` new standards. */
function history(years: number, states: number, standards: number) {
  const ids = Array.from({ length: standards }, () => uuidv7());
  const list: KnownEvent[] = [];
  for (let y = 2025 - years + 1; y <= 2025; y++)
    for (let m = 1; m <= 12; m++)
      for (const state of HISTORY_STATES.slice(0, states))
        for (const [i, standardId] of ids.entries())
          list.push(
            events.demandRequested(
              `${y}-${String(m).padStart(2, '0')}-10T12:00:00Z`,
              1 + ((m + i) % 4),
              { state, standardId },
            ),
          );
  return list;
}

/** A generation's bucket store holding `list`, written as the consumer writes (plan → counters, batches of 2 000). */
async function storeWith(suffix: string, list: KnownEvent[]) {
  const { buckets } = createReadModels(connection, suffix);
  await buckets.model.syncIndexes();
  await buckets.markRollupsIfEmpty();
  const collection = buckets.model.collection as never;
  for (let i = 0; i < list.length; i += 2_000)
    await applyCounters(
      collection,
      bucketWrites(planBatch(list.slice(i, i + 2_000)).buckets),
      'training-0',
      `batch-${i}`,
    );
  return buckets;
}

// The dashboard's question: 35 months of one state, read as whole quarters (36 months).
const MONTHS = Array.from(
  { length: 36 },
  (_, i) =>
    `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);

/** The commands one state's monthly headcount costs, and its sums. */
async function measured(buckets: BucketStore) {
  replies.length = 0;
  const sums = await buckets.totals(
    'DEMAND_HEADCOUNT',
    'MONTH',
    MONTHS,
    'MX-JAL',
  );
  return { sums, commands: [...replies] };
}

it('reads one document per month asked for a state, whatever the history holds', async () => {
  const small = await storeWith('_small', history(3, 2, 2));
  const large = await storeWith('_large', history(6, 8, 12));
  expect(await small.rollupsComplete()).toBe(true);
  expect(await large.rollupsComplete()).toBe(true);

  const a = await measured(small);
  const b = await measured(large);
  // The same commands, each returning one document per month of the span.
  expect(a.commands).toEqual([{ command: 'find', documents: 36 }]);
  expect(b.commands).toEqual(a.commands);

  // And the same figures as the buckets they sum (the path used before).
  for (const [store, result] of [
    [small, a],
    [large, b],
  ] as const) {
    const fromBuckets = await store.sums('DEMAND_HEADCOUNT', 'MONTH', MONTHS, {
      state: 'MX-JAL',
    });
    expect(result.sums).toEqual(fromBuckets);
    const nation = await store.totals(
      'DEMAND_HEADCOUNT',
      'YEAR',
      ['2024'],
      null,
    );
    expect(nation).toEqual(
      await store.sums('DEMAND_HEADCOUNT', 'YEAR', ['2024']),
    );
  }
}, 120_000);

it('leaves a generation filled without rollups (an earlier version) to its buckets', async () => {
  const { buckets } = createReadModels(connection, '_legacy');
  await buckets.model.syncIndexes();
  await buckets.model.collection.insertOne({
    _id: 'DEMAND_HEADCOUNT|MONTH|2024-01|MX-JAL|-|-|-|-',
    metric: 'DEMAND_HEADCOUNT',
    granularity: 'MONTH',
    period: '2024-01',
    state: 'MX-JAL',
    value: 7,
  } as never);
  await buckets.markRollupsIfEmpty();
  expect(await buckets.rollupsComplete()).toBe(false);
});
