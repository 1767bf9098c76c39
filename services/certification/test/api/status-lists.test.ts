import { gunzipSync } from 'node:zlib';
import { decodeJwt } from 'jose';
import type { AsIdentity, IsolatedInfra, TestClient } from '@conecta/test-kit';
import {
  isSetInStatusList,
  statusInList,
} from '../../src/credentials/status-list';
import { STATUS_LIST_SIZE } from '../../src/domain/certificate';
import {
  statusEntriesOf,
  statusEntryAt,
  type StatusListEntry,
} from '../../src/domain/status-slots';
import type { CertificationService } from '../../src/server';
import { syncIndexes } from '../../src/store';
import {
  ISSUE,
  accredited,
  adminCandidacy,
  admin,
  certifyingBody,
  drained,
  evaluation,
  extensionsOf,
  registeredPerson,
  type Body,
} from '../fixtures/flows';
import { personMother } from '../fixtures/mothers';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';

// Numbered status lists over HTTP against real FerretDB and Kafka: one counter
// hands out positions to live issues and imports alike, a range may cross
// into the next list, each credential names and is verified against its own
// list, and certificates stored before lists were numbered (no `statusList`)
// are list 1's. The counter document is written directly to put it where a
// test needs it (near the end of list 1, or back over taken entries).

const publicCaller: AsIdentity = {};
const SIZE = STATUS_LIST_SIZE;
const KEY = 'status-lists-test-key';

const IMPORT = `mutation ($input: ImportHistoricalCertificatesInput!) { importHistoricalCertificates(input: $input) { imported records { folio outcome certificate { id } } } }`;
const EXPORT = `query ($id: ID!) { exportCredential(certificateId: $id) { jwt } }`;
const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid revoked signatureValid problems } }`;
const STATUS_LIST = `query ($id: ID!) { credentialStatusList(id: $id) { id encodedList } }`;
const REVOKE = `mutation ($id: ID!, $r: String!) { revokeCertificate(id: $id, reason: $r) { status } }`;

const DAY_MS = 86_400_000;
const daysAgo = (days: number) =>
  new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
let body: Body;
let folioSeq = 0;

const certificates = () => service.stores.certificates;
const rawCertificates = () => certificates().model.collection;

/** Puts the one counter at `next` under the test's permutation key. */
async function counterAt(next: number): Promise<void> {
  await certificates()
    .model.db.collection('status_list_slots')
    .updateOne(
      { _id: 'status-list-1' } as never,
      { $set: { next, key: KEY } },
      { upsert: true },
    );
}

/** Imports `n` legacy records of new people, issued a month ago (VALID); their certificate ids, in order. */
async function importRecords(n: number): Promise<string[]> {
  const records = Array.from({ length: n }, () => {
    folioSeq += 1;
    const { email: _e, phone: _p, ...person } = personMother.candidate();
    return {
      folio: `CONOCER-${String(folioSeq).padStart(6, '0')}`,
      person,
      standardId: standard.id,
      certifyingBodyId: body.id,
      evaluatedOn: daysAgo(40),
      issuedOn: daysAgo(30),
    };
  });
  const { importHistoricalCertificates } = await client.ok(
    IMPORT,
    { input: { source: 'CONOCER 2008–2013', records } },
    admin,
  );
  expect(importHistoricalCertificates.imported).toBe(n);
  return importHistoricalCertificates.records.map(
    (r: { certificate: { id: string } }) => r.certificate.id,
  );
}

/** A certificate issued live by the body's certifier; its id. */
async function issueLive(): Promise<string> {
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

/** The entry as stored: `statusList` absent on certificates stored before lists were numbered. */
async function storedEntry(
  id: string,
): Promise<{ statusList?: number; statusListIndex: number }> {
  const doc = await rawCertificates().findOne({ _id: id as never });
  if (!doc) throw new Error(`no certificate ${id}`);
  return {
    ...(doc['statusList'] !== undefined && { statusList: doc['statusList'] }),
    statusListIndex: doc['statusListIndex'],
  };
}

/** The certificate's exported credential: its JWT and the status entry it names (its one message entry). */
async function exported(id: string) {
  const { exportCredential } = await client.ok(EXPORT, { id }, admin);
  const status = (decodeJwt(exportCredential.jwt) as any).credentialStatus;
  expect(status).toMatchObject({ statusPurpose: 'message', statusSize: 2 });
  return {
    jwt: exportCredential.jwt as string,
    url: status.statusListCredential as string,
    index: Number(status.statusListIndex),
  };
}

const verified = async (jwt: string) =>
  (await client.ok(VERIFY_VC, { jwt }, publicCaller)).verifyCredential;

/** The set bits of an encoded list (multibase "u" + base64url GZIP bitstring). */
function setBits(encodedList: string): number[] {
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  const bits: number[] = [];
  bytes.forEach((byte, at) => {
    for (let bit = 0; bit < 8; bit += 1)
      if (byte & (0x80 >> bit)) bits.push(at * 8 + bit);
  });
  return bits;
}

const statusList = async (id: string) =>
  (await client.ok(STATUS_LIST, { id }, publicCaller)).credentialStatusList;

// The service runs with the default CREDENTIAL_ISSUER_URL (env.ts).
const listUrl = (list: number) =>
  `http://localhost:4000/certification/status-lists/${list}`;
/** The message list of number `list`: what credentials name. */
const messageListUrl = (list: number) =>
  `http://localhost:4000/certification/status-lists/status-${list}`;
/** The 2-bit status (0 valid, 1 suspended, 2 revoked) of `index` in message list `list`. */
const messageStatus = async (list: number, index: number) =>
  statusInList((await statusList(`status-${list}`)).encodedList, index, 2);

beforeAll(async () => {
  ({ infra, service, client, network } = await startCertification(
    'certification-status-lists',
  ));
  const orgs = [
    await network.organization('Universidad de Guadalajara'),
    await network.organization('CANIETI Occidente'),
    await network.organization('CTM Jalisco'),
  ];
  // Gazetted long ago: imported certificates may be years old.
  standard = await network.publishedStandard({ gazetteDate: '2008-01-15' });
  await network.nominate(standard, orgs);
  body = await certifyingBody(client, 'Universidad de Guadalajara', orgs[0]!);
  await accredited(client, body, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

describe('numbered status lists', () => {
  it('replaces the unique index on statusListIndex alone of an existing deployment with one per (list, index), and keeps none on the index alone', async () => {
    const collection = rawCertificates();
    // A deployment from before lists were numbered.
    await collection.dropIndex('statusList_1_statusListIndex_1');
    await collection.createIndex({ statusListIndex: 1 }, { unique: true });

    await syncIndexes(service.stores);

    const indexes = await collection.indexes();
    const byName = new Map(indexes.map((i) => [i.name, i]));
    // The pair's index serves lookups by index alone: one index fewer to
    // write per certificate (README: Historical import, "Speed").
    expect(byName.has('statusListIndex_1')).toBe(false);
    expect(byName.get('statusList_1_statusListIndex_1')).toMatchObject({
      key: { statusList: 1, statusListIndex: 1 },
      unique: true,
    });
    // A list's set entries are read by equality on the list they set.
    expect(byName.get('revokedInList_1')?.key).toEqual({ revokedInList: 1 });
    expect(byName.get('suspendedInList_1')?.key).toEqual({
      suspendedInList: 1,
    });
    expect(byName.has('statusList_1_revokedAt_1')).toBe(false);
  });

  it('reads certificates stored before lists were numbered as list 1, and never gives their entries again, live or imported', async () => {
    const at = (p: number) => statusEntryAt(p, KEY);
    // Three certificates at positions 100–102; the first and last then lose
    // their list number, as if stored before lists were numbered (their
    // indexes drawn at random then), the middle one keeps it.
    await counterAt(100);
    const [legacyA, numbered, legacyB] = await importRecords(3);
    for (const id of [legacyA!, legacyB!]) {
      await drained(certificates(), id);
      await rawCertificates().updateOne(
        { _id: id as never },
        {
          $unset: { statusList: '' },
        },
      );
    }
    expect(await storedEntry(legacyA!)).toEqual({
      statusListIndex: at(100).statusListIndex,
    });
    expect(await storedEntry(numbered!)).toEqual(at(101));

    // Read as list 1: exported, verified and revoked in list 1.
    const a = await exported(legacyA!);
    expect(a).toMatchObject({
      url: messageListUrl(1),
      index: at(100).statusListIndex,
    });
    expect(await verified(a.jwt)).toMatchObject({ valid: true });
    await client.ok(
      REVOKE,
      { id: legacyA, r: 'Folio duplicado en el registro de origen' },
      admin,
    );
    expect(
      isSetInStatusList((await statusList('1')).encodedList, a.index),
    ).toBe(true);
    expect(await messageStatus(1, a.index)).toBe(2);
    expect(await verified(a.jwt)).toMatchObject({
      valid: false,
      revoked: true,
    });

    // Back over those positions: a live issue skips the unnumbered entry
    // (100), is refused the numbered one by the unique index (101), skips
    // 102 and lands on 103.
    await counterAt(100);
    const live = await issueLive();
    expect(await storedEntry(live)).toEqual(at(103));
    expect(await verified((await exported(live)).jwt)).toMatchObject({
      valid: true,
    });

    // Back again: an import of three skips 100 and 102 when reserving; 101
    // and 103 are refused by the unique index and drawn again (105, 106).
    await counterAt(100);
    const imported = await importRecords(3);
    const entries = await Promise.all(imported.map(storedEntry));
    expect(new Set(entries.map((e) => e.statusListIndex))).toEqual(
      new Set([104, 105, 106].map((p) => at(p).statusListIndex)),
    );
    expect(entries.every((e) => e.statusList === 1)).toBe(true);
    for (const id of imported)
      expect(await verified((await exported(id)).jwt)).toMatchObject({
        valid: true,
      });

    // No two certificates share an entry of list 1, numbered or not.
    const all = await rawCertificates()
      .find({}, { projection: { statusList: 1, statusListIndex: 1 } })
      .toArray();
    expect(all).toHaveLength(7);
    expect(
      new Set(all.map((d) => `${d['statusList'] ?? 1}:${d['statusListIndex']}`))
        .size,
    ).toBe(7);
  });

  it('imports across the end of list 1 into list 2; each credential verifies against its own list', async () => {
    await counterAt(SIZE - 3);
    const ids = await importRecords(6);
    const expected: StatusListEntry[] = statusEntriesOf({
      start: SIZE - 3,
      count: 6,
      key: KEY,
    });
    expect(expected.map((e) => e.statusList)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(await Promise.all(ids.map(storedEntry))).toEqual(expected);

    const credentials = await Promise.all(ids.map(exported));
    credentials.forEach((c, i) =>
      expect(c).toMatchObject({
        url: messageListUrl(expected[i]!.statusList),
        index: expected[i]!.statusListIndex,
      }),
    );
    for (const c of credentials)
      expect(await verified(c.jwt)).toMatchObject({
        valid: true,
        revoked: false,
      });

    // Revoking one in list 2 sets its bit in list 2, not in list 1.
    const revokedIndex = expected[4]!.statusListIndex;
    const [list1Before, list2Before] = await Promise.all([
      statusList('1'),
      statusList('2'),
    ]);
    expect(isSetInStatusList(list1Before.encodedList, revokedIndex)).toBe(
      false,
    );
    expect(isSetInStatusList(list2Before.encodedList, revokedIndex)).toBe(
      false,
    );
    await client.ok(
      REVOKE,
      { id: ids[4], r: 'Se comprobó suplantación en la evaluación' },
      admin,
    );
    const [list1, list2] = await Promise.all([
      statusList('1'),
      statusList('2'),
    ]);
    expect(list1.id).toBe(listUrl(1));
    expect(list2.id).toBe(listUrl(2));
    expect(isSetInStatusList(list2.encodedList, revokedIndex)).toBe(true);
    expect(isSetInStatusList(list1.encodedList, revokedIndex)).toBe(false);
    // Each list has its own revocations only: list 2 this one, list 1 the
    // unnumbered certificate revoked above.
    expect(setBits(list2.encodedList)).toEqual([revokedIndex]);
    expect(setBits(list1.encodedList)).toEqual(
      setBits(list1Before.encodedList),
    );
    expect(setBits(list1.encodedList)).toHaveLength(1);
    // Its message list says revoked (2) at the same index; list 1's does not.
    expect(await messageStatus(2, revokedIndex)).toBe(2);
    expect(await messageStatus(1, revokedIndex)).toBe(0);
    expect(await verified(credentials[4]!.jwt)).toMatchObject({
      valid: false,
      revoked: true,
      signatureValid: true,
    });
    // The others, in both lists, still verify.
    for (const i of [0, 2, 3, 5])
      expect(await verified(credentials[i]!.jwt)).toMatchObject({
        valid: true,
      });
  });

  it('issues live into the list the counter has reached, and the credential verifies there', async () => {
    const live = await issueLive();
    const entry = statusEntryAt(SIZE + 3, KEY);
    expect(entry.statusList).toBe(2);
    expect(await storedEntry(live)).toEqual(entry);
    const credential = await exported(live);
    expect(credential).toMatchObject({
      url: messageListUrl(2),
      index: entry.statusListIndex,
    });
    expect(await verified(credential.jwt)).toMatchObject({
      valid: true,
      revoked: false,
    });
  });

  it('answers NOT_FOUND for a list not in use yet and for an id that names no list', async () => {
    for (const id of [
      '3',
      '0',
      'abc',
      'status-3',
      'status-0',
      'suspension-3',
    ]) {
      const res = await client.request(STATUS_LIST, { id }, publicCaller);
      expect(extensionsOf(res)).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'STATUS_LIST_NOT_FOUND',
      });
    }
    // The default is list 1, served to anyone.
    const { credentialStatusList } = await client.ok(
      `{ credentialStatusList { id } }`,
      {},
      publicCaller,
    );
    expect(credentialStatusList.id).toBe(listUrl(1));
  });

  // Last: the certificates it adds would change the counts above.
  it('gives certificates revoked before status entries were written theirs, once, so their lists still set them', async () => {
    const [older, other] = await importRecords(2);
    for (const id of [older!, other!]) await drained(certificates(), id);
    const { jwt, index } = await exported(older!);
    const list = String((await storedEntry(older!)).statusList ?? 1);
    await client.ok(
      REVOKE,
      { id: older, r: 'Folio duplicado en el registro de origen' },
      admin,
    );
    expect(isSetInStatusList((await statusList(list)).encodedList, index)).toBe(
      true,
    );
    // As an earlier version wrote it: revoked, no entry field, no marker.
    await rawCertificates().updateOne(
      { _id: older as never },
      { $unset: { revokedInList: '' } },
    );
    const markers = certificates().model.db.collection('store_migrations');
    await markers.deleteMany({});
    expect(isSetInStatusList((await statusList(list)).encodedList, index)).toBe(
      false,
    );

    expect(await messageStatus(Number(list), index)).toBe(0);

    expect(await certificates().backfillStatusEntries()).toBe(1);
    expect(isSetInStatusList((await statusList(list)).encodedList, index)).toBe(
      true,
    );
    expect(await messageStatus(Number(list), index)).toBe(2);
    expect(await verified(jwt)).toMatchObject({ valid: false, revoked: true });
    // The marker makes later starts skip the scan.
    expect(await certificates().backfillStatusEntries()).toBe(0);
  });
});
