import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { stateMachine } from '@conecta/service-kit/errors';
import { reasonInput } from './accreditation';

// Safeguard 2 (issue 15, item 5): each certifying body evaluates by a written
// procedure, a versioned document an admin approves; an accreditation becomes
// ACTIVE only once the body has one APPROVED (README: Third-party
// certification path).

export type EvaluationProcedureStatus =
  'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'REJECTED';

/** One version of a body's evaluation procedure: a document, identified by its URL and SHA-256. */
export interface EvaluationProcedure {
  id: string;
  certifyingBodyId: string;
  /** 1, 2, … per body, in the order drafted. */
  version: number;
  documentUrl: string;
  /** SHA-256 of the document's bytes, 64 lowercase hex digits: what was approved is exactly this. */
  documentSha256: string;
  status: EvaluationProcedureStatus;
  draftedBy: string;
  draftedAt: Date;
  submittedAt: Date | null;
  /** The admin who approved or rejected it. */
  reviewedBy: string | null;
  reviewedAt: Date | null;
  rejectionReason: string | null;
}

export const draftEvaluationProcedureInput = z.object({
  certifyingBodyId: entityId,
  documentUrl: z
    .string()
    .trim()
    .max(2_000, 'must have at most 2000 characters')
    .url('must be an absolute URL')
    // The document must be fetchable by whoever audits it, over TLS.
    .refine((url) => url.startsWith('https://'), 'must be an https:// URL'),
  documentSha256: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in 64 hexadecimal digits'),
});
export type DraftEvaluationProcedureInput = z.output<
  typeof draftEvaluationProcedureInput
>;

export const rejectionInput = z.object({ reason: reasonInput });

/** DRAFT → SUBMITTED → APPROVED | REJECTED; approved and rejected versions are final. */
export const PROCEDURE_LIFECYCLE = stateMachine<EvaluationProcedureStatus>(
  {
    DRAFT: ['SUBMITTED'],
    SUBMITTED: ['APPROVED', 'REJECTED'],
    APPROVED: [],
    REJECTED: [],
  },
  (from, to) => ({
    code: 'PROCEDURE_TRANSITION_NOT_ALLOWED',
    message: `An evaluation procedure in status ${from} cannot become ${to}`,
  }),
);

/**
 * A new DRAFT version of the body's procedure: the next version after
 * `latestVersion` (0 when the body has none).
 */
export function draftEvaluationProcedure(
  input: DraftEvaluationProcedureInput,
  {
    id,
    now,
    draftedBy,
    latestVersion,
  }: { id: string; now: Date; draftedBy: string; latestVersion: number },
): EvaluationProcedure {
  return {
    id,
    ...input,
    version: latestVersion + 1,
    status: 'DRAFT',
    draftedBy,
    draftedAt: now,
    submittedAt: null,
    reviewedBy: null,
    reviewedAt: null,
    rejectionReason: null,
  };
}

/** The body submits a DRAFT for an admin's review. */
export function submitEvaluationProcedure(
  procedure: EvaluationProcedure,
  now: Date,
): EvaluationProcedure {
  PROCEDURE_LIFECYCLE.assert(procedure.status, 'SUBMITTED');
  return { ...procedure, status: 'SUBMITTED', submittedAt: now };
}

/**
 * An admin approves a SUBMITTED version. An older approved version is not
 * changed: the highest approved version is the current one
 * ({@link currentProcedure}), so nothing the older one allowed is suspended.
 */
export function approveEvaluationProcedure(
  procedure: EvaluationProcedure,
  { admin, now }: { admin: string; now: Date },
): EvaluationProcedure {
  PROCEDURE_LIFECYCLE.assert(procedure.status, 'APPROVED');
  return {
    ...procedure,
    status: 'APPROVED',
    reviewedBy: admin,
    reviewedAt: now,
  };
}

/** An admin rejects a SUBMITTED version, with a reason (the body drafts a new version). */
export function rejectEvaluationProcedure(
  procedure: EvaluationProcedure,
  { admin, now, reason }: { admin: string; now: Date; reason: string },
): EvaluationProcedure {
  PROCEDURE_LIFECYCLE.assert(procedure.status, 'REJECTED');
  return {
    ...procedure,
    status: 'REJECTED',
    reviewedBy: admin,
    reviewedAt: now,
    rejectionReason: reason,
  };
}

/** The body's current procedure: its APPROVED version with the highest number, or null. */
export function currentProcedure(
  procedures: readonly EvaluationProcedure[],
): EvaluationProcedure | null {
  let current: EvaluationProcedure | null = null;
  for (const p of procedures)
    if (p.status === 'APPROVED' && (!current || p.version > current.version))
      current = p;
  return current;
}

/** The highest version the body has drafted (0 when none). */
export function latestVersion(
  procedures: readonly Pick<EvaluationProcedure, 'version'>[],
): number {
  return procedures.reduce((max, p) => Math.max(max, p.version), 0);
}

/**
 * Whether `procedure` was superseded: an APPROVED version below the body's
 * current one. Superseded versions stay APPROVED (evaluations recorded under
 * them keep naming them).
 */
export function isSuperseded(
  procedure: EvaluationProcedure,
  procedures: readonly EvaluationProcedure[],
): boolean {
  const current = currentProcedure(procedures);
  return (
    procedure.status === 'APPROVED' &&
    current !== null &&
    current.version > procedure.version
  );
}
