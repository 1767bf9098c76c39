import { gunzipSync } from 'node:zlib';
import {
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import {
  readEvents,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import {
  accredited,
  admin,
  certifyingBody,
  extensionsOf,
  type Body,
  certifiedAndExported,
} from '../fixtures/flows';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';

// Suspension with reinstatement (issue 15, item 3), over the real service on
// FerretDB and Kafka: a body's certifier suspends a certificate, the
// public verification says SUSPENDED, the credential's suspension bit is set
// in the list its own URL names (fetched over HTTP, signature checked) and
// verifyCredential reports it; reinstated, the bit is clear again.

const PUBLIC_BASE = 'http://localhost:4000/certification';
const EXPORT = `query ($id: ID!) { exportCredential(certificateId: $id) { jwt } }`;
const SUSPEND = `mutation ($id: ID!, $r: String!) { suspendCertificate(id: $id, reason: $r) { status suspendedAt suspensionReason } }`;
const REINSTATE = `mutation ($id: ID!, $r: String!) { reinstateCertificate(id: $id, reason: $r) { status suspendedAt suspensionReason } }`;
const REVOKE = `mutation ($id: ID!, $r: String!) { revokeCertificate(id: $id, reason: $r) { status suspendedAt } }`;
const VERIFY = `query ($c: String!) { verifyCertificate(code: $c) { status suspendedAt revokedAt } }`;
const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid revoked suspended problems } }`;
const publicCaller: AsIdentity = {};

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
let body: Body;
let otherBody: Body;
let origin: string;

const issuedAndExported = () => certifiedAndExported(client, body, standard);

/** GET of a public URL of a credential, at the service's address. */
function get(url: string) {
  expect(url.startsWith(PUBLIC_BASE)).toBe(true);
  return fetch(`${origin}${new URL(url).pathname}`);
}

/** Whether the credential's entry of `purpose` has its bit set in the list it names, fetched and checked over HTTP. */
async function bitOf(jwt: string, purpose: string): Promise<boolean> {
  const entry = (decodeJwt(jwt) as any).credentialStatus.find(
    (e: { statusPurpose: string }) => e.statusPurpose === purpose,
  );
  const res = await get(entry.statusListCredential);
  expect(res.status).toBe(200);
  const listJwt = await res.text();
  const { kid } = decodeProtectedHeader(listJwt);
  const { keys } = (await (await get(String(kid))).json()) as { keys: JWK[] };
  const { payload } = await jwtVerify(
    listJwt,
    await importJWK(
      keys.find((k) => k.kid === kid)!,
      'EdDSA',
    ),
    { typ: 'vc+jwt' },
  );
  const subject = (payload as any).credentialSubject;
  expect(subject.statusPurpose).toBe(purpose);
  const bytes = gunzipSync(
    Buffer.from(String(subject.encodedList).slice(1), 'base64url'),
  );
  const index = Number(entry.statusListIndex);
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

const verifiedByCode = async (code: string) =>
  (await client.ok(VERIFY, { c: code }, publicCaller)).verifyCertificate;
const verifiedCredential = async (jwt: string) =>
  (await client.ok(VERIFY_VC, { jwt }, publicCaller)).verifyCredential;

beforeAll(async () => {
  let url: string;
  ({ infra, service, client, network, url } = await startCertification(
    'certification-suspension',
  ));
  origin = new URL(url).origin;
  const orgs = [
    await network.organization('CONALEP Jalisco'),
    await network.organization('CANACINTRA Guadalajara'),
    await network.organization('CROC Jalisco'),
  ];
  standard = await network.publishedStandard();
  await network.nominate(standard, orgs);
  body = await certifyingBody(client, 'CONALEP Jalisco', orgs[0]!);
  otherBody = await certifyingBody(client, 'CANACINTRA Guadalajara', orgs[1]!);
  await accredited(client, body, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

describe('suspending and reinstating a certificate', () => {
  it('sets the credential’s suspension bit while suspended and clears it on reinstatement; verification says SUSPENDED, then VALID', async () => {
    const { id, code, jwt } = await issuedAndExported();
    expect(await bitOf(jwt, 'suspension')).toBe(false);

    const { suspendCertificate } = await client.ok(
      SUSPEND,
      { id, r: 'Queja del centro de trabajo en investigación' },
      body.certifier,
    );
    expect(suspendCertificate).toMatchObject({
      status: 'SUSPENDED',
      suspensionReason: 'Queja del centro de trabajo en investigación',
    });
    expect(await verifiedByCode(code)).toMatchObject({
      status: 'SUSPENDED',
      suspendedAt: suspendCertificate.suspendedAt,
      revokedAt: null,
    });
    expect(await bitOf(jwt, 'suspension')).toBe(true);
    expect(await bitOf(jwt, 'revocation')).toBe(false);
    expect(await verifiedCredential(jwt)).toMatchObject({
      valid: false,
      revoked: false,
      suspended: true,
      problems: ['The credential is suspended'],
    });
    // A credential exported while suspended names the same entries.
    const { exportCredential } = await client.ok(EXPORT, { id }, admin);
    expect(await bitOf(exportCredential.jwt, 'suspension')).toBe(true);

    const { reinstateCertificate } = await client.ok(
      REINSTATE,
      { id, r: 'Investigación concluida sin hallazgos' },
      admin,
    );
    expect(reinstateCertificate).toMatchObject({
      status: 'VALID',
      suspendedAt: null,
      suspensionReason: null,
    });
    expect(await verifiedByCode(code)).toMatchObject({
      status: 'VALID',
      suspendedAt: null,
    });
    expect(await bitOf(jwt, 'suspension')).toBe(false);
    expect(await verifiedCredential(jwt)).toMatchObject({
      valid: true,
      suspended: false,
      problems: [],
    });

    // Both facts reached Kafka, keyed by the certificate, without personal data.
    const events = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.certification.events`,
      until: (m) =>
        m.key === id &&
        (m.event.type === 'certification.CertificateSuspended' ||
          m.event.type === 'certification.CertificateReinstated'),
      count: 2,
    });
    const mine = events.map((m) => m.event);
    expect(
      mine.find((e) => e.type === 'certification.CertificateSuspended')?.data,
    ).toMatchObject({
      id,
      reason: 'Queja del centro de trabajo en investigación',
      suspendedAt: suspendCertificate.suspendedAt,
    });
    expect(
      mine.find((e) => e.type === 'certification.CertificateReinstated')?.data,
    ).toMatchObject({
      id,
      reason: 'Investigación concluida sin hallazgos',
      suspendedAt: suspendCertificate.suspendedAt,
    });
  });

  it('revokes a suspended certificate for good: no reinstatement, no new suspension', async () => {
    const { id, code, jwt } = await issuedAndExported();
    await client.ok(SUSPEND, { id, r: 'Queja en investigación' }, admin);
    const { revokeCertificate } = await client.ok(
      REVOKE,
      { id, r: 'Se comprobó suplantación' },
      body.certifier,
    );
    expect(revokeCertificate).toMatchObject({
      status: 'REVOKED',
      suspendedAt: null,
    });
    expect((await verifiedByCode(code)).status).toBe('REVOKED');
    expect(await bitOf(jwt, 'revocation')).toBe(true);
    expect(await bitOf(jwt, 'suspension')).toBe(false);
    for (const mutation of [REINSTATE, SUSPEND]) {
      const res = await client.request(
        mutation,
        { id, r: 'Se intenta de nuevo' },
        admin,
      );
      expect(extensionsOf(res)).toMatchObject({
        code: 'CONFLICT',
        reason: 'CERTIFICATE_ALREADY_REVOKED',
      });
    }
  });

  it('refuses a second suspension, a reinstatement of a VALID certificate, a short reason, and callers outside the body', async () => {
    const { id, code } = await issuedAndExported();
    const notSuspended = await client.request(
      REINSTATE,
      { id, r: 'Nada que levantar' },
      admin,
    );
    expect(extensionsOf(notSuspended)).toMatchObject({
      code: 'CONFLICT',
      reason: 'CERTIFICATE_NOT_SUSPENDED',
    });
    const short = await client.request(SUSPEND, { id, r: 'no' }, admin);
    expect(extensionsOf(short)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    for (const caller of [publicCaller, otherBody.certifier, body.evaluator]) {
      const res = await client.request(
        SUSPEND,
        { id, r: 'Queja en investigación' },
        caller,
      );
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(
        extensionsOf(res)?.['code'],
      );
    }
    // Nothing was written by the refusals.
    expect((await verifiedByCode(code)).status).toBe('VALID');
    await client.ok(SUSPEND, { id, r: 'Queja en investigación' }, admin);
    const twice = await client.request(
      SUSPEND,
      { id, r: 'Otra queja más' },
      body.certifier,
    );
    expect(extensionsOf(twice)).toMatchObject({
      code: 'CONFLICT',
      reason: 'CERTIFICATE_ALREADY_SUSPENDED',
    });
  });

  it('serves each suspension list in use over HTTP and GraphQL, and none beyond', async () => {
    const { credentialStatusList } = await client.ok(
      `{ credentialStatusList(id: "suspension-1") { id statusPurpose } }`,
      {},
      publicCaller,
    );
    expect(credentialStatusList).toEqual({
      id: `${PUBLIC_BASE}/status-lists/suspension-1`,
      statusPurpose: 'suspension',
    });
    const res = await get(`${PUBLIC_BASE}/status-lists/suspension-1`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(
      (await get(`${PUBLIC_BASE}/status-lists/suspension-999`)).status,
    ).toBe(404);
  });
});
