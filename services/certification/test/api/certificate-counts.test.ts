import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import {
  commandsBetween,
  TEST_IDENTITY_SECRET,
  createTestClient,
  requestCommandsAt,
  type AsIdentity,
  type TestClient,
} from '@conecta/test-kit';
import { createLogger } from '@conecta/service-kit';
import { loadCertificationConfig } from '../../src/env';
import {
  createCertificationService,
  type CertificationService,
} from '../../src/server';
import {
  ISSUE,
  accredited,
  adminCandidacy,
  certifyingBody,
  drained,
  evaluation,
  extensionsOf,
  registeredPerson,
  type Body,
} from '../fixtures/flows';
import {
  IMPORT_MUTATION,
  importAdmin,
  startImportWorld,
  type ImportWorld,
} from '../fixtures/import-world';
import type { StandardFacts } from '../fixtures/network';

// CompetencyStandard.certificateCount reads one counter per standard
// (certificate_counts) instead of counting the registry: every write that
// changes the number of unrevoked certificates changes its counter right
// after, a reconciliation repairs counters a crash left wrong, and the first
// start of an upgraded deployment fills them while reads still count from
// the certificates. Real FerretDB and Kafka, over HTTP.

const publicCaller: AsIdentity = {};
const REVOKE = `mutation ($id: ID!, $r: String!) { revokeCertificate(id: $id, reason: $r) { status } }`;
const COUNTS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CompetencyStandard { id certificateCount } } }`;

let world: ImportWorld;
/** The running service: the world's, then the one started again on the same database. */
let service: CertificationService;
let client: TestClient;
let operatorUrl: string;
/** A body with staff accredited for both standards (the world's body has no staff). */
let body: Body;
let main: StandardFacts;
let other: StandardFacts;

const counts = () => service.stores.certificates.counts;
const countersCollection = () => counts().model.collection;

/** certificateCount of each standard, in order, as the gateway asks for it. */
async function certificateCounts(ids: readonly string[]): Promise<number[]> {
  const { _entities } = await client.ok(
    COUNTS,
    { r: ids.map((id) => ({ __typename: 'CompetencyStandard', id })) },
    publicCaller,
  );
  return _entities.map((e: { certificateCount: number }) => e.certificateCount);
}

/** What the counter should say: the standard's certificates not revoked, counted in the database. */
const unrevokedIn = (standardId: string) =>
  service.stores.certificates.model.countDocuments({
    standardId,
    revokedAt: null,
  });

/** A certificate issued live by the body's certifier for `standard`; its id. */
async function issueLive(standard: StandardFacts): Promise<string> {
  const person = await registeredPerson(client);
  await adminCandidacy(client, body, standard, person.id);
  const evaluationId = await evaluation(client, body, standard, person.id);
  const { issueCertificate } = await client.ok(
    ISSUE,
    { e: evaluationId },
    body.certifier,
  );
  return issueCertificate.id;
}

/** `n` legacy records of `standard` by the staffed body (about half already expired). */
const recordsOf = (standard: StandardFacts, n: number) =>
  world.records(n).map((r) => ({
    ...r,
    standardId: standard.id,
    certifyingBodyId: body.id,
  }));

async function importRecords(records: unknown[]) {
  const { importHistoricalCertificates } = await client.ok(
    IMPORT_MUTATION,
    { input: { source: 'Registro CANACINTRA 2019–2026', records } },
    importAdmin,
  );
  return importHistoricalCertificates;
}

const revoke = (id: string) =>
  client.request(
    REVOKE,
    { id, r: 'Evidencia de la evaluación alterada' },
    body.certifier,
  );

beforeAll(async () => {
  world = await startImportWorld('certification-counts');
  ({ service, client, operatorUrl } = world);
  main = world.standard;
  other = await world.network.publishedStandard({ gazetteDate: '2018-01-15' });
  await world.network.nominate(other, world.organizationIds);
  body = await certifyingBody(
    client,
    'CANACINTRA Monterrey',
    world.organizationIds[1]!,
  );
  await accredited(client, body, main);
  await accredited(client, body, other);
  // The start's reconciliation (an empty registry) has written its marker.
  expect(await counts().background()).toMatchObject({ busy: [] });
}, 180_000);

afterAll(async () => {
  await world?.network.stop();
  await service?.stop();
  await world?.infra.cleanup();
}, 120_000);

it('counts a live issue, imported records (expired ones too) and revocations exactly, once each', async () => {
  const [start] = await certificateCounts([main.id]);
  expect(start).toBe(await unrevokedIn(main.id));

  const live = await issueLive(main);
  expect(await certificateCounts([main.id])).toEqual([start! + 1]);

  const records = recordsOf(main, 6);
  expect(await importRecords(records)).toMatchObject({ imported: 6 });
  expect(await certificateCounts([main.id])).toEqual([start! + 7]);
  // Sending the batch again imports nothing and counts nothing.
  expect(await importRecords(records)).toMatchObject({
    imported: 0,
    alreadyImported: 6,
  });
  expect(await certificateCounts([main.id])).toEqual([start! + 7]);

  expect((await revoke(live)).errors).toBeUndefined();
  expect(await certificateCounts([main.id])).toEqual([start! + 6]);
  // A second revocation is refused and takes nothing off.
  expect(extensionsOf(await revoke(live))?.reason).toBe(
    'CERTIFICATE_ALREADY_REVOKED',
  );
  expect(await certificateCounts([main.id])).toEqual([start! + 6]);

  // Still what counting the registry says; the other standard untouched.
  expect(await certificateCounts([main.id, other.id])).toEqual([
    await unrevokedIn(main.id),
    0,
  ]);
  expect(await countersCollection().findOne({ _id: main.id as never })).toEqual(
    { _id: main.id, unrevoked: start! + 6 },
  );
}, 120_000);

it('repairs a counter broken in the database, a missing one and one of a standard without certificates to the true count', async () => {
  expect(
    await importRecords([...recordsOf(main, 3), ...recordsOf(other, 4)]),
  ).toMatchObject({ imported: 7 });
  const truth = [await unrevokedIn(main.id), await unrevokedIn(other.id)];
  expect(truth[1]).toBe(4);
  expect(await certificateCounts([main.id, other.id])).toEqual(truth);

  // What a crash between a certificate write and its counter write, or a
  // hand edit, leaves: reads answer the counters as they are.
  const ghost = randomUUID();
  await countersCollection().updateOne(
    { _id: main.id as never },
    { $set: { unrevoked: 999 } },
  );
  await countersCollection().deleteOne({ _id: other.id as never });
  await countersCollection().insertOne({ _id: ghost as never, unrevoked: 7 });
  expect(await certificateCounts([main.id, other.id, ghost])).toEqual([
    999, 0, 7,
  ]);

  const report = await counts().reconcile();

  expect(report.busy).toEqual([]);
  expect(report.stopped).toBe(false);
  expect(report.repaired).toHaveLength(3);
  expect(report.repaired).toEqual(
    expect.arrayContaining([
      { standardId: main.id, was: 999, now: truth[0] },
      { standardId: other.id, was: null, now: truth[1] },
      { standardId: ghost, was: 7, now: 0 },
    ]),
  );
  expect(await certificateCounts([main.id, other.id, ghost])).toEqual([
    ...truth,
    0,
  ]);
  // A second run finds nothing to repair.
  expect((await counts().reconcile()).repaired).toEqual([]);
}, 120_000);

it('recounts a standard only once its certificate write in flight has written its counter, so nothing is counted twice', async () => {
  const id = await issueLive(other);
  await drained(service.stores.certificates, id);
  // A revocation held between its certificate write and its counter write
  // (the window a crash would leave open), in this process.
  let certificateWritten!: () => void;
  const written = new Promise<void>(
    (resolve) => (certificateWritten = resolve),
  );
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const revocation = counts().changing([other.id], async () => {
    await service.stores.certificates.model.collection.updateOne(
      { _id: id as never },
      {
        $set: {
          revokedAt: new Date(),
          revocationReason: 'Evidencia de la evaluación alterada',
          validKey: `released:${id}`,
        },
      },
    );
    certificateWritten();
    await held;
    await counts().add(new Map([[other.id, -1]]));
  });
  await written;

  const reconciling = counts().reconcile();
  // Long enough to reach every standard: the recount of this one waits.
  await sleep(1_000);
  release();
  await revocation;
  const report = await reconciling;

  expect(report.busy).toEqual([]);
  expect(report.repaired).toEqual([]);
  expect(await certificateCounts([other.id])).toEqual([
    await unrevokedIn(other.id),
  ]);
}, 120_000);

it('stays exact when a reconciliation runs while certificates are imported, issued and revoked', async () => {
  const revocable = [await issueLive(main), await issueLive(other)];
  let writing = true;
  const reconciling = (async () => {
    let runs = 0;
    while (writing || runs === 0) {
      await counts().reconcile();
      runs += 1;
    }
    return runs;
  })();
  await Promise.all([
    importRecords([...recordsOf(main, 150), ...recordsOf(other, 150)]),
    issueLive(main).then(() => issueLive(other)),
    ...revocable.map(async (id) =>
      expect((await revoke(id)).errors).toBeUndefined(),
    ),
  ]);
  writing = false;
  expect(await reconciling).toBeGreaterThan(0);

  expect(await certificateCounts([main.id, other.id])).toEqual([
    await unrevokedIn(main.id),
    await unrevokedIn(other.id),
  ]);
  // Nothing was left for the reconciliation to repair.
  expect((await counts().reconcile()).repaired).toEqual([]);
}, 180_000);

it('reads certificateCount of 2 or 40 standards, over a small or a larger registry, with one find on certificate_counts', async () => {
  const two = [main.id, other.id];
  const forty = [...two, ...Array.from({ length: 38 }, () => randomUUID())];
  // The collection each find or aggregate names, whoever sent it. The relay
  // counts the outbox collections' pending events meanwhile (every 5 s, a
  // countDocuments: an aggregate on certificates too), so the old way is told
  // by its pipeline, which groups by standard; nothing else reads the counters.
  const targets: string[] = [];
  const connection = service.stores.certificates.model.db;
  const listener = (event: { commandName: string; command: any }) => {
    if (event.commandName === 'find')
      targets.push(`find ${event.command.find}`);
    if (
      event.commandName === 'aggregate' &&
      JSON.stringify(event.command.pipeline).includes('"$standardId"')
    )
      targets.push(`aggregate ${event.command.aggregate} by standard`);
  };

  async function measured(ids: readonly string[]) {
    const before = await requestCommandsAt(operatorUrl);
    targets.length = 0;
    connection.on('commandStarted', listener);
    const values = await certificateCounts(ids);
    connection.off('commandStarted', listener);
    const commands = commandsBetween(
      before,
      await requestCommandsAt(operatorUrl),
    );
    return {
      values,
      commands,
      onCounters: targets.filter((t) => t.endsWith(' certificate_counts')),
      // The old way: an aggregate over the certificates.
      aggregates: targets.filter((t) => t.startsWith('aggregate certificates')),
    };
  }

  const small = [await measured(two), await measured(forty)];
  await world.prefill(2_000);
  const larger = [await measured(two), await measured(forty)];
  process.stdout.write(
    `certificateCount commands: ${JSON.stringify(small.map((m) => m.commands))} → after 2,000 more certificates ${JSON.stringify(larger.map((m) => m.commands))}\n`,
  );

  for (const m of [...small, ...larger]) {
    expect(m.commands).toEqual({ find: 1 });
    expect(m.onCounters).toEqual(['find certificate_counts']);
    expect(m.aggregates).toEqual([]);
  }
  expect(larger[0]!.values).toEqual([
    small[0]!.values[0]! + 2_000,
    small[0]!.values[1],
  ]);
  expect(larger[1]!.values).toEqual([
    ...larger[0]!.values,
    ...Array.from({ length: 38 }, () => 0),
  ]);
  expect(larger[0]!.values).toEqual([
    await unrevokedIn(main.id),
    await unrevokedIn(other.id),
  ]);
}, 180_000);

it('fills the counters of a deployment upgraded to them at its first start, in the background, counting from the certificates meanwhile', async () => {
  const truth = [await unrevokedIn(main.id), await unrevokedIn(other.id)];
  expect(truth[0]).toBeGreaterThan(2_000);
  // The deployment before counters: no certificate_counts at all.
  await service.stop();
  const raw = new MongoClient(world.infra.mongoUri);
  try {
    await raw.db().collection('certificate_counts').drop();
  } finally {
    await raw.close();
  }

  const logs: { level: string; msg: string; [key: string]: unknown }[] = [];
  const logger = createLogger({
    name: 'certification-test',
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n'))
          if (line.trim() !== '') logs.push(JSON.parse(line));
        done();
      },
    }),
  });
  service = createCertificationService(
    loadCertificationConfig({
      SERVICE_NAME: 'certification',
      PORT: '0',
      MONGODB_URI: world.infra.mongoUri,
      KAFKA_BROKERS: world.infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: world.infra.topicPrefix,
      IDENTITY_SECRET: TEST_IDENTITY_SECRET,
      NODE_ENV: 'test',
    }),
    logger,
  );
  // Holds the reconciliation until the service is serving, to show that
  // start does not wait for it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const { reconcile } = counts();
  jest.spyOn(counts(), 'reconcile').mockImplementation(async () => {
    await held;
    return reconcile();
  });

  const url = await service.start(0);
  client = createTestClient({
    url,
    secret: TEST_IDENTITY_SECRET,
    service: 'certification',
  });
  operatorUrl = service.operatorUrl()!;
  expect((await fetch(`${operatorUrl}/ready`)).status).toBe(200);
  expect(logs.map((l) => l.msg)).toContain(
    'reconciling certificate counts in the background',
  );
  // No counter yet: counted from the certificates, as before counters.
  const before = await requestCommandsAt(operatorUrl);
  expect(await certificateCounts([main.id, other.id])).toEqual(truth);
  expect(
    commandsBetween(before, await requestCommandsAt(operatorUrl)),
  ).toMatchObject({ find: 1, aggregate: 1 });

  release();
  const report = await counts().background();
  expect(report?.busy).toEqual([]);
  expect(report?.repaired).toEqual(
    expect.arrayContaining([
      { standardId: main.id, was: null, now: truth[0] },
      { standardId: other.id, was: null, now: truth[1] },
    ]),
  );
  expect(logs.filter((l) => l.msg === 'certificate counter filled')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ standardId: main.id, now: truth[0] }),
      expect.objectContaining({ standardId: other.id, now: truth[1] }),
    ]),
  );
  expect(
    logs.find((l) => l.msg === 'certificate counts reconciled'),
  ).toMatchObject({ repaired: report!.repaired.length, busy: [] });
  const after = await requestCommandsAt(operatorUrl);
  expect(await certificateCounts([main.id, other.id])).toEqual(truth);
  expect(commandsBetween(after, await requestCommandsAt(operatorUrl))).toEqual({
    find: 1,
  });
}, 180_000);
