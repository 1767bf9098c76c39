import { createHash } from 'node:crypto';
import {
  STATUS_MESSAGES,
  parseStatusListRef,
  statusListRefId,
  statusSizeOf,
  type StatusListEntry,
  type StatusListRef,
} from '../domain/status-slots';

// Open Badges 3.0 (1EdTech) over the W3C Verifiable Credentials Data Model 2.0.
export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT =
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** W3C Decentralized Identifiers v1: defines `assertionMethod` and `verificationMethod` at the top level of a controller document. */
export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
/** W3C Controller Documents' Multikey: `Multikey`, `controller`, `publicKeyMultibase`. */
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** What goes into a certificate's credential: no CURP or names in clear. */
export interface CredentialFacts {
  certificateId: string;
  issuedAt: Date;
  expiresAt: Date;
  standard: { id: string; code: string; title: string; version: number };
  body: { id: string; name: string };
  /**
   * The evaluation centre, when an independent body (`body`) certified its
   * evaluation: named as the subject's `source` (Open Badges 3.0: who
   * assessed the achievement on behalf of the issuer). Absent otherwise.
   */
  evaluatingBody?: { id: string; name: string } | null;
  holder: { id: string; curp: string; initials: string };
  /**
   * The list the certificate is in (1, 2, …) and its index there: its
   * entry in the message list of that number (and, in credentials exported
   * before, in the revocation list).
   */
  statusList: number;
  statusListIndex: number;
}

/** Where things live under the issuer URL. */
export function issuerUrls(issuerUrl: string) {
  return {
    body: (id: string) => `${issuerUrl}/bodies/${id}`,
    standard: (id: string) => `${issuerUrl}/standards/${id}`,
    /** The id a body or standard URL of this issuer names (`kind` "bodies" or "standards"), or null. */
    idOf(kind: 'bodies' | 'standards', url: unknown): string | null {
      const prefix = `${issuerUrl}/${kind}/`;
      return typeof url === 'string' && url.startsWith(prefix)
        ? url.slice(prefix.length) || null
        : null;
    },
    /** A status list's URL: `/status-lists/status-3` (message), `/status-lists/3` (revocation), `/status-lists/suspension-3`. */
    statusList: (ref: StatusListRef) =>
      `${issuerUrl}/status-lists/${statusListRefId(ref)}`,
    /** The list a `statusListCredential` URL of this issuer names, or null when it names none. */
    statusListOf(url: unknown): StatusListRef | null {
      const prefix = `${issuerUrl}/status-lists/`;
      return typeof url === 'string' && url.startsWith(prefix)
        ? parseStatusListRef(url.slice(prefix.length))
        : null;
    },
    /** The JWK Set of the issuer's keys. */
    keys: `${issuerUrl}/keys`,
    key: (thumbprint: string) => `${issuerUrl}/keys#${thumbprint}`,
    /** A key as a verification method of the profile `profileId` (the national issuer's or a body's). */
    verificationMethod: (profileId: string, thumbprint: string) =>
      `${profileId}#${thumbprint}`,
  };
}

/** What an issuer profile says about the key that signs for it. */
export interface SigningKey {
  /** RFC 7638 thumbprint of the public key: the fragment of its `kid` and of its verification methods. */
  thumbprint: string;
  /** The public key as a Multikey (`z…`, base58btc). */
  publicKeyMultibase: string;
}

/**
 * An Open Badges 3.0 `Profile` that is also a controller document (W3C DID /
 * Controller Documents): it lists, as its `assertionMethod`, the keys that
 * sign credentials naming it as issuer — the current key first, then every
 * key not retired (README: Key rotation), so credentials signed before a
 * rotation still verify. Data Integrity verifiers require the issuer to be
 * the controller of the proof's verification method; a JWT verifier checks
 * that the key of the header's `kid` is one of these.
 */
function profileDocument(
  profileId: string,
  keys: readonly SigningKey[],
  fields: Record<string, unknown>,
) {
  const methods = keys.map((key) => ({
    id: `${profileId}#${key.thumbprint}`,
    type: 'Multikey',
    controller: profileId,
    publicKeyMultibase: key.publicKeyMultibase,
  }));
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT, DID_CONTEXT, MULTIKEY_CONTEXT],
    id: profileId,
    type: ['Profile'],
    ...fields,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

/** The national issuer's profile (the issuer URL itself): it signs the status lists and, for every body, the credentials. */
export function nationalIssuerProfile(
  issuerUrl: string,
  name: string,
  keys: readonly SigningKey[],
) {
  return profileDocument(issuerUrl, keys, {
    name,
    description:
      'The national issuer of Conecta, Mexico’s national skills system: it signs, with the keys listed here (the current one first), the certificates of every accredited certifying body and the status lists.',
  });
}

/**
 * A certifying body's profile (its credentials' `issuer.id`): the body, the
 * Organization it is in Conecta (`otherIdentifier`), the national issuer as
 * `parentOrg`, and the national issuer's key as the body's assertion method —
 * the one central key signs for every body, and each body's profile says so.
 */
export function certifyingBodyProfile(
  issuerUrl: string,
  nationalName: string,
  body: { id: string; name: string; organizationId: string },
  keys: readonly SigningKey[],
) {
  return profileDocument(issuerUrlsBody(issuerUrl, body.id), keys, {
    name: body.name,
    description: `Certifying body accredited in Conecta. Its certificates are signed on its behalf by the national issuer (${issuerUrl}) with the keys listed here.`,
    otherIdentifier: [
      {
        type: 'IdentifierEntry',
        identifier: `urn:uuid:${body.organizationId}`,
        identifierType: 'identifier',
      },
    ],
    parentOrg: { id: issuerUrl, type: ['Profile'], name: nationalName },
  });
}

const issuerUrlsBody = (issuerUrl: string, id: string) =>
  issuerUrls(issuerUrl).body(id);

/**
 * The holder's identity as Open Badges' IdentityObject: a salted SHA-256 of the
 * CURP, so the holder can prove the credential is theirs by showing CURP and
 * salt. The salt (optional in Open Badges 3.0) is left out of the credential and
 * handed to the exporter: a CURP is structured (initials, birth date, state),
 * so with the salt beside the hash anyone holding the credential could search
 * for it.
 */
export function hashedIdentity(curp: string, salt: string) {
  return {
    type: 'IdentityObject',
    identityType: 'identifier',
    hashed: true,
    identityHash: `sha256$${createHash('sha256')
      .update(curp + salt)
      .digest('hex')}`,
  };
}

/** The OpenBadgeCredential (unsigned) of a certificate. */
export function openBadgeCredential(
  facts: CredentialFacts,
  issuerUrl: string,
  salt: string,
  subjectId: string,
) {
  const urls = issuerUrls(issuerUrl);
  const centre = facts.evaluatingBody ?? null;
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: `urn:uuid:${facts.certificateId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${facts.standard.code} ${facts.standard.title}`,
    issuer: {
      id: urls.body(facts.body.id),
      type: ['Profile'],
      name: facts.body.name,
    },
    validFrom: facts.issuedAt.toISOString(),
    validUntil: facts.expiresAt.toISOString(),
    // The subject id is fresh for each export: a stable one (the person's id)
    // would link every export of every certificate of one person. The identity
    // hash binds it to its holder.
    credentialSubject: {
      id: subjectId,
      type: ['AchievementSubject'],
      identifier: [hashedIdentity(facts.holder.curp, salt)],
      achievement: {
        id: urls.standard(facts.standard.id),
        type: ['Achievement'],
        achievementType: 'Certificate',
        humanCode: facts.standard.code,
        name: facts.standard.title,
        description: `Certificate of competence against the national competency standard ${facts.standard.code} (version ${facts.standard.version}).`,
        criteria: {
          narrative: centre
            ? `Evaluated COMPETENT against ${facts.standard.code} by an evaluator of the accredited evaluation centre ${centre.name}, and certified by a different person of the independent certifying body ${facts.body.name}.`
            : `Evaluated COMPETENT against ${facts.standard.code} by an evaluator of an accredited certifying body, and certified by a different person.`,
        },
      },
      ...(centre && {
        source: {
          id: urls.body(centre.id),
          type: ['Profile'],
          name: centre.name,
        },
      }),
    },
    credentialStatus: messageStatusEntry(urls, facts),
  };
}

/**
 * The credential's one `credentialStatus` (Open Badges 3.0: [0..1]): a
 * Bitstring Status List entry of purpose `message`, 2 bits in the message
 * list of the certificate's number at its index, read with its
 * `statusMessage` — 0x0 valid, 0x1 suspended, 0x2 revoked (README:
 * Suspension).
 */
function messageStatusEntry(
  urls: ReturnType<typeof issuerUrls>,
  { statusList, statusListIndex }: StatusListEntry,
) {
  const url = urls.statusList({ purpose: 'message', list: statusList });
  return {
    id: `${url}#${statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'message',
    statusListIndex: String(statusListIndex),
    statusListCredential: url,
    statusSize: statusSizeOf('message'),
    statusMessage: STATUS_MESSAGES.map((m) => ({ ...m })),
  };
}

/**
 * What an export discloses about the holder: `FULL`, the identity hash (CURP
 * + a salt the holder keeps), so the holder can prove the credential is
 * theirs; `MINIMAL`, only the initials in clear, beside the standard, the
 * issuer and the dates (README: Unlinkable exports).
 */
export type Disclosure = 'FULL' | 'MINIMAL';

/**
 * The reduced credential the holder may show instead: the same achievement,
 * issuer, dates and status entry, its subject only a fresh id and the
 * initials (an Open Badges `IdentityObject` in clear, type `ext:initials`):
 * no identity hash, so nothing in it relates to the CURP, even with a salt.
 */
export function minimalOpenBadgeCredential(
  facts: CredentialFacts,
  issuerUrl: string,
  subjectId: string,
) {
  const full = openBadgeCredential(facts, issuerUrl, '', subjectId);
  const { achievement, source } = full.credentialSubject;
  return {
    ...full,
    credentialSubject: {
      id: subjectId,
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'ext:initials',
          hashed: false,
          identityHash: facts.holder.initials,
        },
      ],
      achievement,
      // Who evaluated is about the certificate, not the holder: kept.
      ...(source && { source }),
    },
  };
}

export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>;
