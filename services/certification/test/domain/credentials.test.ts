import { createLogger, loadConfig } from '@conecta/service-kit';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { createCredentialIssuer } from '../../src/credentials/issuer';
import {
  encodeStatusList,
  isSetInStatusList,
} from '../../src/credentials/status-list';
import type { StatusListRef } from '../../src/domain/status-slots';
import { certificationConfig, loadCertificationConfig } from '../../src/env';

const config = loadConfig(certificationConfig, {
  SERVICE_NAME: 'certification',
  PORT: '0',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/unused',
  KAFKA_BROKERS: '127.0.0.1:9092',
  IDENTITY_SECRET: 'test-identity-secret-with-at-least-32-characters',
  NODE_ENV: 'test',
});
const logger = createLogger({ name: 'credentials-test', level: 'silent' });
const facts = {
  certificateId: '0190f0a0-0000-7000-8000-000000000001',
  issuedAt: new Date('2026-03-10T00:00:00.000Z'),
  expiresAt: new Date('2029-03-10T00:00:00.000Z'),
  standard: {
    id: 's-1',
    code: 'EC0217',
    title: 'Impartición de cursos',
    version: 1,
  },
  body: { id: 'b-1', name: 'Universidad de Guadalajara' },
  holder: { id: 'p-1', curp: 'HEGG560427MVZRRL04', initials: 'G.H.G.' },
  statusList: 2,
  statusListIndex: 1_234,
  suspension: { statusList: 2, statusListIndex: 77_001 },
};
/**
 * The encoded lists a verifier would fetch, by list id ("2" revocation,
 * "suspension-2"), none set unless given.
 */
const lists =
  (set: Record<string, number[]> = {}) =>
  async ({ purpose, list }: StatusListRef) =>
    encodeStatusList(
      set[purpose === 'revocation' ? String(list) : `${purpose}-${list}`] ?? [],
    );

describe('the Bitstring Status List', () => {
  it('sets exactly the revoked bits, index 0 being the left-most bit', () => {
    const list = encodeStatusList([0, 9, 131_071]);
    expect(list.startsWith('u')).toBe(true);
    for (const i of [0, 9, 131_071])
      expect(isSetInStatusList(list, i)).toBe(true);
    for (const i of [1, 8, 10, 131_070])
      expect(isSetInStatusList(list, i)).toBe(false);
  });
});

describe('Verifiable Credentials', () => {
  const issuer = createCredentialIssuer(config, logger);
  beforeAll(() => issuer.start());

  it('exports an Open Badges 3.0 credential signed with EdDSA that verifies offline with the public key', async () => {
    const { jwt, credential } = await issuer.issue(facts);
    expect(credential.type).toEqual([
      'VerifiableCredential',
      'OpenBadgeCredential',
    ]);
    expect(JSON.stringify(credential)).not.toContain('HEGG560427MVZRRL04');
    // Open Badges 3.0 §8.2: a JWT whose registered claims repeat the
    // credential's issuer, id, subject and validity.
    expect(decodeProtectedHeader(jwt)).toMatchObject({
      alg: 'EdDSA',
      typ: 'JWT',
      kid: expect.stringContaining('/keys#'),
    });
    const key = await importJWK(issuer.publicJwk(), 'EdDSA');
    const { payload } = await jwtVerify(jwt, key, { typ: 'JWT' });
    expect(payload).toMatchObject({
      iss: credential.issuer.id,
      jti: `urn:uuid:${facts.certificateId}`,
      sub: credential.credentialSubject.id,
      nbf: Math.floor(facts.issuedAt.getTime() / 1000),
      exp: Math.floor(facts.expiresAt.getTime() / 1000),
    });
    expect(credential.credentialSubject.id).toMatch(/^urn:uuid:/);
    // A fresh subject id per export: two exports share none.
    const again = await issuer.issue(facts);
    expect(again.credential.credentialSubject.id).not.toBe(
      credential.credentialSubject.id,
    );
    expect(payload).toMatchObject({
      validUntil: '2029-03-10T00:00:00.000Z',
      // One entry per purpose, each in its own list at its own index.
      credentialStatus: [
        {
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '1234',
          statusListCredential: `${config.CREDENTIAL_ISSUER_URL}/status-lists/2`,
        },
        {
          type: 'BitstringStatusListEntry',
          statusPurpose: 'suspension',
          statusListIndex: '77001',
          statusListCredential: `${config.CREDENTIAL_ISSUER_URL}/status-lists/suspension-2`,
        },
      ],
    });
  });

  it('verifies signature, expiry and revocation in the credential’s own list', async () => {
    const { jwt } = await issuer.issue(facts);
    const clean = lists();
    expect((await issuer.verify(jwt, clean, facts.issuedAt)).valid).toBe(true);
    const revoked = await issuer.verify(
      jwt,
      lists({ 2: [1_234] }),
      facts.issuedAt,
    );
    expect(revoked).toMatchObject({
      valid: false,
      signatureValid: true,
      revoked: true,
    });
    // The same bit in another list is another certificate.
    expect(
      await issuer.verify(jwt, lists({ 1: [1_234] }), facts.issuedAt),
    ).toMatchObject({ valid: true, revoked: false, suspended: false });
    // Suspended: its bit in its own suspension list, not its revocation index there.
    expect(
      await issuer.verify(
        jwt,
        lists({ 'suspension-2': [77_001] }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: false, revoked: false, suspended: true });
    expect(
      await issuer.verify(
        jwt,
        lists({ 'suspension-2': [1_234] }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: true, suspended: false });
    const expired = await issuer.verify(jwt, clean, facts.expiresAt);
    expect(expired).toMatchObject({ valid: false, expired: true });
    const [h, p, s] = jwt.split('.');
    const tampered = `${h}.${p!.slice(0, -2)}AA.${s}`;
    expect(await issuer.verify(tampered, clean, facts.issuedAt)).toMatchObject({
      valid: false,
      signatureValid: false,
    });
  });

  it('signs each status list under its own URL', async () => {
    const list = await issuer.statusList(
      { purpose: 'revocation', list: 3 },
      [5],
      facts.issuedAt,
    );
    expect(list.id).toBe(`${config.CREDENTIAL_ISSUER_URL}/status-lists/3`);
    const suspension = await issuer.statusList(
      { purpose: 'suspension', list: 3 },
      [5],
      facts.issuedAt,
    );
    expect(suspension.id).toBe(
      `${config.CREDENTIAL_ISSUER_URL}/status-lists/suspension-3`,
    );
    const key = await importJWK(issuer.publicJwk(), 'EdDSA');
    const { payload } = await jwtVerify(list.jwt, key);
    expect(payload).toMatchObject({
      id: list.id,
      credentialSubject: {
        id: `${list.id}#list`,
        statusPurpose: 'revocation',
        encodedList: list.encodedList,
      },
    });
    expect((await jwtVerify(suspension.jwt, key)).payload).toMatchObject({
      credentialSubject: { statusPurpose: 'suspension' },
    });
    expect(isSetInStatusList(list.encodedList, 5)).toBe(true);
  });

  it('refuses to verify a credential signed by another key', async () => {
    const other = createCredentialIssuer(config, logger);
    await other.start();
    const { jwt } = await other.issue(facts);
    expect(
      (await issuer.verify(jwt, lists(), facts.issuedAt)).signatureValid,
    ).toBe(false);
  });
});

describe('key rotation', () => {
  /** A fresh Ed25519 key pair as JWKs (private, public): no key is ever written in a file. */
  async function keyPair(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
      crv: 'Ed25519',
      extractable: true,
    });
    return {
      privateJwk: await exportJWK(privateKey),
      publicJwk: await exportJWK(publicKey),
    };
  }
  const issuerWith = async (env: Record<string, string>) => {
    const issuer = createCredentialIssuer(
      loadCertificationConfig({
        SERVICE_NAME: 'certification',
        PORT: '0',
        MONGODB_URI: 'mongodb://127.0.0.1:27017/unused',
        KAFKA_BROKERS: '127.0.0.1:9092',
        IDENTITY_SECRET: 'test-identity-secret-with-at-least-32-characters',
        NODE_ENV: 'test',
        ...env,
      }),
      logger,
    );
    await issuer.start();
    return issuer;
  };

  it('signs with the new key, names its kid, and still verifies what the old key signed while it is listed', async () => {
    const [first, second] = [await keyPair(), await keyPair()];
    const before = await issuerWith({
      CREDENTIAL_SIGNING_KEY: JSON.stringify(first.privateJwk),
    });
    const old = await before.issue(facts);
    const after = await issuerWith({
      CREDENTIAL_SIGNING_KEY: JSON.stringify(second.privateJwk),
      CREDENTIAL_VERIFICATION_KEYS: JSON.stringify([first.publicJwk]),
    });
    const fresh = await after.issue(facts);
    const oldKid = decodeProtectedHeader(old.jwt).kid;
    const newKid = decodeProtectedHeader(fresh.jwt).kid;
    expect(newKid).not.toBe(oldKid);
    // The JWK Set: the current key first, then the one not retired.
    const jwks = after.publicJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    const keySet = createLocalJWKSet(jwks);
    for (const jwt of [old.jwt, fresh.jwt])
      await expect(jwtVerify(jwt, keySet)).resolves.toBeDefined();
    for (const jwt of [old.jwt, fresh.jwt])
      expect((await after.verify(jwt, lists(), facts.issuedAt)).valid).toBe(
        true,
      );
    // Every profile lists both keys as assertion methods, the new one first.
    const profile = after.bodyProfile({
      id: facts.body.id,
      name: facts.body.name,
      organizationId: 'o-1',
    });
    expect(profile.assertionMethod).toHaveLength(2);
    expect(profile.assertionMethod[0]).toBe(
      fresh.credential.proof[0].verificationMethod,
    );
    expect(profile.assertionMethod[1]).toBe(
      old.credential.proof[0].verificationMethod,
    );

    // Retired (no longer listed): what it signed no longer verifies.
    const retired = await issuerWith({
      CREDENTIAL_SIGNING_KEY: JSON.stringify(second.privateJwk),
    });
    expect(
      (await retired.verify(old.jwt, lists(), facts.issuedAt)).signatureValid,
    ).toBe(false);
    expect(
      (await retired.verify(fresh.jwt, lists(), facts.issuedAt)).valid,
    ).toBe(true);
  });

  it('refuses private keys and malformed keys among the verification keys', async () => {
    const { privateJwk } = await keyPair();
    for (const value of [
      JSON.stringify([privateJwk]),
      '[{"kty":"RSA","n":"x","e":"AQAB"}]',
      'not json',
    ])
      expect(() =>
        loadCertificationConfig({
          SERVICE_NAME: 'certification',
          PORT: '0',
          MONGODB_URI: 'mongodb://127.0.0.1:27017/unused',
          KAFKA_BROKERS: '127.0.0.1:9092',
          IDENTITY_SECRET: 'test-identity-secret-with-at-least-32-characters',
          NODE_ENV: 'test',
          CREDENTIAL_VERIFICATION_KEYS: value,
        }),
      ).toThrow(/CREDENTIAL_VERIFICATION_KEYS/);
  });
});
