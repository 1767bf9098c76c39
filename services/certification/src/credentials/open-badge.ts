import { createHash } from 'node:crypto';
import { parseStatusListId } from '../domain/status-slots';

// Open Badges 3.0 (1EdTech) over the W3C Verifiable Credentials Data Model 2.0.
export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT =
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** What goes into a certificate's credential: no CURP or names in clear. */
export interface CredentialFacts {
  certificateId: string;
  issuedAt: Date;
  expiresAt: Date;
  standard: { id: string; code: string; title: string; version: number };
  body: { id: string; name: string };
  holder: { id: string; curp: string; initials: string };
  /** The status list the certificate is in (1, 2, …) and its bit there. */
  statusList: number;
  statusListIndex: number;
}

/** Where things live under the issuer URL. */
export function issuerUrls(issuerUrl: string) {
  return {
    body: (id: string) => `${issuerUrl}/bodies/${id}`,
    standard: (id: string) => `${issuerUrl}/standards/${id}`,
    statusList: (list: number) => `${issuerUrl}/status-lists/${list}`,
    /** The list a `statusList` URL of this issuer names, or null when it names none. */
    statusListOf(url: unknown): number | null {
      const prefix = `${issuerUrl}/status-lists/`;
      return typeof url === 'string' && url.startsWith(prefix)
        ? parseStatusListId(url.slice(prefix.length))
        : null;
    },
    key: (thumbprint: string) => `${issuerUrl}/keys#${thumbprint}`,
  };
}

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
  // The certificate's own list: each list is a credential of its own.
  const statusList = urls.statusList(facts.statusList);
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
          narrative: `Evaluated COMPETENT against ${facts.standard.code} by an evaluator of an accredited certifying body, and certified by a different person.`,
        },
      },
    },
    credentialStatus: {
      id: `${statusList}#${facts.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(facts.statusListIndex),
      statusListCredential: statusList,
    },
  };
}

export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>;
