import { ensureInfra, isolatedInfra } from '@conecta/devstack';
import type { OutboxWriter } from '@conecta/events';
import mongoose from 'mongoose';
import { createBatchApplier } from '../src/events/apply';
import { createStores, syncReadModelIndexes } from '../src/store';
import { ROLLUP_GRANULARITY } from '../src/domain/metrics';
import { nationalHistory } from '../test/fixtures/national-history';
import {
  ANALYTICS_REQUESTS,
  commandRecorder,
  perCollection,
  universityContext,
} from '../test/fixtures/reads';

// `npx tsx bench/analytics-reads.ts` (services/outcomes; BENCH_SCALES,
// default 1,10; BENCH_RUNS, default 20): what the per-state and national
// monthly analytics read per request (commands, documents returned per
// collection) and cost (p50, p99 of one request at a time), on the local
// devstack's FerretDB, on an isolated database, over a national history
// shaped like the demo at each scale (test/fixtures/national-history.ts),
// written by the consumer's own batch applier. Each scale is measured twice:
// as a generation filled before rollups existed (its rollups and mark
// removed: what the bench's demo databases were) and after the start's
// one-time backfill. Figures only; asserts nothing.
const SCALES = (process.env.BENCH_SCALES ?? '1,10').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main() {
  const endpoints = await ensureInfra({ env: process.env });
  process.env.MONGODB_URI ??= endpoints.mongoUri;
  process.env.KAFKA_BROKERS ??= endpoints.kafkaBrokers.join(',');
  const infra = isolatedInfra('outcomes_bench_reads');
  const connection = await mongoose
    .createConnection(infra.mongoUri, { monitorCommands: true })
    .asPromise();
  const recorder = commandRecorder(connection.getClient());
  // Read-only here: nothing is recorded through the outbox.
  const stores = createStores(connection, {} as OutboxWriter);
  try {
    for (const scale of SCALES) {
      const suffix = `_s${scale}`;
      const models = stores.readModelsAt(suffix);
      await syncReadModelIndexes(models);
      const history = nationalHistory(scale);
      const applier = createBatchApplier(models);
      const began = Date.now();
      for (let i = 0; i < history.length; i += 2_000)
        await applier.apply(history.slice(i, i + 2_000), `bench-${scale}`);
      const buckets = await models.buckets.model.countDocuments({
        granularity: 'MONTH',
      });
      console.log(
        `scale ${scale}: ${history.length} events applied in ${((Date.now() - began) / 1000).toFixed(0)} s; ${buckets} MONTH buckets`,
      );
      // A generation an earlier version filled: no rollups, no mark.
      await models.buckets.model.collection.deleteMany({
        granularity: { $in: [ROLLUP_GRANULARITY, 'MARK'] },
      });
      await measure(`scale ${scale}, before (buckets)`);
      const t = Date.now();
      const written = await models.buckets.backfillRollups();
      console.log(
        `  backfill: ${written} rollups written in ${Date.now() - t} ms`,
      );
      await measure(`scale ${scale}, after (rollups)`);

      async function measure(label: string) {
        console.log(`  ${label}`);
        for (const request of ANALYTICS_REQUESTS) {
          const context = () => universityContext(stores, suffix);
          // Warm: the generation's rollup mark is read once per process.
          await request.ask(context());
          const { commands } = await recorder.during(() =>
            request.ask(context()),
          );
          const ms: number[] = [];
          for (let r = 0; r < RUNS; r++) {
            const start = performance.now();
            await request.ask(context());
            ms.push(performance.now() - start);
          }
          ms.sort((a, b) => a - b);
          const reads = perCollection(commands, suffix)
            .map((c) => `${c.collection} ${c.commands}×/${c.documents}`)
            .join(', ');
          console.log(
            `    ${request.name}: ${commands.length} commands, ${commands.reduce((n, c) => n + c.documents, 0)} documents (${reads}); p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms`,
          );
        }
      }
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
