import { MongoClient } from 'mongodb';
import { MAX_IMPORT_BATCH } from '../src/domain/historical-import';
import { STATUS_LIST_SIZE } from '../src/domain/certificate';
import { statusListsInUse } from '../src/domain/status-slots';
import {
  IMPORT_MUTATION,
  importAdmin,
  startImportWorld,
  type ImportWorld,
} from '../test/fixtures/import-world';

// Seconds per 500-record batch of `importHistoricalCertificates` into a
// registry filled to each of BENCH_SIZES certificates (default 20,000 and
// 100,000), and the migration rate in records/s. README: Historical import,
// "Speed". The registry is filled straight into MongoDB with insertMany
// (BENCH_FILL=insert, the default: quick), or through the mutation itself in
// 500-record batches (BENCH_FILL=import: the whole migration, timed, e.g.
// BENCH_SIZES=300000 for CONOCER's 300,000 certificates). Either way status
// entries come from the one counter, so the registry runs on into lists 2, 3…
// At each size it then verifies a sample spread across the registry (issue
// 15: "verifies a sample"; "public verification by code or by JWT answers in
// milliseconds at 300,000 certificates"): by code, anonymously, and by the
// JWT an export gives, timing each call.

const sizes = (process.env.BENCH_SIZES ?? '20000,100000')
  .split(',')
  .map(Number);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 4);
const FILL = process.env.BENCH_FILL ?? 'insert';
if (FILL !== 'insert' && FILL !== 'import') {
  throw new Error(`BENCH_FILL must be insert or import, got "${FILL}"`);
}
// What the issue asks: a batch well inside the gateway's 10 s subgraph timeout.
const BUDGET_MS = 2_000;
// At least the bench config's 30 minutes; an imported fill runs at a few
// hundred records/s on a shared machine, so allow 20 ms a record.
const TIMEOUT_MS = Math.max(1_800_000, Math.max(...sizes) * 20);

let world: ImportWorld;

beforeAll(async () => {
  world = await startImportWorld('certification-import-bench');
}, 300_000);

afterAll(async () => {
  await world?.network.stop();
  await world?.infra.cleanup();
  await world?.service.stop();
}, 300_000);

/** Imports `records` in one call; its milliseconds. */
async function importBatch(records: unknown[]): Promise<number> {
  const started = Date.now();
  const { importHistoricalCertificates } = await world.client.ok(
    IMPORT_MUTATION,
    { input: { source: 'Registro UANL 2019–2026', records } },
    importAdmin,
  );
  expect(importHistoricalCertificates.imported).toBe(records.length);
  return Date.now() - started;
}

const VERIFY_BY_CODE = `query ($c: String!) { verifyCertificate(code: $c) { status standardCode } }`;
const EXPORT = `query ($id: ID!) { exportCredential(certificateId: $id) { jwt } }`;
const VERIFY_JWT = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid } }`;
const SAMPLE = 40;
const anonymous = {};

const median = (values: number[], q = 0.5) =>
  [...values].sort((a, b) => a - b)[
    Math.min(values.length - 1, Math.floor(values.length * q))
  ]!;

/**
 * Verifies `SAMPLE` certificates drawn at random from the whole registry
 * (random entries of the status lists in use, looked up by the unique
 * (list, index) pair: an equality an index serves, so drawing costs nothing
 * at any size — a range on `_id` with a sort read every certificate into
 * FerretDB's memory), by code and, every fourth, by the JWT of an export;
 * each answer must be the certificate's. A line with the timings.
 */
async function verifySample(lists: number): Promise<string> {
  const mongo = await MongoClient.connect(world.infra.mongoUri);
  const sample: { _id: string; verificationCode: string }[] = [];
  try {
    const certificates = mongo
      .db()
      .collection<{ _id: string; verificationCode: string }>('certificates');
    for (let draw = 0; draw < SAMPLE * 20 && sample.length < SAMPLE; draw++) {
      const doc = await certificates.findOne(
        {
          statusList: 1 + Math.floor(Math.random() * lists),
          statusListIndex: Math.floor(Math.random() * STATUS_LIST_SIZE),
        },
        { projection: { verificationCode: 1 } },
      );
      if (doc && !sample.some((s) => s._id === doc._id)) sample.push(doc);
    }
  } finally {
    await mongo.close();
  }
  const byCode: number[] = [];
  const byJwt: number[] = [];
  for (const [i, certificate] of sample.entries()) {
    let started = performance.now();
    const { verifyCertificate } = await world.client.ok(
      VERIFY_BY_CODE,
      { c: certificate.verificationCode },
      anonymous,
    );
    byCode.push(performance.now() - started);
    expect(['VALID', 'EXPIRED']).toContain(verifyCertificate.status);
    if (i % 4 !== 0) continue;
    const { exportCredential } = await world.client.ok(
      EXPORT,
      { id: certificate._id },
      importAdmin,
    );
    started = performance.now();
    const { verifyCredential } = await world.client.ok(
      VERIFY_JWT,
      { jwt: exportCredential.jwt },
      anonymous,
    );
    byJwt.push(performance.now() - started);
    expect(typeof verifyCredential.valid).toBe('boolean');
  }
  const ms = (values: number[]) =>
    `p50 ${median(values).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
  return `verified ${sample.length} drawn from the registry: by code ${ms(byCode)}; by JWT (${byJwt.length}) ${ms(byJwt)}`;
}

/** Adds `n` certificates the chosen way; a line saying how fast. */
async function fill(n: number): Promise<string> {
  const started = Date.now();
  if (FILL === 'insert') {
    await world.prefill(n);
  } else {
    for (let done = 0; done < n; done += MAX_IMPORT_BATCH) {
      await importBatch(world.records(Math.min(MAX_IMPORT_BATCH, n - done)));
      if ((done / MAX_IMPORT_BATCH) % 100 === 99)
        process.stdout.write(
          `bench: imported ${(done + MAX_IMPORT_BATCH).toLocaleString('en')} of ${n.toLocaleString('en')}\n`,
        );
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const rate = seconds > 0 ? ` (${Math.round(n / seconds)} records/s)` : '';
  return `${FILL === 'insert' ? 'pre-fill' : 'imported fill'} of ${n.toLocaleString('en')} in ${seconds.toFixed(1)} s${rate}`;
}

it(
  `imports ${MAX_IMPORT_BATCH}-record batches in under ${BUDGET_MS} ms at every registry size`,
  async () => {
    const report: string[] = [];
    let filled = 0;
    for (const size of sizes) {
      const added = Math.max(0, size - filled);
      const filling = await fill(added);
      filled = Math.max(size, filled);
      const times: number[] = [];
      for (let b = 0; b < BATCHES; b += 1) {
        times.push(await importBatch(world.records(MAX_IMPORT_BATCH)));
      }
      filled += BATCHES * MAX_IMPORT_BATCH;
      const total = times.reduce((a, b) => a + b, 0);
      const lists = statusListsInUse(
        await world.service.stores.certificates.statusPositionsReserved(),
      );
      const verified = await verifySample(lists);
      const line = `registry ${size.toLocaleString('en')}: ${(total / times.length / 1000).toFixed(2)} s per ${MAX_IMPORT_BATCH}-record batch (max ${(Math.max(...times) / 1000).toFixed(2)} s; ${times.join(', ')} ms), migration ${Math.round((BATCHES * MAX_IMPORT_BATCH) / (total / 1000))} records/s; ${filling}; status lists in use: ${lists}; ${verified}`;
      report.push(line);
      process.stdout.write(`bench: ${line}\n`);
      expect(Math.max(...times)).toBeLessThan(BUDGET_MS);
    }
    process.stdout.write(`\n${report.join('\n')}\n`);
  },
  TIMEOUT_MS,
);
