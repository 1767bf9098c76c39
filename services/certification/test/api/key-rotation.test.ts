import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { verifyCredential, type DocumentLoader } from '@digitalbazaar/vc';
import type { IsolatedInfra, TestClient } from '@conecta/test-kit';
import { BUNDLED_CONTEXTS } from '../../src/credentials/linked-data';
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
import { restartCertification, startCertification } from '../fixtures/service';

// Key rotation (issue 15, item 3) as an operator does it: the service runs
// with key 1; it is redeployed with key 2 as CREDENTIAL_SIGNING_KEY and key
// 1's public half in CREDENTIAL_VERIFICATION_KEYS, on the same database. A
// credential exported before and one exported after both verify — the JWTs
// with jose against the JWK Set fetched over HTTP (each through its kid),
// the Data Integrity proofs with Digital Bazaar's vc against the body's
// profile fetched over HTTP — and the new one names the new key.

const PUBLIC_BASE = 'http://localhost:4000/certification';
const EXPORT = `query ($id: ID!) { exportCredential(certificateId: $id) { jwt credential } }`;
const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid signatureValid } }`;

let infra: IsolatedInfra;
let first: CertificationService;
let second: CertificationService | undefined;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
let body: Body;
let keys: { privateJwk: JWK; publicJwk: JWK }[];

/** A fresh Ed25519 key pair as JWKs: generated here, never written in a file. */
async function keyPair() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
    crv: 'Ed25519',
    extractable: true,
  });
  return {
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
}

/** A certificate issued through `client` and its export. */
async function issuedAndExported(client: TestClient) {
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
    jwt: exportCredential.jwt as string,
    credential: JSON.parse(exportCredential.credential),
  };
}

let firstClient: TestClient;

/** GET of a public URL of a credential, at `origin` (the service serving it now). */
function getAt(origin: string, url: string) {
  expect(url.startsWith(PUBLIC_BASE)).toBe(true);
  return fetch(`${origin}${new URL(url).pathname}`);
}

beforeAll(async () => {
  keys = [await keyPair(), await keyPair()];
  ({
    infra,
    service: first,
    client: firstClient,
    network,
  } = await startCertification('certification-key-rotation', {
    CREDENTIAL_SIGNING_KEY: JSON.stringify(keys[0]!.privateJwk),
  }));
  const orgs = [
    await network.organization('CONALEP Jalisco'),
    await network.organization('CANACINTRA Guadalajara'),
    await network.organization('CROC Jalisco'),
  ];
  standard = await network.publishedStandard();
  await network.nominate(standard, orgs);
  body = await certifyingBody(firstClient, 'CONALEP Jalisco', orgs[0]!);
  await accredited(firstClient, body, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await second?.stop();
  await first?.stop();
  await infra?.cleanup();
});

it('verifies a credential signed before a rotation through its kid, and signs new ones with the new key, JWTs and Data Integrity proofs alike', async () => {
  const before = await issuedAndExported(firstClient);

  // The rotation: the same database and topics, redeployed with key 2 signing
  // and key 1 still verifying.
  await first.stop();
  const rotated = await restartCertification(infra, {
    CREDENTIAL_SIGNING_KEY: JSON.stringify(keys[1]!.privateJwk),
    CREDENTIAL_VERIFICATION_KEYS: JSON.stringify([keys[0]!.publicJwk]),
  });
  second = rotated.service;
  const { client } = rotated;
  const origin = new URL(rotated.url).origin;
  const after = await issuedAndExported(client);

  // The JWTs: each header names its own key, both in the JWK Set served now.
  const [oldKid, newKid] = [before.jwt, after.jwt].map(
    (jwt) => decodeProtectedHeader(jwt).kid!,
  );
  expect(newKid).not.toBe(oldKid);
  const res = await getAt(origin, newKid);
  expect(res.status).toBe(200);
  const jwks = (await res.json()) as { keys: JWK[] };
  expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
  expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  const keySet = createLocalJWKSet(jwks);
  for (const jwt of [before.jwt, after.jwt]) {
    const { protectedHeader } = await jwtVerify(jwt, keySet, {
      algorithms: ['EdDSA'],
      typ: 'JWT',
    });
    expect([oldKid, newKid]).toContain(protectedHeader.kid);
    expect((await client.ok(VERIFY_VC, { jwt }, {})).verifyCredential).toEqual({
      valid: true,
      signatureValid: true,
    });
  }
  // Each kid is the key the JWT was signed with, not just any key of the set.
  const onlyNew = createLocalJWKSet({ keys: [jwks.keys[0]!] });
  await expect(jwtVerify(before.jwt, onlyNew)).rejects.toThrow();

  // The Data Integrity proofs: the body's profile served now lists both
  // verification methods; an independent verifier checks both credentials.
  const documentLoader: DocumentLoader = async (documentUrl) => {
    const context = BUNDLED_CONTEXTS.get(documentUrl);
    if (context) return { document: context, documentUrl, contextUrl: null };
    const document: any = await (await getAt(origin, documentUrl)).json();
    // The controller document itself (its assertionMethod), or one of its keys.
    if (!new URL(documentUrl).hash)
      return { document, documentUrl, contextUrl: null };
    const node = document.verificationMethod.find(
      (m: { id: string }) => m.id === documentUrl,
    );
    if (!node) throw new Error(`${documentUrl} is not in its document`);
    return {
      document: { '@context': document['@context'], ...node },
      documentUrl,
      contextUrl: null,
    };
  };
  const methods = [before, after].map(
    (e) => e.credential.proof[0].verificationMethod as string,
  );
  expect(methods[0]).not.toBe(methods[1]);
  for (const { credential } of [before, after]) {
    const result = await verifyCredential({
      credential,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader,
      // Status is checked above (verifyCredential answers valid).
      checkStatus: async () => ({ verified: true }),
    });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  }
});
