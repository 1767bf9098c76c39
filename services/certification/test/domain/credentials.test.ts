import { createLogger, loadConfig } from '@conecta/service-kit';
import {
  SignJWT,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { createCredentialIssuer } from '../../src/credentials/issuer';
import {
  encodeStatuses,
  isSetInStatusList,
  statusInList,
} from '../../src/credentials/status-list';
import {
  MESSAGE_STATUS,
  statusListRefId,
  statusSizeOf,
  type StatusListRef,
} from '../../src/domain/status-slots';
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
};
/**
 * The encoded lists a verifier would fetch, by list id ("status-2" message,
 * "2" revocation, "suspension-2"): the given [index, value] entries set (1
 * for a bare index), none unless given.
 */
const lists =
  (set: Record<string, (number | [number, number])[]> = {}) =>
  async (ref: StatusListRef) =>
    encodeStatuses(
      (set[statusListRefId(ref)] ?? []).map((e) =>
        typeof e === 'number' ? ([e, 1] as const) : e,
      ),
      statusSizeOf(ref.purpose),
    );

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
      // One status entry (Open Badges 3.0: [0..1]), an object: 2 bits in
      // the message list of the certificate's number, at its index.
      credentialStatus: {
        id: `${config.CREDENTIAL_ISSUER_URL}/status-lists/status-2#1234`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'message',
        statusListIndex: '1234',
        statusListCredential: `${config.CREDENTIAL_ISSUER_URL}/status-lists/status-2`,
        statusSize: 2,
        statusMessage: [
          { status: '0x0', message: 'valid' },
          { status: '0x1', message: 'suspended' },
          { status: '0x2', message: 'revoked' },
        ],
      },
    });
    // The Data Integrity form and the minimal export carry the same entry.
    expect(credential.credentialStatus).toEqual(payload['credentialStatus']);
    const minimal = await issuer.issue(facts, 'MINIMAL');
    expect(decodeJwt(minimal.jwt)['credentialStatus']).toEqual(
      payload['credentialStatus'],
    );
  });

  it('verifies signature, expiry, and the status its message entry reads in the credential’s own list', async () => {
    const { jwt } = await issuer.issue(facts);
    const clean = lists();
    expect(await issuer.verify(jwt, clean, facts.issuedAt)).toMatchObject({
      valid: true,
      revoked: false,
      suspended: false,
      problems: [],
    });
    const revoked = await issuer.verify(
      jwt,
      lists({ 'status-2': [[1_234, MESSAGE_STATUS.revoked]] }),
      facts.issuedAt,
    );
    expect(revoked).toMatchObject({
      valid: false,
      signatureValid: true,
      revoked: true,
      suspended: false,
      problems: ['The credential has been revoked'],
    });
    expect(
      await issuer.verify(
        jwt,
        lists({ 'status-2': [[1_234, MESSAGE_STATUS.suspended]] }),
        facts.issuedAt,
      ),
    ).toMatchObject({
      valid: false,
      revoked: false,
      suspended: true,
      problems: ['The credential is suspended'],
    });
    // 0x3 names no status: not taken for valid.
    expect(
      await issuer.verify(
        jwt,
        lists({ 'status-2': [[1_234, 3]] }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: false, revoked: true });
    // The same entry in another list, a neighbour in its own, or its index
    // in the 1-bit lists older credentials name: another certificate's.
    expect(
      await issuer.verify(
        jwt,
        lists({
          'status-1': [[1_234, MESSAGE_STATUS.revoked]],
          'status-2': [
            [1_233, MESSAGE_STATUS.revoked],
            [1_235, MESSAGE_STATUS.suspended],
          ],
          '2': [1_234],
          'suspension-2': [1_234],
        }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: true, revoked: false, suspended: false });
    const expired = await issuer.verify(jwt, clean, facts.expiresAt);
    expect(expired).toMatchObject({ valid: false, expired: true });
    const [h, p, s] = jwt.split('.');
    const tampered = `${h}.${p!.slice(0, -2)}AA.${s}`;
    expect(await issuer.verify(tampered, clean, facts.issuedAt)).toMatchObject({
      valid: false,
      signatureValid: false,
    });
  });

  it('still verifies the credentials exported before: one entry per purpose (an array), or one revocation entry', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', {
      crv: 'Ed25519',
      extractable: true,
    });
    const keyed = createCredentialIssuer(
      loadCertificationConfig({
        SERVICE_NAME: 'certification',
        PORT: '0',
        MONGODB_URI: 'mongodb://127.0.0.1:27017/unused',
        KAFKA_BROKERS: '127.0.0.1:9092',
        IDENTITY_SECRET: 'test-identity-secret-with-at-least-32-characters',
        NODE_ENV: 'test',
        CREDENTIAL_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
      }),
      logger,
    );
    await keyed.start();
    const { jwt } = await keyed.issue(facts);
    const base = `${config.CREDENTIAL_ISSUER_URL}/status-lists`;
    const entry = (purpose: string, list: string, index: number) => ({
      id: `${base}/${list}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: `${base}/${list}`,
    });
    /** The same credential with another credentialStatus, signed as the issuer signed then (same key and kid). */
    const signedWith = (credentialStatus: unknown) =>
      new SignJWT({ ...decodeJwt(jwt), credentialStatus })
        .setProtectedHeader({
          alg: 'EdDSA',
          typ: 'JWT',
          kid: String(decodeProtectedHeader(jwt).kid),
        })
        .sign(privateKey);
    expect(await jwtVerify(jwt, publicKey)).toBeDefined();
    const array = await signedWith([
      entry('revocation', '2', 1_234),
      entry('suspension', 'suspension-2', 77_001),
    ]);
    const single = await signedWith(entry('revocation', '2', 1_234));

    for (const old of [array, single]) {
      expect(await keyed.verify(old, lists(), facts.issuedAt)).toMatchObject({
        valid: true,
        revoked: false,
        suspended: false,
      });
      // The message list does not concern them: they name the 1-bit lists.
      expect(
        await keyed.verify(
          old,
          lists({ 'status-2': [[1_234, MESSAGE_STATUS.revoked]] }),
          facts.issuedAt,
        ),
      ).toMatchObject({ valid: true });
      expect(
        await keyed.verify(old, lists({ '2': [1_234] }), facts.issuedAt),
      ).toMatchObject({
        valid: false,
        revoked: true,
        problems: ['The credential has been revoked'],
      });
    }
    // Suspended: its bit in its own suspension list, not its revocation index there.
    expect(
      await keyed.verify(
        array,
        lists({ 'suspension-2': [77_001] }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: false, revoked: false, suspended: true });
    expect(
      await keyed.verify(
        array,
        lists({ 'suspension-2': [1_234] }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: true, suspended: false });
    // One revocation entry (before suspension existed): no suspension to read.
    expect(
      await keyed.verify(
        single,
        lists({ 'suspension-2': [77_001] }),
        facts.issuedAt,
      ),
    ).toMatchObject({ valid: true, suspended: false });
    // No entry of this issuer: it cannot be shown not to be revoked.
    expect(
      await keyed.verify(
        await signedWith({
          ...entry('revocation', '2', 1_234),
          statusListCredential: 'https://elsewhere.example/status-lists/2',
        }),
        lists(),
        facts.issuedAt,
      ),
    ).toMatchObject({
      valid: false,
      revoked: true,
      problems: ['The credential has no status entry of this issuer'],
    });
  });

  it('signs each status list under its own URL, the message list with 2 bits per entry', async () => {
    const list = await issuer.statusList(
      { purpose: 'revocation', list: 3 },
      [[5, 1]],
      facts.issuedAt,
    );
    expect(list.id).toBe(`${config.CREDENTIAL_ISSUER_URL}/status-lists/3`);
    const suspension = await issuer.statusList(
      { purpose: 'suspension', list: 3 },
      [[5, 1]],
      facts.issuedAt,
    );
    expect(suspension.id).toBe(
      `${config.CREDENTIAL_ISSUER_URL}/status-lists/suspension-3`,
    );
    const message = await issuer.statusList(
      { purpose: 'message', list: 3 },
      [
        [5, MESSAGE_STATUS.revoked],
        [6, MESSAGE_STATUS.suspended],
      ],
      facts.issuedAt,
    );
    expect(message.id).toBe(
      `${config.CREDENTIAL_ISSUER_URL}/status-lists/status-3`,
    );
    const key = await importJWK(issuer.publicJwk(), 'EdDSA');
    const { payload } = await jwtVerify(list.jwt, key);
    expect(payload).toMatchObject({
      id: list.id,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      validFrom: facts.issuedAt.toISOString(),
      credentialSubject: {
        id: `${list.id}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: list.encodedList,
      },
    });
    expect((await jwtVerify(suspension.jwt, key)).payload).toMatchObject({
      credentialSubject: { statusPurpose: 'suspension' },
    });
    expect((await jwtVerify(message.jwt, key)).payload).toMatchObject({
      id: message.id,
      credentialSubject: {
        id: `${message.id}#list`,
        statusPurpose: 'message',
        encodedList: message.encodedList,
      },
    });
    expect(isSetInStatusList(list.encodedList, 5)).toBe(true);
    expect(
      [4, 5, 6].map((i) => statusInList(message.encodedList, i, 2)),
    ).toEqual([0, 2, 1]);
    // Nothing set: no validFrom, and the same entries give the same JWT.
    const empty = await issuer.statusList(
      { purpose: 'message', list: 3 },
      [],
      null,
    );
    expect(decodeJwt(empty.jwt)['validFrom']).toBeUndefined();
    expect(
      (await issuer.statusList({ purpose: 'message', list: 3 }, [], null)).jwt,
    ).toBe(empty.jwt);
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
