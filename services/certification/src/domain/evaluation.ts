import { z } from 'zod';
import { EVALUATION_RESULTS, entityId } from '@conecta/events/contracts';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
} from '@conecta/service-kit/errors';
import type { Accreditation } from './accreditation';
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
 * @throws ConflictError ACCREDITATION_NOT_ACTIVE, STANDARD_NOT_PUBLISHED
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
  }: {
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
  if (!accreditation || accreditation.status !== 'ACTIVE') {
    throw new ConflictError(
      'ACCREDITATION_NOT_ACTIVE',
      'The body has no ACTIVE accreditation for this standard',
    );
  }
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
  };
}
