import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, isoDate, isoDateTime, mexicanStateCode } from './common';

// Training events carry no personal data: people are referenced by id.
// Money is integer centavos (MXN); rates are integer basis points (7000 = 70 %).

/** What a demand or a deal is for: a competency standard or a vendor credential. */
export const TARGET_KINDS = ['STANDARD', 'CREDENTIAL'] as const;

/** How a cohort is delivered. */
export const COHORT_MODES = ['IN_PERSON', 'ONLINE', 'HYBRID'] as const;

const centavos = z.number().int().min(0);
const bps = z.number().int().min(0).max(10_000);
const reason = z.string().trim().min(1).max(2_000);

/**
 * Set only on the events of what was imported from a legacy register rather
 * than recorded live: a demand request (training's `importDemandHistory`) or
 * a past cohort with its enrollments (`importCohortHistory`; `reference` is
 * the cohort's folio there) — the register, the record's reference, and when
 * it was imported. Absent on live events. Optional, so v1 consumers that do
 * not know it keep parsing the events; consumers that must not react to old
 * facts (notifications) check it.
 */
const importedRecord = z
  .object({
    source: z.string().trim().min(1),
    reference: z.string().trim().min(1),
    importedAt: isoDateTime,
  })
  .optional();

/** The target of a demand, agreement or cohort: exactly one of the ids, by kind. */
const target = {
  targetKind: z.enum(TARGET_KINDS),
  standardId: entityId.optional(),
  credentialId: entityId.optional(),
};

/** A vendor credential entered the catalog. */
export const VendorCredentialRegisteredV1 = defineEvent({
  type: 'training.VendorCredentialRegistered',
  version: 1,
  description:
    'A vendor credential (industry certification) entered the catalog with its exam and training market prices in centavos.',
  data: z.object({
    id: entityId,
    vendor: z.string().trim().min(1),
    name: z.string().trim().min(1),
    code: z.string().trim().min(1),
    examMarketPriceCentavos: centavos,
    trainingMarketPriceCentavos: centavos,
    /** The competency standard the credential is aligned with, if any. */
    standardId: entityId.optional(),
    registeredAt: isoDateTime,
  }),
});

/** An organization asked for training (OPEN). */
export const DemandRequestedV1 = defineEvent({
  type: 'training.DemandRequested',
  version: 1,
  description:
    'An organization (state government, industry cluster, company) asked for training: where, for what target, how many people, by when (OPEN).',
  data: z.object({
    id: entityId,
    requesterId: entityId,
    state: mexicanStateCode,
    city: z.string().trim().min(1),
    ...target,
    headcount: z.number().int().min(1),
    neededBy: isoDate,
    /** When it was asked for; the historical date for an imported request. */
    requestedAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A demand request was packaged into a training project (AGGREGATED). */
export const DemandAggregatedV1 = defineEvent({
  type: 'training.DemandAggregated',
  version: 1,
  description:
    'An OPEN demand request was packaged into a training project (AGGREGATED).',
  data: z.object({
    id: entityId,
    projectId: entityId,
    aggregatedAt: isoDateTime,
  }),
});

/** A demand request went back to OPEN (its project was rejected or could not be drafted). */
export const DemandReleasedV1 = defineEvent({
  type: 'training.DemandReleased',
  version: 1,
  description:
    'An AGGREGATED demand request went back to OPEN because its project was rejected or its drafting failed.',
  data: z.object({
    id: entityId,
    projectId: entityId,
    releasedAt: isoDateTime,
  }),
});

/** A demand request was served: its project closed after approval (FULFILLED). */
export const DemandFulfilledV1 = defineEvent({
  type: 'training.DemandFulfilled',
  version: 1,
  description:
    'A demand request was served: its approved project was closed (FULFILLED), or it was imported from a legacy register as fulfilled (no projectId).',
  data: z.object({
    id: entityId,
    /**
     * The approved project that served it. Absent only on a request imported
     * as already FULFILLED: it was served before this system, by no project here.
     */
    projectId: entityId.optional(),
    fulfilledAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A demand request was cancelled (CANCELLED). */
export const DemandCancelledV1 = defineEvent({
  type: 'training.DemandCancelled',
  version: 1,
  description:
    'A demand request was cancelled by its requester or a broker, or imported from a legacy register as cancelled.',
  data: z.object({
    id: entityId,
    reason,
    cancelledAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** The broker signed an agreement with a training provider. */
export const AgreementSignedV1 = defineEvent({
  type: 'training.AgreementSigned',
  version: 1,
  description:
    'The broker signed an agreement with a provider for a standard or credential: discount, extra hours, vouchers, validity, minimum cohort, states served or online.',
  data: z.object({
    id: entityId,
    providerId: entityId,
    ...target,
    discountBps: bps,
    extraTrainingHours: z.number().int().min(0),
    examVouchersPerParticipant: z.number().int().min(0),
    marketPriceCentavos: centavos,
    validFrom: isoDate,
    validUntil: isoDate,
    minCohortSize: z.number().int().min(1),
    states: z.array(mexicanStateCode),
    online: z.boolean(),
    signedAt: isoDateTime,
  }),
});

/** A broker drafted a training project from OPEN demand (DRAFT). */
export const ProjectDraftedV1 = defineEvent({
  type: 'training.ProjectDrafted',
  version: 1,
  description:
    'A broker drafted a training project aggregating OPEN demand requests into one application to a public fund (DRAFT).',
  data: z.object({
    id: entityId,
    name: z.string().trim().min(1),
    fundName: z.string().trim().min(1),
    agreementId: entityId,
    demandRequestIds: z.array(entityId).min(1),
    participants: z.number().int().min(1),
    brokerMarkupBps: bps,
    requestedFundShareBps: bps,
    totalCentavos: centavos,
    draftedAt: isoDateTime,
  }),
});

/** A project was submitted to its fund (SUBMITTED). */
export const ProjectSubmittedV1 = defineEvent({
  type: 'training.ProjectSubmitted',
  version: 1,
  description: 'A training project was submitted to its public fund.',
  data: z.object({ id: entityId, submittedAt: isoDateTime }),
});

/** The fund approved a project with a fund share (APPROVED). */
export const ProjectApprovedV1 = defineEvent({
  type: 'training.ProjectApproved',
  version: 1,
  description:
    'The public fund approved a training project with a fund share (never above 80 %) and its contribution in centavos.',
  data: z.object({
    id: entityId,
    approvedFundShareBps: bps,
    fundContributionCentavos: centavos,
    approvedAt: isoDateTime,
  }),
});

/** The fund rejected a project (REJECTED). */
export const ProjectRejectedV1 = defineEvent({
  type: 'training.ProjectRejected',
  version: 1,
  description:
    'The public fund rejected a training project; its demand requests go back to OPEN.',
  data: z.object({ id: entityId, reason, rejectedAt: isoDateTime }),
});

/**
 * What the fund owes a closed project under Prosoft's rule (training's
 * funding split): the upfront share of the approved contribution plus an
 * amount per trainee certified on the project's target standard, capped at
 * the contribution; `owedCentavos + unpaidCentavos = contributionCentavos`.
 * Set only when an approved project with a funding split closed (issue 17);
 * optional, so v1 consumers that do not know it keep parsing the event.
 */
const fundingSettlement = z
  .object({
    contributionCentavos: centavos,
    upfrontBps: bps,
    upfrontCentavos: centavos,
    perCertifiedCentavos: centavos,
    certified: z.number().int().min(0),
    owedCentavos: centavos,
    unpaidCentavos: centavos,
  })
  .optional();

/** A decided project was closed (CLOSED). */
export const ProjectClosedV1 = defineEvent({
  type: 'training.ProjectClosed',
  version: 1,
  description:
    'An approved or rejected training project was closed; if approved, its demand requests are FULFILLED, and with a funding split it carries what the fund owes (settlement).',
  data: z.object({
    id: entityId,
    closedAt: isoDateTime,
    settlement: fundingSettlement,
  }),
});

/** A cohort of an agreement was scheduled at a venue (SCHEDULED). */
export const CohortScheduledV1 = defineEvent({
  type: 'training.CohortScheduled',
  version: 1,
  description:
    'A cohort was scheduled: an agreement delivered at a venue (an organization facility), with dates, mode and capacity.',
  data: z.object({
    id: entityId,
    agreementId: entityId,
    projectId: entityId.optional(),
    venueId: entityId,
    state: mexicanStateCode.optional(),
    city: z.string().trim().min(1).optional(),
    mode: z.enum(COHORT_MODES),
    ...target,
    startsOn: isoDate,
    endsOn: isoDate,
    capacity: z.number().int().min(1),
    /** When it was scheduled; for an imported past cohort, its first day. */
    scheduledAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A scheduled cohort's capacity changed. */
export const CohortCapacityChangedV1 = defineEvent({
  type: 'training.CohortCapacityChanged',
  version: 1,
  description:
    "A scheduled cohort's capacity changed (never below its enrolled participants).",
  data: z.object({
    id: entityId,
    capacity: z.number().int().min(1),
    changedAt: isoDateTime,
  }),
});

/** A cohort started (RUNNING). */
export const CohortStartedV1 = defineEvent({
  type: 'training.CohortStarted',
  version: 1,
  description: 'A cohort started training (RUNNING).',
  data: z.object({
    id: entityId,
    enrolled: z.number().int().min(0),
    startedAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A cohort finished (COMPLETED). */
export const CohortCompletedV1 = defineEvent({
  type: 'training.CohortCompleted',
  version: 1,
  description: 'A running cohort finished its training (COMPLETED).',
  data: z.object({
    id: entityId,
    completedAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A cohort was cancelled (CANCELLED). */
export const CohortCancelledV1 = defineEvent({
  type: 'training.CohortCancelled',
  version: 1,
  description: 'A scheduled or running cohort was cancelled, with a reason.',
  data: z.object({ id: entityId, reason, cancelledAt: isoDateTime }),
});

const enrollmentRef = { id: entityId, cohortId: entityId, personId: entityId };

/** A person was enrolled in a cohort (ENROLLED). */
export const ParticipantEnrolledV1 = defineEvent({
  type: 'training.ParticipantEnrolled',
  version: 1,
  description:
    'A person (by id) was enrolled in a cohort (ENROLLED). Keyed by the enrollment id.',
  data: z.object({
    ...enrollmentRef,
    agreementId: entityId,
    ...target,
    /** When the person was enrolled; the historical date for an imported cohort. */
    enrolledAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A participant's attendance was recorded. */
export const AttendanceRecordedV1 = defineEvent({
  type: 'training.AttendanceRecorded',
  version: 1,
  description:
    "A participant's attendance (percentage of sessions) was recorded.",
  data: z.object({
    ...enrollmentRef,
    attendancePercent: z.number().int().min(0).max(100),
    recordedAt: isoDateTime,
  }),
});

/** A participant received an exam voucher. */
export const ExamVoucherIssuedV1 = defineEvent({
  type: 'training.ExamVoucherIssued',
  version: 1,
  description: 'A participant received a vendor exam voucher.',
  data: z.object({ ...enrollmentRef, issuedAt: isoDateTime }),
});

/** A participant used the exam voucher. */
export const ExamVoucherUsedV1 = defineEvent({
  type: 'training.ExamVoucherUsed',
  version: 1,
  description: 'A participant used the vendor exam voucher (sat the exam).',
  data: z.object({ ...enrollmentRef, usedAt: isoDateTime }),
});

/** A participant's vendor exam result was recorded. */
export const VendorExamRecordedV1 = defineEvent({
  type: 'training.VendorExamRecorded',
  version: 1,
  description:
    "A participant's vendor exam result (passed or not) was recorded.",
  data: z.object({
    ...enrollmentRef,
    passed: z.boolean(),
    recordedAt: isoDateTime,
  }),
});

/** A participant completed the training (COMPLETED). */
export const EnrollmentCompletedV1 = defineEvent({
  type: 'training.EnrollmentCompleted',
  version: 1,
  description: 'A participant completed the training (COMPLETED).',
  data: z.object({
    ...enrollmentRef,
    attendancePercent: z.number().int().min(0).max(100).optional(),
    /** When the participant completed; the historical date for an imported cohort. */
    completedAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A participant dropped out (DROPPED); the seat is freed. */
export const EnrollmentDroppedV1 = defineEvent({
  type: 'training.EnrollmentDropped',
  version: 1,
  description:
    'A participant dropped out of a cohort (DROPPED); the seat is freed.',
  data: z.object({
    ...enrollmentRef,
    reason,
    /** When the participant dropped out; the historical date for an imported cohort. */
    droppedAt: isoDateTime,
    imported: importedRecord,
  }),
});

/** A cancelled demand request left a DRAFT project (the project's participants shrank). */
export const ProjectDemandWithdrawnV1 = defineEvent({
  type: 'training.ProjectDemandWithdrawn',
  version: 1,
  description:
    'A demand request was cancelled while its training project was still DRAFT: the project no longer aggregates it, and its participants shrank by its headcount.',
  data: z.object({
    id: entityId,
    demandRequestId: entityId,
    demandRequestIds: z.array(entityId).min(1),
    participants: z.number().int().min(1),
    totalCentavos: centavos,
    withdrawnAt: isoDateTime,
  }),
});

/** Every training contract, every version. */
export const trainingContracts = [
  VendorCredentialRegisteredV1,
  DemandRequestedV1,
  DemandAggregatedV1,
  DemandReleasedV1,
  DemandFulfilledV1,
  DemandCancelledV1,
  AgreementSignedV1,
  ProjectDraftedV1,
  ProjectSubmittedV1,
  ProjectApprovedV1,
  ProjectRejectedV1,
  ProjectClosedV1,
  ProjectDemandWithdrawnV1,
  CohortScheduledV1,
  CohortCapacityChangedV1,
  CohortStartedV1,
  CohortCompletedV1,
  CohortCancelledV1,
  ParticipantEnrolledV1,
  AttendanceRecordedV1,
  ExamVoucherIssuedV1,
  ExamVoucherUsedV1,
  VendorExamRecordedV1,
  EnrollmentCompletedV1,
  EnrollmentDroppedV1,
] as const;
