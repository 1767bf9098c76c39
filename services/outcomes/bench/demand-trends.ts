import { ensureInfra, isolatedInfra } from '@conecta/devstack';
import type { KnownEvent } from '@conecta/events';
import type { StateCode } from '@conecta/mexico';
import mongoose from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { planBatch } from '../src/events/plan';
import { createReadModels } from '../src/store';
import { bucketWrites, type BucketStore } from '../src/store/buckets';
import { applyCounters } from '../src/store/collections';
import { eventMother as events } from '../test/fixtures/mothers';

// `npx tsx bench/demand-trends.ts` (services/outcomes): what demandTrends'
// read of one state costs at two history sizes, on the local devstack, on an
// isolated database: the buckets path (every bucket of the months asked,
// every standard and state; before issue 11's rollups) against the rollups
// (one document per month, by exact `_id`). Prints medians and p99 of
// RUNS reads of 36 months of Jalisco, each of the two metrics demandTrends
// reads, one at a time. Figures only; asserts nothing.
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const STATES: StateCode[] = [
  'MX-JAL',
  'MX-NLE',
  'MX-CMX',
  'MX-BCN',
  'MX-QUE',
  'MX-PUE',
  'MX-YUC',
  'MX-SON',
  'MX-GUA',
  'MX-VER',
];
const SIZES = [
  { name: 'small', years: 3, states: 5, standards: 10 },
  {
    name: 'large (×10 history, ×2 states, ×4 standards)',
    years: 10,
    states: 10,
    standards: 40,
  },
];
const MONTHS = Array.from(
  { length: 36 },
  (_, i) =>
    `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);

function history(years: number, states: number, standards: number) {
  const ids = Array.from({ length: standards }, () => uuidv7());
  const list: KnownEvent[] = [];
  for (let y = 2025 - years + 1; y <= 2025; y++)
    for (let m = 1; m <= 12; m++)
      for (const state of STATES.slice(0, states))
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

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function time(read: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await read();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return `p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms`;
}

async function main() {
  await ensureInfra({ env: process.env });
  const infra = isolatedInfra('outcomes_bench_trends');
  const connection = await mongoose
    .createConnection(infra.mongoUri)
    .asPromise();
  try {
    for (const [n, size] of SIZES.entries()) {
      const list = history(size.years, size.states, size.standards);
      const { buckets } = createReadModels(connection, `_s${n}`);
      await buckets.model.syncIndexes();
      await buckets.markRollupsIfEmpty();
      for (let i = 0; i < list.length; i += 2_000)
        await applyCounters(
          buckets.model.collection as never,
          bucketWrites(planBatch(list.slice(i, i + 2_000)).buckets),
          'bench-0',
          `batch-${i}`,
        );
      const documents = await buckets.model.countDocuments({});
      const both = (b: BucketStore, rollups: boolean) => () =>
        Promise.all(
          (['DEMAND_HEADCOUNT', 'DEMAND_REQUESTS'] as const).map((metric) =>
            rollups
              ? b.totals(metric, 'MONTH', MONTHS, 'MX-JAL')
              : b.sums(metric, 'MONTH', MONTHS, { state: 'MX-JAL' }),
          ),
        );
      console.log(
        `${size.name}: ${list.length} demand events, ${documents} documents in metric_buckets`,
      );
      console.log(`  buckets path: ${await time(both(buckets, false))}`);
      console.log(`  rollups:      ${await time(both(buckets, true))}`);
    }
  } finally {
    await connection.close();
    await infra.cleanup();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
