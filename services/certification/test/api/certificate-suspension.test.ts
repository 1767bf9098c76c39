import { gunzipSync } from 'node:zlib';
import {
  SignJWT,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
} from 'jose';
import {
  readEvents,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { suspensionEntryOf } from '../../src/domain/status-slots';
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
// public verification says SUSPENDED, the credential's one status entry (a
// 2-bit message entry) reads suspended in the list its own URL names (fetched
// over HTTP, signature checked, decoded here) and verifyCredential reports
// it; reinstated, it reads valid again. Credentials exported before the
// message entry (a revocation and a suspension entry, or one revocation
// entry) still verify, against the 1-bit lists they name, still served.

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
let signing: { privateKey: CryptoKey };

const issuedAndExported = () => certifiedAndExported(client, body, standard);

/** GET of a public URL of a credential, at the service's address. */
function get(url: string) {
  expect(url.startsWith(PUBLIC_BASE)).toBe(true);
  return fetch(`${origin}${new URL(url).pathname}`);
}

/**
 * The value of `entry` (a credentialStatus entry of `statusSize` bits) in
 * the list it names, fetched and checked over HTTP, decoded here: entry i
 * is bits [i × size, (i + 1) × size), left-most bit first, big-endian.
 */
async function valueOf(entry: any, purpose: string): Promise<number> {
  expect(entry.statusPurpose).toBe(purpose);
  const size = Number(entry.statusSize ?? 1);
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
  let value = 0;
  for (let bit = index * size; bit < (index + 1) * size; bit += 1)
    value = value * 2 + ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
  return value;
}

/** What the credential's message entry reads now: its statusMessage for the 2-bit value in its list. */
async function statusOf(jwt: string): Promise<string | undefined> {
  const entry = (decodeJwt(jwt) as any).credentialStatus;
  const value = await valueOf(entry, 'message');
  return entry.statusMessage.find(
    (m: { status: string }) => Number.parseInt(m.status, 16) === value,
  )?.message;
}

const verifiedByCode = async (code: string) =>
  (await client.ok(VERIFY, { c: code }, publicCaller)).verifyCertificate;
const verifiedCredential = async (jwt: string) =>
  (await client.ok(VERIFY_VC, { jwt }, publicCaller)).verifyCredential;

beforeAll(async () => {
  let url: string;
  // A known signing key: the test signs credentials in the forms exported
  // before the message entry, as the service signed them then.
  const { privateKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  signing = { privateKey };
  ({ infra, service, client, network, url } = await startCertification(
    'certification-suspension',
    { CREDENTIAL_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)) },
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
  it('reads suspended in the credential’s message entry while suspended and valid again on reinstatement; verification says SUSPENDED, then VALID', async () => {
    const { id, code, jwt } = await issuedAndExported();
    expect(await statusOf(jwt)).toBe('valid');

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
    expect(await statusOf(jwt)).toBe('suspended');
    expect(await verifiedCredential(jwt)).toMatchObject({
      valid: false,
      revoked: false,
      suspended: true,
      problems: ['The credential is suspended'],
    });
    // A credential exported while suspended names the same entry.
    const { exportCredential } = await client.ok(EXPORT, { id }, admin);
    expect((decodeJwt(exportCredential.jwt) as any).credentialStatus).toEqual(
      (decodeJwt(jwt) as any).credentialStatus,
    );
    expect(await statusOf(exportCredential.jwt)).toBe('suspended');

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
    expect(await statusOf(jwt)).toBe('valid');
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
    // Revoked wins: 0x2, not the suspension it had.
    expect(await statusOf(jwt)).toBe('revoked');
    expect(await verifiedCredential(jwt)).toMatchObject({
      valid: false,
      revoked: true,
      suspended: false,
    });
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

  it('still verifies credentials exported before the message entry against the 1-bit lists they name: suspended, reinstated, revoked', async () => {
    const { id, jwt } = await issuedAndExported();
    const message = (decodeJwt(jwt) as any).credentialStatus;
    const list = Number(
      String(message.statusListCredential).split('/status-').pop(),
    );
    const index = Number(message.statusListIndex);
    // The entries the service wrote before: the revocation list of the
    // same number at the same index, and the suspension entry derived from
    // it with the deployment's key.
    const revocationEntry = {
      id: `${PUBLIC_BASE}/status-lists/${list}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: `${PUBLIC_BASE}/status-lists/${list}`,
    };
    const suspension = suspensionEntryOf(
      { statusList: list, statusListIndex: index },
      await service.stores.certificates.statusKey(),
    );
    const suspensionEntry = {
      id: `${PUBLIC_BASE}/status-lists/suspension-${list}#${suspension.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'suspension',
      statusListIndex: String(suspension.statusListIndex),
      statusListCredential: `${PUBLIC_BASE}/status-lists/suspension-${list}`,
    };
    /** The same credential with the credentialStatus of an earlier export, signed by the same key and kid. */
    const earlier = (credentialStatus: unknown) =>
      new SignJWT({ ...decodeJwt(jwt), credentialStatus })
        .setProtectedHeader({
          alg: 'EdDSA',
          typ: 'JWT',
          kid: String(decodeProtectedHeader(jwt).kid),
        })
        .sign(signing.privateKey);
    const both = await earlier([revocationEntry, suspensionEntry]);
    const revocationOnly = await earlier(revocationEntry);
    for (const old of [both, revocationOnly])
      expect(await verifiedCredential(old)).toMatchObject({
        valid: true,
        revoked: false,
        suspended: false,
      });

    await client.ok(SUSPEND, { id, r: 'Queja en investigación' }, admin);
    expect(await valueOf(suspensionEntry, 'suspension')).toBe(1);
    expect(await valueOf(revocationEntry, 'revocation')).toBe(0);
    expect(await verifiedCredential(both)).toMatchObject({
      valid: false,
      suspended: true,
      problems: ['The credential is suspended'],
    });
    // Exported before suspension existed: no suspension entry to read.
    expect(await verifiedCredential(revocationOnly)).toMatchObject({
      valid: true,
      suspended: false,
    });

    await client.ok(
      REINSTATE,
      { id, r: 'Investigación concluida sin hallazgos' },
      admin,
    );
    expect(await valueOf(suspensionEntry, 'suspension')).toBe(0);
    expect(await verifiedCredential(both)).toMatchObject({ valid: true });

    await client.ok(REVOKE, { id, r: 'Se comprobó suplantación' }, admin);
    expect(await valueOf(revocationEntry, 'revocation')).toBe(1);
    for (const old of [both, revocationOnly])
      expect(await verifiedCredential(old)).toMatchObject({
        valid: false,
        revoked: true,
        suspended: false,
        problems: ['The credential has been revoked'],
      });
  });

  it('serves each message and suspension list in use over HTTP and GraphQL, and none beyond', async () => {
    for (const [id, statusPurpose] of [
      ['status-1', 'message'],
      ['suspension-1', 'suspension'],
    ]) {
      const { credentialStatusList } = await client.ok(
        `query ($id: ID!) { credentialStatusList(id: $id) { id statusPurpose } }`,
        { id },
        publicCaller,
      );
      expect(credentialStatusList).toEqual({
        id: `${PUBLIC_BASE}/status-lists/${id}`,
        statusPurpose,
      });
      const res = await get(`${PUBLIC_BASE}/status-lists/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    }
    for (const id of ['status-999', 'suspension-999'])
      expect((await get(`${PUBLIC_BASE}/status-lists/${id}`)).status).toBe(404);
  });
});
