import { commandsBetween } from '@conecta/test-kit';
import { MAX_IMPORT_BATCH } from '../../src/domain/historical-import';
import {
  IMPORT_MUTATION,
  importAdmin,
  startImportWorld,
  type ImportWorld,
} from '../fixtures/import-world';

// A migration's cost per batch must not grow with the batch nor with the
// registry: the MongoDB commands one import request sends (service-kit counts
// them per request, GET /metrics scope="request") are the same for 20 and for
// 500 records, and the same into an empty registry and one holding thousands
// of certificates. One query per record, or a read of the whole registry
// (the old status-index scan), would make one of them differ.

let world: ImportWorld;

beforeAll(async () => {
  world = await startImportWorld('certification-import-round-trips');
}, 120_000);

afterAll(async () => {
  await world?.network.stop();
  // The database first: the relay's backlog is not what this file checks.
  await world?.infra.cleanup();
  await world?.service.stop();
}, 120_000);

async function importBatch(records: unknown[]) {
  const before = await world.requestCommands();
  const started = Date.now();
  const { importHistoricalCertificates } = await world.client.ok(
    IMPORT_MUTATION,
    { input: { source: 'Registro UANL 2019–2026', records } },
    importAdmin,
  );
  const ms = Date.now() - started;
  const commands = commandsBetween(before, await world.requestCommands());
  return { result: importHistoricalCertificates, commands, ms };
}

it('sends the same MongoDB commands for a batch of 20 and of 500, into a small and a larger registry', async () => {
  const small = await importBatch(world.records(20));
  const full = await importBatch(world.records(MAX_IMPORT_BATCH));
  await world.prefill(5_000);
  const larger = await importBatch(world.records(MAX_IMPORT_BATCH));
  process.stdout.write(
    `import round trips: 20 → ${JSON.stringify(small.commands)} (${small.ms} ms); 500 → ${JSON.stringify(full.commands)} (${full.ms} ms); 500 after 5,520 → ${JSON.stringify(larger.commands)} (${larger.ms} ms)\n`,
  );

  expect(small.result).toMatchObject({ imported: 20, peopleRegistered: 20 });
  expect(full.result).toMatchObject({ imported: 500, peopleRegistered: 500 });
  expect(larger.result).toMatchObject({ imported: 500, peopleRegistered: 500 });
  expect(full.commands).toEqual(small.commands);
  expect(larger.commands).toEqual(small.commands);
  // A handful of round trips: lookups per collection, the status-entry
  // reservation, one insert per kind.
  const total = Object.values(full.commands).reduce((a, b) => a + b, 0);
  expect(total).toBeLessThanOrEqual(12);
  expect(await world.service.stores.certificates.model.countDocuments({})).toBe(
    6_020,
  );
}, 300_000);

it('re-sends of a whole batch cost the same few commands and import nothing twice', async () => {
  const records = world.records(MAX_IMPORT_BATCH);
  const first = await importBatch(records);
  const again = await importBatch(records);
  expect(first.result.imported).toBe(MAX_IMPORT_BATCH);
  expect(again.result).toMatchObject({
    imported: 0,
    alreadyImported: MAX_IMPORT_BATCH,
    peopleRegistered: 0,
  });
  const total = (c: Record<string, number>) =>
    Object.values(c).reduce((a, b) => a + b, 0);
  expect(total(again.commands)).toBeLessThanOrEqual(total(first.commands));
}, 300_000);

it('gives every imported certificate its own status-list entry', async () => {
  const indexes =
    await world.service.stores.certificates.model.distinct('statusListIndex');
  const count = await world.service.stores.certificates.model.countDocuments(
    {},
  );
  expect(indexes).toHaveLength(count);
});
