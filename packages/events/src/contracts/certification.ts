import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, isoDateTime, mexicanStateCode } from './common';

// Certification events never carry personal data (CURP, names, contact details):
// other services reference people by id. Initials are what the public may see.

/** Kinds of organization acting as a certifying body. */
export const CERTIFYING_BODY_KINDS = [
  'UNIVERSITY',
  'VOCATIONAL_SCHOOL',
  'EMPLOYER',
  'CHAMBER',
  'TRADE_UNION',
  'THIRD_PARTY',
] as const;

/** What a staff member of a certifying body may do. */
export const STAFF_ROLES = ['EVALUATOR', 'CERTIFIER'] as const;

/**
 * What an accreditation allows (issue 15, item 5): evaluation centres EVALUATE,
 * independent certifying bodies CERTIFY, full bodies both.
 */
export const ACCREDITATION_SCOPES = ['EVALUATION', 'CERTIFICATION'] as const;

/** Outcome of an evaluation against a standard. */
export const EVALUATION_RESULTS = ['COMPETENT', 'NOT_YET_COMPETENT'] as const;

const initials = z.string().trim().min(1).max(20);
const reason = z.string().trim().min(1).max(2_000);

/** A person joined the registry of candidates (no personal data: id and initials). */
export const PersonRegisteredV1 = defineEvent({
  type: 'certification.PersonRegistered',
  version: 1,
  description:
    'A person joined the registry of candidates. Carries no personal data: id and initials only.',
  data: z.object({ id: entityId, initials, registeredAt: isoDateTime }),
});

/** An organization became a certifying body. */
export const CertifyingBodyRegisteredV1 = defineEvent({
  type: 'certification.CertifyingBodyRegistered',
  version: 1,
  description:
    'An organization of the directory was registered as a certifying body.',
  data: z.object({
    id: entityId,
    organizationId: entityId,
    name: z.string().trim().min(1),
    kind: z.enum(CERTIFYING_BODY_KINDS),
    /** States where it has evaluation facilities. */
    facilityStates: z.array(mexicanStateCode),
    registeredAt: isoDateTime,
  }),
});

/** A certifying body's staff, facilities or fee schedule changed (the new state, whole). */
export const CertifyingBodyChangedV1 = defineEvent({
  type: 'certification.CertifyingBodyChanged',
  version: 1,
  description:
    "A certifying body's staff, evaluation facilities or fee schedule changed; carries the new state.",
  data: z.object({
    id: entityId,
    facilityStates: z.array(mexicanStateCode),
    staff: z.array(
      z.object({
        subject: z.string().min(1),
        roles: z.array(z.enum(STAFF_ROLES)).min(1),
      }),
    ),
    /** Fee per standard, integer centavos (MXN). */
    fees: z.array(
      z.object({
        standardId: entityId,
        amountCentavos: z.number().int().min(0),
      }),
    ),
    changedAt: isoDateTime,
  }),
});

const accreditationRef = {
  id: entityId,
  certifyingBodyId: entityId,
  organizationId: entityId,
  standardId: entityId,
  /**
   * What it allows. Optional, added without a version bump: events published
   * before scopes existed have none, and such an accreditation allows both.
   */
  scopes: z.array(z.enum(ACCREDITATION_SCOPES)).min(1).optional(),
};

/** A certifying body asked to be accredited for a standard (PENDING). */
export const AccreditationRequestedV1 = defineEvent({
  type: 'certification.AccreditationRequested',
  version: 1,
  description:
    'A certifying body asked to be accredited for a standard (PENDING).',
  data: z.object({ ...accreditationRef, requestedAt: isoDateTime }),
});

/** An accreditation became ACTIVE: the body may evaluate and certify against the standard. */
export const AccreditationActivatedV1 = defineEvent({
  type: 'certification.AccreditationActivated',
  version: 1,
  description:
    'An accreditation became ACTIVE (standard PUBLISHED, body nominated with at least two others).',
  data: z.object({ ...accreditationRef, activatedAt: isoDateTime }),
});

/** An ACTIVE accreditation was suspended. */
export const AccreditationSuspendedV1 = defineEvent({
  type: 'certification.AccreditationSuspended',
  version: 1,
  description:
    'An accreditation was suspended: no evaluations or certificates until reactivated.',
  data: z.object({ ...accreditationRef, reason, suspendedAt: isoDateTime }),
});

/** An accreditation was revoked, permanently. */
export const AccreditationRevokedV1 = defineEvent({
  type: 'certification.AccreditationRevoked',
  version: 1,
  description: 'An accreditation was revoked, permanently.',
  data: z.object({ ...accreditationRef, reason, revokedAt: isoDateTime }),
});

/** An evaluator recorded the result of a candidate's evaluation (no evidence: it may hold personal data). */
export const EvaluationRecordedV1 = defineEvent({
  type: 'certification.EvaluationRecorded',
  version: 1,
  description:
    "An evaluator recorded a candidate's evaluation against a standard. Evidence stays in certification.",
  data: z.object({
    id: entityId,
    personId: entityId,
    standardId: entityId,
    certifyingBodyId: entityId,
    result: z.enum(EVALUATION_RESULTS),
    evaluatedAt: isoDateTime,
    /**
     * The version of the body's approved evaluation procedure it followed
     * (safeguard 2). Optional, added without a version bump: absent on events
     * published before, and when the body had no approved procedure yet.
     */
    procedureVersion: z.number().int().min(1).optional(),
  }),
});

/** A certificate was issued for a COMPETENT evaluation. Training and outcomes consume it. */
export const CertificateIssuedV1 = defineEvent({
  type: 'certification.CertificateIssued',
  version: 1,
  description:
    'A certificate of competence was issued for a COMPETENT evaluation. No personal data.',
  data: z.object({
    id: entityId,
    personId: entityId,
    standardId: entityId,
    /** The body that certified (the credential's issuer). */
    certifyingBodyId: entityId,
    /**
     * The body that evaluated, when an independent body certified an
     * evaluation centre's evaluation. Optional, added without a version bump:
     * absent when the certifying body evaluated (and on events published before).
     */
    evaluatingBodyId: entityId.optional(),
    evaluationId: entityId,
    /** When it was issued; the historical date for an imported certificate. */
    issuedAt: isoDateTime,
    expiresAt: isoDateTime,
    /**
     * Set only on a certificate imported from a legacy registry (certification's
     * `importHistoricalCertificates`): the registry, the record's folio there
     * (`reference`), and when it was imported. Absent on certificates issued live.
     * Optional, so v1 consumers that do not know it keep parsing the events.
     */
    imported: z
      .object({
        source: z.string().trim().min(1),
        reference: z.string().trim().min(1),
        importedAt: isoDateTime,
      })
      .optional(),
  }),
});

/** A certificate was revoked, permanently. */
export const CertificateRevokedV1 = defineEvent({
  type: 'certification.CertificateRevoked',
  version: 1,
  description: 'A certificate was revoked, permanently, with a reason.',
  data: z.object({
    id: entityId,
    personId: entityId,
    standardId: entityId,
    certifyingBodyId: entityId,
    reason,
    revokedAt: isoDateTime,
  }),
});

export const CertificateSuspendedV1 = defineEvent({
  type: 'certification.CertificateSuspended',
  version: 1,
  description:
    'A certificate was suspended, with a reason: not to be relied on until it is reinstated (or revoked).',
  data: z.object({
    id: entityId,
    personId: entityId,
    standardId: entityId,
    certifyingBodyId: entityId,
    reason,
    suspendedAt: isoDateTime,
  }),
});

export const CertificateReinstatedV1 = defineEvent({
  type: 'certification.CertificateReinstated',
  version: 1,
  description:
    'A suspended certificate was reinstated, with a reason: its suspension is lifted.',
  data: z.object({
    id: entityId,
    personId: entityId,
    standardId: entityId,
    certifyingBodyId: entityId,
    reason,
    /** When the suspension now lifted had begun. */
    suspendedAt: isoDateTime,
    reinstatedAt: isoDateTime,
  }),
});

/** How an ACCEPTED candidacy was opened: the person accepted it, or an admin registered it. */
export const CANDIDACY_OPENINGS = [
  'PERSON_ACCEPTED',
  'ADMIN_REGISTERED',
] as const;

const candidacyRef = {
  id: entityId,
  personId: entityId,
  certifyingBodyId: entityId,
  standardId: entityId,
};

/** A certifying body's staff proposed a candidacy of a person for a standard (PROPOSED). */
export const CandidacyProposedV1 = defineEvent({
  type: 'certification.CandidacyProposed',
  version: 1,
  description:
    "A certifying body's staff proposed to evaluate a person against a standard; the person has not answered. No personal data.",
  data: z.object({ ...candidacyRef, proposedAt: isoDateTime }),
});

/** A candidacy became ACCEPTED: the person accepted it, or an admin registered it. */
export const CandidacyAcceptedV1 = defineEvent({
  type: 'certification.CandidacyAccepted',
  version: 1,
  description:
    'A candidacy was accepted by the person or registered by an admin: the body may evaluate the person (and read their personal data while the relationship is open or recent).',
  data: z.object({
    ...candidacyRef,
    openedBy: z.enum(CANDIDACY_OPENINGS),
    acceptedAt: isoDateTime,
  }),
});

/** The person declined a candidacy (final). */
export const CandidacyDeclinedV1 = defineEvent({
  type: 'certification.CandidacyDeclined',
  version: 1,
  description: 'The person declined a candidacy; it opens nothing.',
  data: z.object({ ...candidacyRef, declinedAt: isoDateTime }),
});

const procedureRef = {
  id: entityId,
  certifyingBodyId: entityId,
  version: z.number().int().min(1),
  documentUrl: z.string().url(),
  /** SHA-256 of the document, 64 lowercase hex digits. */
  documentSha256: z.string().regex(/^[0-9a-f]{64}$/),
};

/** A certifying body submitted a version of its evaluation procedure for review (safeguard 2). */
export const EvaluationProcedureSubmittedV1 = defineEvent({
  type: 'certification.EvaluationProcedureSubmitted',
  version: 1,
  description:
    'A certifying body submitted a version of its evaluation procedure (a document, by URL and SHA-256) for an admin to review.',
  data: z.object({ ...procedureRef, submittedAt: isoDateTime }),
});

/** An admin approved a version of a body's evaluation procedure: it is the body's current one. */
export const EvaluationProcedureApprovedV1 = defineEvent({
  type: 'certification.EvaluationProcedureApproved',
  version: 1,
  description:
    "An admin approved a version of a certifying body's evaluation procedure; it supersedes any older approved version (nothing is suspended). Accreditations of the body may become ACTIVE.",
  data: z.object({
    ...procedureRef,
    approvedBy: z.string().min(1),
    approvedAt: isoDateTime,
  }),
});

/** An admin rejected a submitted version of a body's evaluation procedure. */
export const EvaluationProcedureRejectedV1 = defineEvent({
  type: 'certification.EvaluationProcedureRejected',
  version: 1,
  description:
    "An admin rejected a submitted version of a certifying body's evaluation procedure, with a reason.",
  data: z.object({
    ...procedureRef,
    reason,
    rejectedBy: z.string().min(1),
    rejectedAt: isoDateTime,
  }),
});

/** An evaluating body asked an independent body to certify one of its evaluations. */
export const CertificationRequestedV1 = defineEvent({
  type: 'certification.CertificationRequested',
  version: 1,
  description:
    'An evaluation centre asked an independent certifying body, accredited for certification, to certify one of its COMPETENT evaluations. No personal data.',
  data: z.object({
    evaluationId: entityId,
    personId: entityId,
    standardId: entityId,
    evaluatingBodyId: entityId,
    certifyingBodyId: entityId,
    requestedAt: isoDateTime,
  }),
});

/** Every certification contract, every version. */
export const certificationContracts = [
  PersonRegisteredV1,
  CertifyingBodyRegisteredV1,
  CertifyingBodyChangedV1,
  AccreditationRequestedV1,
  AccreditationActivatedV1,
  AccreditationSuspendedV1,
  AccreditationRevokedV1,
  EvaluationRecordedV1,
  CertificateIssuedV1,
  CertificateRevokedV1,
  CandidacyProposedV1,
  CandidacyAcceptedV1,
  CandidacyDeclinedV1,
  CertificateSuspendedV1,
  CertificateReinstatedV1,
  EvaluationProcedureSubmittedV1,
  EvaluationProcedureApprovedV1,
  EvaluationProcedureRejectedV1,
  CertificationRequestedV1,
] as const;
