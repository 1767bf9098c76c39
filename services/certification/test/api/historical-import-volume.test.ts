import {
  retrying,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { MAX_IMPORT_BATCH } from '../../src/domain/historical-import';
import type { CertificationService } from '../../src/server';
import { validCurp } from '../fixtures/mothers';
import { startCertification } from '../fixtures/service';
import { withApprovedProcedure } from '../fixtures/flows';

// A migration's volume on FerretDB: the import writes in bulk (one insertMany
// per kind and batch), never one round trip per record. Its own file, so the
// relay's backlog of thousands of events does not slow other files' Kafka checks.

const admin: AsIdentity = { subject: 'admin-migracion', roles: ['admin'] };
const RECORDS = 2_000;
const DAY_MS = 86_400_000;
const SIX_YEARS_DAYS = 6 * 365;

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standardId: string;
let bodyId: string;

beforeAll(async () => {
  ({ infra, service, client, network } = await startCertification(
    'certification-import-volume',
  ));
  const orgs = [
    await network.organization('Universidad Autónoma de Nuevo León', 'MX-NLE'),
    await network.organization('CANACINTRA Monterrey', 'MX-NLE'),
    await network.organization('CTM Nuevo León', 'MX-NLE'),
  ];
  const standard = await network.publishedStandard({
    gazetteDate: '2018-01-15',
  });
  standardId = standard.id;
  await network.nominate(standard, orgs);
  bodyId = (
    await retrying(() =>
      client.ok(
        `mutation ($input: RegisterCertifyingBodyInput!) { registerCertifyingBody(input: $input) { id } }`,
        {
          input: {
            organizationId: orgs[0],
            kind: 'UNIVERSITY',
            facilities: [{ state: 'MX-NLE', city: 'Monterrey' }],
          },
        },
        admin,
      ),
    )
  ).registerCertifyingBody.id;
  const { requestAccreditation } = await retrying(() =>
    client.ok(
      `mutation ($b: ID!, $s: ID!) { requestAccreditation(certifyingBodyId: $b, standardId: $s) { id } }`,
      { b: bodyId, s: standardId },
      admin,
    ),
  );
  await withApprovedProcedure(client, bodyId);
  await retrying(() =>
    client.ok(
      `mutation ($id: ID!) { activateAccreditation(id: $id) { status } }`,
      { id: requestAccreditation.id },
      admin,
    ),
  );
}, 120_000);

afterAll(async () => {
  await network?.stop();
  // The database goes first: stopping would otherwise flush the relay's backlog
  // of ~4,000 documents (a certificate and a new person per record), minutes on
  // FerretDB, whose events this file does not check (historical-import.test.ts does).
  await infra?.cleanup();
  await service?.stop();
}, 120_000);

it(`imports ${RECORDS.toLocaleString('en')} records spread over six years in batches of ${MAX_IMPORT_BATCH}, in seconds`, async () => {
  const curps = new Set<string>();
  while (curps.size < RECORDS) curps.add(validCurp());
  const records = [...curps].map((curp, i) => {
    // Issue dates from six years ago to last month, evaluations 1–60 days before.
    const issuedDaysAgo = 30 + ((i * 7_919) % (SIX_YEARS_DAYS - 30));
    const day = (daysAgo: number) =>
      new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
    return {
      folio: `UANL-${String(i + 1).padStart(6, '0')}`,
      person: {
        curp,
        givenNames: 'José Luis',
        firstSurname: 'Garza',
        secondSurname: 'Treviño',
      },
      standardId,
      certifyingBodyId: bodyId,
      evaluatedOn: day(issuedDaysAgo + 1 + (i % 60)),
      issuedOn: day(issuedDaysAgo),
    };
  });

  const started = Date.now();
  let imported = 0;
  for (let at = 0; at < records.length; at += MAX_IMPORT_BATCH) {
    const res = await client.ok(
      `mutation ($input: ImportHistoricalCertificatesInput!) { importHistoricalCertificates(input: $input) { imported peopleRegistered } }`,
      {
        input: {
          source: 'Registro UANL 2019–2026',
          records: records.slice(at, at + MAX_IMPORT_BATCH),
        },
      },
      admin,
    );
    imported += res.importHistoricalCertificates.imported;
  }
  const elapsedMs = Date.now() - started;
  process.stdout.write(
    `historical import: ${imported} records in ${elapsedMs} ms\n`,
  );

  expect(imported).toBe(RECORDS);
  // Generous for a shared 2-core CI machine; it takes a few seconds.
  expect(elapsedMs).toBeLessThan(60_000);
  const { _entities } = await client.ok(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CompetencyStandard { certificateCount } } }`,
    { r: [{ __typename: 'CompetencyStandard', id: standardId }] },
    admin,
  );
  expect(_entities[0].certificateCount).toBe(RECORDS);
  // Three-year validity over six years: about half of them have expired.
  const expired = await service.stores.certificates.model.countDocuments({
    expiresAt: { $lte: new Date() },
  });
  expect(expired).toBeGreaterThan(RECORDS * 0.4);
  expect(expired).toBeLessThan(RECORDS * 0.6);
  expect(
    await service.stores.certificates.model.distinct('statusListIndex'),
  ).toHaveLength(RECORDS);
}, 180_000);
