import { MAX_IMPORT_BATCH } from '../src/domain/historical-import';
import {
  IMPORT_MUTATION,
  importAdmin,
  startImportWorld,
  type ImportWorld,
} from '../test/fixtures/import-world';

// Seconds per 500-record batch of `importHistoricalCertificates` into a
// registry pre-filled with BENCH_SIZES certificates (default 20,000 and
// 100,000; pre-filled straight into MongoDB with insertMany), and the
// migration rate in records/s. README: Historical import, "Speed".

const sizes = (process.env.BENCH_SIZES ?? '20000,100000')
  .split(',')
  .map(Number);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 4);
// What the issue asks: a batch well inside the gateway's 10 s subgraph timeout.
const BUDGET_MS = 2_000;

let world: ImportWorld;

beforeAll(async () => {
  world = await startImportWorld('certification-import-bench');
}, 300_000);

afterAll(async () => {
  await world?.network.stop();
  await world?.infra.cleanup();
  await world?.service.stop();
}, 300_000);

it(`imports ${MAX_IMPORT_BATCH}-record batches in under ${BUDGET_MS} ms at every registry size`, async () => {
  const report: string[] = [];
  let filled = 0;
  for (const size of sizes) {
    const added = Math.max(0, size - filled);
    const fillStarted = Date.now();
    await world.prefill(added);
    const fillSeconds = (Date.now() - fillStarted) / 1000;
    filled = Math.max(size, filled);
    const times: number[] = [];
    for (let b = 0; b < BATCHES; b += 1) {
      const records = world.records(MAX_IMPORT_BATCH);
      const started = Date.now();
      const { importHistoricalCertificates } = await world.client.ok(
        IMPORT_MUTATION,
        { input: { source: 'Registro UANL 2019–2026', records } },
        importAdmin,
      );
      times.push(Date.now() - started);
      expect(importHistoricalCertificates.imported).toBe(MAX_IMPORT_BATCH);
    }
    filled += BATCHES * MAX_IMPORT_BATCH;
    const total = times.reduce((a, b) => a + b, 0);
    const line = `registry ${size.toLocaleString('en')}: ${(total / times.length / 1000).toFixed(2)} s per ${MAX_IMPORT_BATCH}-record batch (max ${(Math.max(...times) / 1000).toFixed(2)} s; ${times.join(', ')} ms), migration ${Math.round((BATCHES * MAX_IMPORT_BATCH) / (total / 1000))} records/s; pre-fill of ${added.toLocaleString('en')} in ${fillSeconds.toFixed(1)} s`;
    report.push(line);
    process.stdout.write(`bench: ${line}\n`);
    expect(Math.max(...times)).toBeLessThan(BUDGET_MS);
  }
  process.stdout.write(`\n${report.join('\n')}\n`);
});
