import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  stateMachine,
} from '@conecta/service-kit/errors';
import {
  activeFor,
  covers,
  requireActiveScope,
  type Accreditation,
} from './accreditation';
import type { CertifyingBody } from './certifying-body';
import { sameBody, type Evaluation } from './evaluation';
import type { StandardView } from './projections';
import type { ImportProvenance } from './provenance';
import { addMonths, addYears } from './time';

export type CertificateStatus = 'VALID' | 'SUSPENDED' | 'EXPIRED' | 'REVOKED';

/** A certificate of competence. */
export interface Certificate {
  id: string;
  personId: string;
  standardId: string;
  /** The body that certified (the credential's issuer). */
  certifyingBodyId: string;
  /**
   * The body whose evaluator evaluated: the certifying body itself, or the
   * evaluation centre an independent body certified for. Absent on
   * certificates stored before the third-party path (read as the certifying
   * body: see {@link evaluatingBodyOf}).
   */
  evaluatingBodyId?: string | null;
  evaluationId: string;
  certifierSubject: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
  /**
   * When it was suspended, while it is: a suspension is lifted by a
   * reinstatement (null again); a revocation ends it for good.
   */
  suspendedAt: Date | null;
  /** Why it is suspended, while it is. */
  suspensionReason: string | null;
  /** Public, unguessable: 26 base32 characters of 128 random bits. */
  verificationCode: string;
  /**
   * The revocation status list it is in (W3C Bitstring Status List): 1, 2, …
   * Certificates stored before lists were numbered are in list 1.
   */
  statusList: number;
  /** Its bit in that list. */
  statusListIndex: number;
  /** Set only on certificates imported from a legacy registry: the audit trail. */
  provenance?: ImportProvenance | null;
}

/** The body that evaluated for a certificate (its certifying body unless an independent body certified). */
export function evaluatingBodyOf(
  certificate: Pick<Certificate, 'certifyingBodyId' | 'evaluatingBodyId'>,
): string {
  return certificate.evaluatingBodyId ?? certificate.certifyingBodyId;
}

/**
 * Status today: REVOKED wins over SUSPENDED, which wins over EXPIRED (README:
 * Suspension). A revocation is the stronger, final fact; a suspension is a
 * standing act of the body that a verifier must hear about even on a
 * certificate that has also expired; expiry is the passage of time.
 */
export function certificateStatus(
  certificate: Pick<Certificate, 'revokedAt' | 'expiresAt'> & {
    suspendedAt?: Date | null;
  },
  now: Date,
): CertificateStatus {
  if (certificate.revokedAt) return 'REVOKED';
  if (certificate.suspendedAt) return 'SUSPENDED';
  return certificate.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'VALID';
}

/**
 * Whether the certificate still holds its person+standard key: neither
 * revoked nor expired. A SUSPENDED certificate holds it (it may be
 * reinstated), so no second certificate is issued for the person and
 * standard meanwhile.
 */
export function holdsValidKey(
  certificate: Pick<Certificate, 'revokedAt' | 'expiresAt'>,
  now: Date,
): boolean {
  return (
    !certificate.revokedAt && certificate.expiresAt.getTime() > now.getTime()
  );
}

/** What a decided certificate still gets when it is stored: a fresh code and its status-list entry. */
export type CertificateEntry = Pick<
  Certificate,
  'verificationCode' | 'statusList' | 'statusListIndex'
>;

/** A certificate decided, before its code and status-list entry are drawn. */
export type CertificateDraft = Omit<Certificate, keyof CertificateEntry>;

/** What the issuing rules need to know besides the evaluation. */
export interface IssueContext {
  id: string;
  now: Date;
  certifierSubject: string;
  /** The certifying body's accreditation for the standard (the evaluating body's, when it certifies). */
  accreditation: Accreditation | null;
  /**
   * The third-party path: another body certifies the evaluating body's
   * evaluation. Null or absent when the evaluating body certifies.
   */
  independent?: {
    certifyingBody: Pick<CertifyingBody, 'id' | 'organizationId'>;
    evaluatingBody: Pick<CertifyingBody, 'id' | 'organizationId'>;
    /** The evaluating body's accreditation for the standard. */
    evaluatingAccreditation: Accreditation | null;
  } | null;
  standard: StandardView | null;
  /** An evaluation older than this many months cannot be certified (config; default 6). */
  evaluationMaxAgeMonths: number;
  /** A certificate of the same person and standard, if one is VALID now. */
  validCertificate: Pick<Certificate, 'id'> | null;
  /** The certificate already issued for this evaluation, if any. */
  certificateOfEvaluation: Pick<Certificate, 'id'> | null;
}

/**
 * Issues a certificate for an evaluation, enforcing every safeguard. The caller
 * has already been checked as a CERTIFIER of the certifying body: the
 * evaluating body, or (`ctx.independent`) another body the evaluating body
 * asked to certify it (requestCertification). The draft gets its
 * verification code and status-list entry when it is stored, so a refused
 * issue spends no status-list position.
 *
 * @throws ForbiddenError CERTIFIER_IS_EVALUATOR — nobody certifies their own
 *   evaluation; CENTRE_CERTIFIES_ITSELF — an evaluation centre (accredited to
 *   evaluate only) certifying its own evaluation, or a body of the evaluating
 *   body's organization; CERTIFICATION_NOT_REQUESTED — an independent body the
 *   evaluating body did not ask
 * @throws ConflictError ACCREDITATION_NOT_ACTIVE,
 *   NOT_ACCREDITED_FOR_CERTIFICATION, EVALUATING_BODY_NOT_ACTIVE,
 *   STANDARD_NOT_PUBLISHED, EVALUATION_NOT_COMPETENT, EVALUATION_TOO_OLD,
 *   EVALUATION_ALREADY_CERTIFIED, CERTIFICATE_ALREADY_VALID
 */
export function issueCertificate(
  evaluation: Evaluation,
  ctx: IssueContext,
): CertificateDraft {
  if (ctx.certifierSubject === evaluation.evaluatorSubject) {
    throw new ForbiddenError(
      'The certifier must not be the person who evaluated',
      'CERTIFIER_IS_EVALUATOR',
    );
  }
  const centreItself = () =>
    new ForbiddenError(
      "An evaluation centre's evaluation is certified by an independent body accredited for certification, never by the centre itself or its organization",
      'CENTRE_CERTIFIES_ITSELF',
    );
  const independent = ctx.independent ?? null;
  let certifyingBodyId = evaluation.certifyingBodyId;
  if (independent) {
    if (sameBody(independent.certifyingBody, independent.evaluatingBody))
      throw centreItself();
    requireActiveScope(ctx.accreditation, 'CERTIFICATION');
    if (
      evaluation.certificationRequest?.certifyingBodyId !==
      independent.certifyingBody.id
    ) {
      throw new ForbiddenError(
        'The evaluating body has not asked this body to certify the evaluation',
        'CERTIFICATION_NOT_REQUESTED',
      );
    }
    // A suspended or revoked centre's evaluations wait, as its own would.
    if (!activeFor(independent.evaluatingAccreditation, 'EVALUATION')) {
      throw new ConflictError(
        'EVALUATING_BODY_NOT_ACTIVE',
        "The evaluating body's accreditation for this standard is not ACTIVE",
      );
    }
    certifyingBodyId = independent.certifyingBody.id;
  } else {
    if (!ctx.accreditation || ctx.accreditation.status !== 'ACTIVE') {
      throw new ConflictError(
        'ACCREDITATION_NOT_ACTIVE',
        "The body's accreditation for this standard is not ACTIVE",
      );
    }
    // Accredited to evaluate only: an evaluation centre.
    if (!covers(ctx.accreditation, 'CERTIFICATION')) throw centreItself();
  }
  if (!ctx.standard || ctx.standard.status !== 'PUBLISHED') {
    throw new ConflictError(
      'STANDARD_NOT_PUBLISHED',
      'The standard is not PUBLISHED: no new certificates against it',
    );
  }
  if (evaluation.result !== 'COMPETENT') {
    throw new ConflictError(
      'EVALUATION_NOT_COMPETENT',
      'Only a COMPETENT evaluation can be certified',
    );
  }
  if (
    addMonths(evaluation.evaluatedAt, ctx.evaluationMaxAgeMonths).getTime() <
    ctx.now.getTime()
  ) {
    throw new ConflictError(
      'EVALUATION_TOO_OLD',
      `The evaluation is older than ${ctx.evaluationMaxAgeMonths} months: evaluate again`,
    );
  }
  if (ctx.certificateOfEvaluation) {
    throw new ConflictError(
      'EVALUATION_ALREADY_CERTIFIED',
      `Evaluation ${evaluation.id} already has certificate ${ctx.certificateOfEvaluation.id}`,
    );
  }
  if (ctx.validCertificate) {
    throw new ConflictError(
      'CERTIFICATE_ALREADY_VALID',
      'The person already holds a VALID certificate for this standard',
    );
  }
  return {
    id: ctx.id,
    personId: evaluation.candidateId,
    standardId: evaluation.standardId,
    certifyingBodyId,
    evaluatingBodyId: evaluation.certifyingBodyId,
    evaluationId: evaluation.id,
    certifierSubject: ctx.certifierSubject,
    issuedAt: ctx.now,
    expiresAt: addYears(ctx.now, ctx.standard.certificateValidityYears),
    revokedAt: null,
    revocationReason: null,
    suspendedAt: null,
    suspensionReason: null,
  };
}

/**
 * The lifecycle: VALID ⇄ SUSPENDED (suspend, reinstate), REVOKED (final)
 * from any; an EXPIRED certificate can only be revoked. Statuses as
 * {@link certificateStatus} reads them.
 */
export const CERTIFICATE_LIFECYCLE = stateMachine<CertificateStatus>(
  {
    VALID: ['SUSPENDED', 'REVOKED'],
    SUSPENDED: ['VALID', 'REVOKED'],
    EXPIRED: ['REVOKED'],
    REVOKED: [],
  },
  (from, to) =>
    from === 'REVOKED'
      ? {
          code: 'CERTIFICATE_ALREADY_REVOKED',
          message:
            'The certificate is already revoked; revocation is permanent',
        }
      : to !== 'SUSPENDED'
        ? {
            code: 'CERTIFICATE_NOT_SUSPENDED',
            message: 'Only a suspended certificate can be reinstated',
          }
        : from === 'SUSPENDED'
          ? {
              code: 'CERTIFICATE_ALREADY_SUSPENDED',
              message: 'The certificate is already suspended',
            }
          : {
              code: 'CERTIFICATE_EXPIRED',
              message:
                'The certificate has expired: there is nothing to suspend',
            },
);

/**
 * Revokes a certificate, permanently (there is no way back). A suspended
 * certificate may be revoked: the revocation ends the suspension.
 *
 * @throws ConflictError CERTIFICATE_ALREADY_REVOKED
 */
export function revokeCertificate(
  certificate: Certificate,
  reason: string,
  now: Date,
): Certificate {
  CERTIFICATE_LIFECYCLE.assert(certificateStatus(certificate, now), 'REVOKED');
  return {
    ...certificate,
    revokedAt: now,
    revocationReason: reason,
    suspendedAt: null,
    suspensionReason: null,
  };
}

/**
 * Suspends a VALID certificate, with a reason: it stops being relied on
 * until it is reinstated (or revoked).
 *
 * @throws ConflictError CERTIFICATE_ALREADY_REVOKED, CERTIFICATE_ALREADY_SUSPENDED,
 *   CERTIFICATE_EXPIRED (nothing to suspend once it has expired)
 */
export function suspendCertificate(
  certificate: Certificate,
  reason: string,
  now: Date,
): Certificate {
  CERTIFICATE_LIFECYCLE.assert(
    certificateStatus(certificate, now),
    'SUSPENDED',
  );
  return { ...certificate, suspendedAt: now, suspensionReason: reason };
}

/**
 * Lifts a suspension: the certificate is VALID again (or EXPIRED, if its
 * expiry passed meanwhile). A revoked certificate is never reinstated.
 *
 * @throws ConflictError CERTIFICATE_ALREADY_REVOKED, CERTIFICATE_NOT_SUSPENDED
 */
export function reinstateCertificate(certificate: Certificate): Certificate {
  // Whether it has expired meanwhile does not matter here: read as of issue.
  CERTIFICATE_LIFECYCLE.assert(
    certificateStatus(certificate, certificate.issuedAt),
    'VALID',
  );
  return { ...certificate, suspendedAt: null, suspensionReason: null };
}

// RFC 4648 base32 alphabet: no 0/1/8/9, so codes read aloud or typed stay unambiguous.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// 128 bits: 2^128 possible codes, so guessing one is infeasible whatever the rate.
const CODE_BYTES = 16;
/** 128 bits in base32 is 26 characters (the last carries 3 bits). */
export const VERIFICATION_CODE_LENGTH = 26;

/** A fresh verification code: 128 bits from the OS CSPRNG, base32, no sequence. */
export function newVerificationCode(
  random: (size: number) => Buffer = randomBytes,
): string {
  const bytes = random(CODE_BYTES);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Normalises a code as people type it (case, spaces, hyphens) and checks its
 * shape before any lookup, so malformed guesses cost nothing.
 *
 * @throws InvalidInputError INVALID_VERIFICATION_CODE
 */
export function parseVerificationCode(raw: string): string {
  const code = raw.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== VERIFICATION_CODE_LENGTH || !/^[A-Z2-7]+$/.test(code)) {
    throw new InvalidInputError(
      'code',
      `must be the ${VERIFICATION_CODE_LENGTH}-character verification code printed on the certificate`,
      'INVALID_VERIFICATION_CODE',
    );
  }
  return code;
}

/**
 * Entries of each status list. The W3C Bitstring Status List asks for at least
 * 131,072 entries (16 KiB) so a list does not reveal which certificate a
 * verifier checks (herd privacy); indexes follow a keyed permutation for the
 * same reason (`status-slots`). When one list is used up the next one starts.
 */
export const STATUS_LIST_SIZE = 131_072;
