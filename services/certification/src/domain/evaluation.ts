import { z } from 'zod';
import { EVALUATION_RESULTS, entityId } from '@conecta/events/contracts';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
} from '@conecta/service-kit/errors';
import { requireActiveScope, type Accreditation } from './accreditation';
import type { CertifyingBody } from './certifying-body';
import { requireAcceptedCandidacy, type Candidacy } from './candidacy';
import type { StandardView } from './projections';
import type { ImportProvenance } from './provenance';

export type EvaluationResult = (typeof EVALUATION_RESULTS)[number];

/** A candidate's evaluation against a standard by an evaluator of a body. */
export interface Evaluation {
  id: string;
  candidateId: string;
  standardId: string;
  certifyingBodyId: string;
  evaluatorSubject: string;
  evidenceSummary: string;
  result: EvaluationResult;
  evaluatedAt: Date;
  recordedAt: Date;
  /**
   * The ACCEPTED candidacy it was recorded under (every evaluation recorded in
   * Conecta since issue 12 has one; imported and older ones do not, and open
   * no access to personal data).
   */
  candidacyId?: string | null;
  /** Set only on evaluations imported with a legacy certificate: the audit trail. */
  provenance?: ImportProvenance | null;
  /**
   * The version of the body's evaluation procedure (safeguard 2) it followed:
   * the body's current APPROVED one when it was recorded. Null on imported
   * evaluations, on older ones, and under an accreditation activated before
   * procedures existed while the body has none approved yet.
   */
  procedureVersion?: number | null;
  /**
   * The independent body the evaluating body asked to certify it
   * (requestCertification), if any: its staff may then read the evaluation.
   */
  certificationRequest?: CertificationRequest | null;
}

/** An evaluating body's request that another body certify one of its evaluations. */
export interface CertificationRequest {
  certifyingBodyId: string;
  requestedBy: string;
  requestedAt: Date;
}

/** Evidence is a summary; portfolios live elsewhere. 4000 characters bounds the document. */
export const MAX_EVIDENCE_LENGTH = 4_000;

export const recordEvaluationInput = z.object({
  certifyingBodyId: entityId,
  candidateId: entityId,
  standardId: entityId,
  evidenceSummary: z
    .string()
    .trim()
    .min(10, 'must have at least 10 characters')
    .max(
      MAX_EVIDENCE_LENGTH,
      `must have at most ${MAX_EVIDENCE_LENGTH} characters`,
    ),
  result: z.enum(EVALUATION_RESULTS),
  evaluatedAt: z.date(),
});
export type RecordEvaluationInput = z.output<typeof recordEvaluationInput>;

// Clocks of the evaluator's device and the server differ a little.
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Records an evaluation. The caller has already been checked as an EVALUATOR
 * of the body; here: not evaluating themself, not in the future, only for a
 * candidate whose candidacy with the body for the standard is ACCEPTED (by the
 * person, or registered by an admin), and only under an ACTIVE accreditation
 * for a PUBLISHED standard.
 *
 * @throws InvalidInputError EVALUATED_IN_FUTURE
 * @throws ForbiddenError EVALUATOR_IS_CANDIDATE
 * @throws RelationshipError NO_CANDIDACY (FORBIDDEN), CANDIDACY_NOT_ACCEPTED (CONFLICT)
 * @throws ConflictError ACCREDITATION_NOT_ACTIVE,
 *   NOT_ACCREDITED_FOR_EVALUATION (the body's ACTIVE accreditation is for
 *   certification only), STANDARD_NOT_PUBLISHED
 */
export function recordEvaluation(
  input: RecordEvaluationInput,
  {
    id,
    now,
    evaluatorSubject,
    accreditation,
    standard,
    candidacy,
    procedureVersion,
  }: {
    /** The version of the body's current APPROVED procedure; null (default) when it has none. */
    procedureVersion?: number | null;
    id: string;
    now: Date;
    evaluatorSubject: string;
    /** The candidacy of the candidate with the body for the standard, if any. */
    candidacy: Candidacy | null;
    accreditation: Accreditation | null;
    standard: StandardView | null;
  },
): Evaluation {
  if (input.evaluatedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new InvalidInputError(
      'input.evaluatedAt',
      'must not be in the future',
      'EVALUATED_IN_FUTURE',
    );
  }
  if (evaluatorSubject === input.candidateId) {
    throw new ForbiddenError(
      'An evaluator cannot evaluate themself',
      'EVALUATOR_IS_CANDIDATE',
    );
  }
  const accepted = requireAcceptedCandidacy(candidacy);
  requireActiveScope(accreditation, 'EVALUATION');
  if (!standard || standard.status !== 'PUBLISHED') {
    throw new ConflictError(
      'STANDARD_NOT_PUBLISHED',
      `Standard ${input.standardId} is not PUBLISHED`,
    );
  }
  return {
    id,
    ...input,
    evaluatorSubject,
    recordedAt: now,
    candidacyId: accepted.id,
    procedureVersion: procedureVersion ?? null,
    certificationRequest: null,
  };
}

/**
 * Whether two bodies are one: the same body, or bodies of the same
 * organization of the directory (an organization acts as one body today; the
 * rule does not rely on it).
 */
export function sameBody(
  a: Pick<CertifyingBody, 'id' | 'organizationId'>,
  b: Pick<CertifyingBody, 'id' | 'organizationId'>,
): boolean {
  return a.id === b.id || a.organizationId === b.organizationId;
}

/**
 * The evaluating body asks an independent body to certify its evaluation
 * (the third-party path): the evaluation is COMPETENT and not yet
 * certified, the other body is another organization with an ACTIVE
 * accreditation for the standard that allows CERTIFICATION. A later request
 * replaces an earlier one (the first body may not act).
 *
 * @throws ForbiddenError CENTRE_CERTIFIES_ITSELF when the body asked is the evaluating body or of its organization
 * @throws ConflictError EVALUATION_NOT_COMPETENT, EVALUATION_ALREADY_CERTIFIED,
 *   ACCREDITATION_NOT_ACTIVE or NOT_ACCREDITED_FOR_CERTIFICATION (of the body asked, on certifyingBodyId)
 */
export function requestCertification(
  evaluation: Evaluation,
  {
    evaluatingBody,
    certifyingBody,
    certifyingAccreditation,
    certified,
    requestedBy,
    now,
  }: {
    evaluatingBody: CertifyingBody;
    certifyingBody: CertifyingBody;
    /** The certifying body's accreditation for the evaluation's standard. */
    certifyingAccreditation: Accreditation | null;
    /** Whether the evaluation already has a certificate. */
    certified: boolean;
    requestedBy: string;
    now: Date;
  },
): Evaluation {
  if (sameBody(evaluatingBody, certifyingBody)) {
    throw new ForbiddenError(
      'An evaluation is certified by an independent body: not by the body that evaluated, nor one of its organization',
      'CENTRE_CERTIFIES_ITSELF',
    );
  }
  if (evaluation.result !== 'COMPETENT') {
    throw new ConflictError(
      'EVALUATION_NOT_COMPETENT',
      'Only a COMPETENT evaluation can be certified',
    );
  }
  if (certified) {
    throw new ConflictError(
      'EVALUATION_ALREADY_CERTIFIED',
      `Evaluation ${evaluation.id} already has a certificate`,
    );
  }
  requireActiveScope(
    certifyingAccreditation,
    'CERTIFICATION',
    'certifyingBodyId',
  );
  return {
    ...evaluation,
    certificationRequest: {
      certifyingBodyId: certifyingBody.id,
      requestedBy,
      requestedAt: now,
    },
  };
}
