import { randomBytes, randomUUID } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  compactVerify,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Logger } from '@conecta/service-kit';
import type { CertificationConfig } from '../env';
import { createDataIntegritySigner, publicKeyMultibase } from './linked-data';
import {
  VC_CONTEXT,
  certifyingBodyProfile,
  issuerUrls,
  minimalOpenBadgeCredential,
  nationalIssuerProfile,
  openBadgeCredential,
  type Disclosure,
  type CredentialFacts,
  type SigningKey,
} from './open-badge';
import { encodeStatuses, statusInList } from './status-list';
import {
  messageStatusOf,
  statusSizeOf,
  type StatusListRef,
  type StatusPurpose,
} from '../domain/status-slots';

// EdDSA over Ed25519. An Open Badges 3.0 credential is a JWT (§8.2: typ
// "JWT", the credential's members at the top level beside the registered
// claims); a status list is a VC-JOSE-COSE credential, typ "vc+jwt".
const ALG = 'EdDSA';
const CREDENTIAL_TYP = 'JWT';
const VC_TYP = 'vc+jwt';
// Credentials exported before the Open Badges 3.0 JWT format still verify.
const VERIFIABLE_TYPS = new Set([CREDENTIAL_TYP, VC_TYP]);
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A key that verifies: served in the JWK Set and listed by every profile. */
interface VerificationKey {
  publicJwk: JWK;
  publicKey: CryptoKey;
  kid: string;
  signingKey: SigningKey;
}

interface Keys {
  /** The current key: signs everything new. */
  current: VerificationKey & {
    privateKey: CryptoKey;
    dataIntegrity: Awaited<ReturnType<typeof createDataIntegritySigner>>;
  };
  /** Every key not retired, the current one first (CREDENTIAL_VERIFICATION_KEYS after it). */
  all: VerificationKey[];
}

/** An Ed25519 public key as this issuer serves it: its `kid` is `<issuer>/keys#<RFC 7638 thumbprint>`. */
async function verificationKey(
  jwk: JWK,
  config: CertificationConfig,
): Promise<VerificationKey> {
  const { kty, crv, x } = jwk;
  if (kty !== 'OKP' || crv !== 'Ed25519' || !x) {
    throw new Error('credential keys must be Ed25519 keys');
  }
  const thumbprint = await calculateJwkThumbprint({ kty, crv, x });
  const kid = issuerUrls(config.CREDENTIAL_ISSUER_URL).key(thumbprint);
  const publicJwk: JWK = { kty, crv, x, alg: ALG, use: 'sig', kid };
  return {
    publicJwk,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
    kid,
    signingKey: {
      thumbprint,
      publicKeyMultibase: await publicKeyMultibase(publicJwk),
    },
  };
}

/** What verifying a credential found. */
export interface CredentialCheck {
  valid: boolean;
  signatureValid: boolean;
  expired: boolean;
  revoked: boolean;
  /**
   * Its message entry says suspended (0x1), or, in a credential exported
   * before the message entry, its suspension bit is set (false for those
   * exported before suspension existed, which have no such entry).
   */
  suspended: boolean;
  certificateId: string | null;
  problems: string[];
  /**
   * The standard and body a signed credential names (from its achievement
   * and issuer URLs), for the verification counts; null when the signature
   * fails. Not part of the GraphQL answer.
   */
  subjectOfCount: { standardId: string; certifyingBodyId: string } | null;
}

async function loadKeys(
  config: CertificationConfig,
  logger: Logger,
): Promise<Keys> {
  let privateKey: CryptoKey;
  const given = config.CREDENTIAL_SIGNING_KEY?.trim();
  if (given?.startsWith('{')) {
    privateKey = (await importJWK(JSON.parse(given) as JWK, ALG, {
      extractable: true,
    })) as CryptoKey;
  } else if (given) {
    // Environment files often carry a PEM on one line with literal \n.
    privateKey = await importPKCS8(given.replace(/\\n/g, '\n'), ALG, {
      extractable: true,
    });
  } else {
    if (config.NODE_ENV === 'production') {
      throw new Error('CREDENTIAL_SIGNING_KEY is required in production');
    }
    // Development and tests only: credentials signed with it stop verifying on restart.
    ({ privateKey } = await generateKeyPair(ALG, {
      crv: 'Ed25519',
      extractable: true,
    }));
    logger.warn(
      'CREDENTIAL_SIGNING_KEY not set: generated an ephemeral Ed25519 key (development/test only)',
    );
  }
  const privateJwk = await exportJWK(privateKey);
  if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519') {
    throw new Error('CREDENTIAL_SIGNING_KEY must be an Ed25519 key');
  }
  const current = {
    ...(await verificationKey(privateJwk, config)),
    privateKey,
    dataIntegrity: await createDataIntegritySigner(privateJwk),
  };
  // Earlier keys not retired (and a next key published ahead of its switch):
  // they verify, they do not sign. The current key is never listed twice.
  const others: VerificationKey[] = [];
  for (const jwk of config.CREDENTIAL_VERIFICATION_KEYS) {
    const key = await verificationKey(jwk, config);
    if (key.kid !== current.kid && !others.some((o) => o.kid === key.kid))
      others.push(key);
  }
  return { current, all: [current, ...others] };
}

/**
 * Signs certificates as W3C Verifiable Credentials (Open Badges 3.0, VC-JWT with
 * EdDSA) and the status lists, and verifies credentials. `start()`
 * loads (or, outside production, generates) the key.
 */
export function createCredentialIssuer(
  config: CertificationConfig,
  logger: Logger,
) {
  let keys: Keys | undefined;
  const urls = issuerUrls(config.CREDENTIAL_ISSUER_URL);
  const need = (): Keys => {
    if (!keys) throw new Error('credential issuer not started');
    return keys;
  };

  // Always the current key, naming its kid.
  const sign = (payload: Record<string, unknown>, typ = VC_TYP) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: ALG, typ, kid: need().current.kid })
      .sign(need().current.privateKey);
  const signingKeys = () => need().all.map((k) => k.signingKey);

  return {
    async start(): Promise<void> {
      keys ??= await loadKeys(config, logger);
    },

    /** The current public key (JWK): it verifies everything signed since the last rotation. */
    publicJwk(): JWK {
      return need().current.publicJwk;
    },

    /**
     * The JWK Set served at `<issuer>/keys`: every key not retired, the
     * current one first; each key's `kid` is what JWT headers name.
     */
    publicJwks(): { keys: JWK[] } {
      return { keys: need().all.map((k) => k.publicJwk) };
    },

    /** The national issuer's Open Badges Profile (served at the issuer URL). */
    nationalProfile() {
      return nationalIssuerProfile(
        config.CREDENTIAL_ISSUER_URL,
        config.CREDENTIAL_ISSUER_NAME,
        signingKeys(),
      );
    },

    /** A certifying body's Open Badges Profile (served at its `issuer.id`). */
    bodyProfile(body: { id: string; name: string; organizationId: string }) {
      return certifyingBodyProfile(
        config.CREDENTIAL_ISSUER_URL,
        config.CREDENTIAL_ISSUER_NAME,
        body,
        signingKeys(),
      );
    },

    /**
     * A certificate as a signed Open Badges 3.0 credential: the full one
     * (default, with the holder's identity hash and its salt apart) or the
     * minimal one (initials only; `identitySalt` null).
     */
    async issue(facts: CredentialFacts, disclosure: Disclosure = 'FULL') {
      // A fresh salt per export: two exports cannot be linked by their identity hash.
      const salt =
        disclosure === 'FULL' ? randomBytes(16).toString('base64url') : null;
      // A fresh subject id per export too: it names the subject of this
      // credential only, so it links nothing (the person's id would).
      const subjectId = `urn:uuid:${randomUUID()}`;
      const credential =
        salt === null
          ? minimalOpenBadgeCredential(
              facts,
              config.CREDENTIAL_ISSUER_URL,
              subjectId,
            )
          : openBadgeCredential(
              facts,
              config.CREDENTIAL_ISSUER_URL,
              salt,
              subjectId,
            );
      // Open Badges 3.0 §8.2: the registered claims repeat the credential's
      // issuer, id, subject and validity (NumericDate seconds).
      const jwt = await sign(
        {
          ...credential,
          iss: credential.issuer.id,
          jti: credential.id,
          sub: credential.credentialSubject.id,
          nbf: seconds(credential.validFrom),
          exp: seconds(credential.validUntil),
        },
        CREDENTIAL_TYP,
      );
      // The same credential secured a second way, for JSON-LD verifiers: a
      // Data Integrity proof (eddsa-rdfc-2022) by the key the body's profile
      // lists as its assertion method. Same key, same claims.
      const secured = await need().current.dataIntegrity.sign(
        credential,
        urls.verificationMethod(
          credential.issuer.id,
          need().current.signingKey.thumbprint,
        ),
      );
      return { credential: secured, jwt, identitySalt: salt };
    },

    /**
     * The signed Bitstring Status List credential of list `ref` (a purpose,
     * message, revocation or suspension, and a number 1, 2, …) with its
     * `statuses` (index → value; 1 in the 1-bit lists, 1 or 2 in the 2-bit
     * message lists) set, valid from `validFrom` (the latest status change
     * in it; none when nothing is set). Ed25519 signatures are
     * deterministic, so the same entries give the very same JWT: its hash
     * is a stable HTTP ETag.
     */
    async statusList(
      ref: StatusListRef,
      statuses: Iterable<readonly [number, number]>,
      validFrom: Date | null,
    ) {
      const id = urls.statusList(ref);
      const encodedList = encodeStatuses(statuses, statusSizeOf(ref.purpose));
      const jwt = await sign({
        '@context': [VC_CONTEXT],
        id,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: config.CREDENTIAL_ISSUER_URL,
        ...(validFrom ? { validFrom: validFrom.toISOString() } : {}),
        credentialSubject: {
          id: `${id}#list`,
          type: 'BitstringStatusList',
          statusPurpose: ref.purpose,
          encodedList,
        },
      });
      return { id, jwt, encodedList, statusPurpose: ref.purpose };
    },

    /**
     * Verifies a credential: EdDSA signature with the key its `kid` names
     * (any key not retired), not past validUntil, and its status in the
     * lists its entries name — its message entry (0x0 valid, 0x1
     * suspended, 0x2 revoked) or, in credentials exported before, its
     * revocation bit (then required) and suspension bit (when it has one) —
     * whose encoded bitstrings `encodedListOf(ref)` gives (the lists a
     * verifier would fetch; here, the current ones). Asked only once the
     * signature checks.
     */
    async verify(
      jwt: string,
      encodedListOf: (ref: StatusListRef) => Promise<string>,
      now: Date,
    ): Promise<CredentialCheck> {
      const problems: string[] = [];
      let payload: Record<string, unknown>;
      try {
        // The signature only: expiry is reported below (as `expired`), not
        // refused like a bad signature, so `exp` is not checked here.
        // The key its kid names among the keys not retired (the current
        // one when it names none): credentials signed before a rotation
        // still verify; a retired key's no longer do.
        const verified = await compactVerify(
          jwt,
          ({ kid }) => {
            const key =
              kid === undefined
                ? need().current
                : need().all.find((k) => k.kid === kid);
            if (!key) throw new Error('unknown or retired key');
            return key.publicKey;
          },
          { algorithms: [ALG] },
        );
        if (!VERIFIABLE_TYPS.has(String(verified.protectedHeader.typ)))
          throw new Error('not a credential of this issuer');
        payload = JSON.parse(new TextDecoder().decode(verified.payload));
      } catch {
        return {
          valid: false,
          signatureValid: false,
          expired: false,
          revoked: false,
          suspended: false,
          certificateId: null,
          problems: ['The signature does not verify with the issuer key'],
          subjectOfCount: null,
        };
      }
      const validUntil = Date.parse(String(payload['validUntil']));
      const expired = !(validUntil > now.getTime());
      if (expired) problems.push('The credential has expired');
      // One message entry (exported now), one revocation entry (exported
      // before suspension existed) or one entry per purpose, revocation and
      // suspension (exported before the message entry): an object or an
      // array, read alike.
      const status = payload['credentialStatus'];
      const entries = (Array.isArray(status) ? status : [status]) as (
        | {
            statusPurpose?: unknown;
            statusListIndex?: unknown;
            statusListCredential?: unknown;
            statusSize?: unknown;
          }
        | undefined
      )[];
      // The value of the credential's entry of `purpose` in the list it
      // names, or null when it has none of this issuer (or one whose
      // statusSize is not that list's).
      const statusOf = async (purpose: StatusPurpose) => {
        for (const entry of entries) {
          const ref = urls.statusListOf(entry?.statusListCredential);
          if (ref?.purpose !== purpose || entry?.statusPurpose !== purpose)
            continue;
          const size = statusSizeOf(purpose);
          if ((entry.statusSize ?? 1) !== size) continue;
          return statusInList(
            await encodedListOf(ref),
            Number(entry.statusListIndex),
            size,
          );
        }
        return null;
      };
      const [message, revocationBit, suspensionBit] = await Promise.all([
        statusOf('message'),
        statusOf('revocation'),
        statusOf('suspension'),
      ]);
      const said = message === null ? null : messageStatusOf(message);
      // A credential without a status entry of this issuer cannot be shown
      // not to be revoked, nor can one whose message value names no status.
      const revoked =
        said === 'revoked' ||
        said === 'unknown' ||
        revocationBit === 1 ||
        (said === null && revocationBit === null);
      if (said === null && revocationBit === null)
        problems.push('The credential has no status entry of this issuer');
      else if (said === 'unknown')
        problems.push('The credential’s status entry holds no known status');
      else if (revoked) problems.push('The credential has been revoked');
      const suspended = said === 'suspended' || suspensionBit === 1;
      if (suspended) problems.push('The credential is suspended');
      const id = String(payload['id'] ?? '');
      const standardId = urls.idOf(
        'standards',
        (
          payload['credentialSubject'] as
            { achievement?: { id?: unknown } } | undefined
        )?.achievement?.id,
      );
      const certifyingBodyId = urls.idOf(
        'bodies',
        (payload['issuer'] as { id?: unknown } | undefined)?.id,
      );
      return {
        subjectOfCount:
          standardId && certifyingBodyId
            ? { standardId, certifyingBodyId }
            : null,
        valid: problems.length === 0,
        signatureValid: true,
        expired,
        revoked,
        suspended,
        certificateId: id.startsWith('urn:uuid:') ? id.slice(9) : null,
        problems,
      };
    },
  };
}

export type CredentialIssuer = ReturnType<typeof createCredentialIssuer>;
