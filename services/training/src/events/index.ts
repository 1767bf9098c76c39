import {
  AgreementSignedV1,
  AttendanceRecordedV1,
  CohortCancelledV1,
  CohortCapacityChangedV1,
  CohortCompletedV1,
  CohortScheduledV1,
  CohortStartedV1,
  DemandAggregatedV1,
  DemandCancelledV1,
  DemandFulfilledV1,
  DemandReleasedV1,
  DemandRequestedV1,
  EnrollmentCompletedV1,
  EnrollmentDroppedV1,
  ExamVoucherIssuedV1,
  ExamVoucherUsedV1,
  ParticipantEnrolledV1,
  ProjectApprovedV1,
  ProjectClosedV1,
  ProjectDemandWithdrawnV1,
  ProjectDraftedV1,
  ProjectRejectedV1,
  ProjectSubmittedV1,
  VendorCredentialRegisteredV1,
  VendorExamRecordedV1,
  createEventBuilders,
  eventRow,
  type EventEnvelope,
} from '@conecta/events';
import type { Agreement, VendorCredential } from '../domain/catalog';
import type { Cohort, CohortProvenance } from '../domain/cohort';
import { endOfCohort } from '../domain/cohort-history';
import { isoDay, type Target } from '../domain/common';
import type { DemandProvenance, DemandRequest } from '../domain/demand';
import type { Enrollment } from '../domain/enrollment';
import type { ProjectCost, TrainingProject } from '../domain/project';

/** Where an event came from: ties it to the request that caused it. */
export interface EventMeta {
  traceId?: string;
  /** When the command decided: the `…At` of an event about a change made now. */
  now: Date;
}

/** The `imported` part of an event of history: the register, the record's reference, when. */
interface Imported {
  source: string;
  reference: string;
  importedAt: string;
}

const at = (d: Date) => d.toISOString();

const targetData = (t: Target) => ({
  targetKind: t.kind,
  ...(t.kind === 'STANDARD' ? { standardId: t.id } : { credentialId: t.id }),
});

const ref = (e: Enrollment) => ({
  id: e.id,
  cohortId: e.cohortId,
  personId: e.personId,
});

/** What `CohortScheduled` says of a cohort (live or imported). */
const cohortScheduledData = (c: Cohort) => ({
  id: c.id,
  agreementId: c.agreementId,
  ...(c.projectId && { projectId: c.projectId }),
  venueId: c.venueId,
  ...(c.state && { state: c.state }),
  ...(c.city && { city: c.city }),
  mode: c.mode,
  ...targetData(c.target),
  startsOn: isoDay(c.startsOn),
  endsOn: isoDay(c.endsOn),
  capacity: c.capacity,
  scheduledAt: at(c.scheduledAt),
});

/** The `imported` part of a demand event: the register, the reference, when. */
const importedDemand = (p: DemandProvenance): Imported => ({
  source: p.source,
  reference: p.reference,
  importedAt: at(p.importedAt),
});

/** The `imported` part of an imported cohort's events: the register, the folio, when. */
const importedCohort = (p: CohortProvenance): Imported => ({
  source: p.source,
  reference: p.folio,
  importedAt: at(p.importedAt),
});

/**
 * What training publishes to `conecta.training.events`: one row per builder,
 * typed by its contract (`packages/events/src/contracts/training.ts`). A row
 * gives the event's data from the builder's arguments, the `EventMeta` last;
 * the key is the data's `id` (the aggregate's: the enrollment's for
 * enrollment events), `occurredAt` the entity's date where a row names one,
 * else when the event is built. `createEventBuilders` (@conecta/events)
 * makes and validates the envelopes.
 */
const LIVE = {
  credentialRegistered: eventRow(VendorCredentialRegisteredV1, {
    occurredAt: (c) => c.registeredAt,
    data: (c: VendorCredential, _m: EventMeta) => ({
      id: c.id,
      vendor: c.vendor,
      name: c.name,
      code: c.code,
      examMarketPriceCentavos: c.examMarketPriceCentavos,
      trainingMarketPriceCentavos: c.trainingMarketPriceCentavos,
      ...(c.standardId && { standardId: c.standardId }),
      registeredAt: at(c.registeredAt),
    }),
  }),

  /** Live, or imported (then with `imported`, at its historical date). */
  demandRequested: eventRow(DemandRequestedV1, {
    occurredAt: (d) => d.requestedAt,
    data: (d: DemandRequest, _m: EventMeta) => ({
      id: d.id,
      requesterId: d.requesterId,
      state: d.state,
      city: d.city,
      ...targetData(d.target),
      headcount: d.headcount,
      neededBy: isoDay(d.neededBy),
      requestedAt: at(d.requestedAt),
      ...(d.provenance && { imported: importedDemand(d.provenance) }),
    }),
  }),

  demandAggregated: eventRow(DemandAggregatedV1, {
    data: (d: DemandRequest, projectId: string, m: EventMeta) => ({
      id: d.id,
      projectId,
      aggregatedAt: at(m.now),
    }),
  }),

  demandReleased: eventRow(DemandReleasedV1, {
    data: (d: DemandRequest, projectId: string, m: EventMeta) => ({
      id: d.id,
      projectId,
      releasedAt: at(m.now),
    }),
  }),

  demandFulfilled: eventRow(DemandFulfilledV1, {
    data: (d: DemandRequest, projectId: string, m: EventMeta) => ({
      id: d.id,
      projectId,
      fulfilledAt: at(m.now),
    }),
  }),

  demandCancelled: eventRow(DemandCancelledV1, {
    data: (d: DemandRequest, m: EventMeta) => ({
      id: d.id,
      reason: d.cancellationReason ?? 'cancelled',
      cancelledAt: at(m.now),
    }),
  }),

  agreementSigned: eventRow(AgreementSignedV1, {
    occurredAt: (a) => a.signedAt,
    data: (a: Agreement, _m: EventMeta) => ({
      id: a.id,
      providerId: a.providerId,
      ...targetData(a.target),
      discountBps: a.discountBps,
      extraTrainingHours: a.extraTrainingHours,
      examVouchersPerParticipant: a.examVouchersPerParticipant,
      marketPriceCentavos: a.marketPriceCentavos,
      validFrom: isoDay(a.validFrom),
      validUntil: isoDay(a.validUntil),
      minCohortSize: a.minCohortSize,
      states: a.states,
      online: a.online,
      signedAt: at(a.signedAt),
    }),
  }),

  projectDrafted: eventRow(ProjectDraftedV1, {
    occurredAt: (p) => p.draftedAt,
    data: (p: TrainingProject, cost: ProjectCost, _m: EventMeta) => ({
      id: p.id,
      name: p.name,
      fundName: p.fundName,
      agreementId: p.agreementId,
      demandRequestIds: p.demandRequestIds,
      participants: p.participants,
      brokerMarkupBps: p.brokerMarkupBps,
      requestedFundShareBps: p.requestedFundShareBps,
      totalCentavos: cost.project.totalCentavos,
      draftedAt: at(p.draftedAt),
    }),
  }),

  projectSubmitted: eventRow(ProjectSubmittedV1, {
    data: (p: TrainingProject, m: EventMeta) => ({
      id: p.id,
      submittedAt: at(m.now),
    }),
  }),

  projectApproved: eventRow(ProjectApprovedV1, {
    data: (p: TrainingProject, cost: ProjectCost, m: EventMeta) => ({
      id: p.id,
      approvedFundShareBps: p.approvedFundShareBps ?? 0,
      fundContributionCentavos: cost.project.fundContributionCentavos,
      approvedAt: at(m.now),
    }),
  }),

  projectRejected: eventRow(ProjectRejectedV1, {
    data: (p: TrainingProject, m: EventMeta) => ({
      id: p.id,
      reason: p.rejectionReason ?? 'rejected',
      rejectedAt: at(m.now),
    }),
  }),

  /** With `settlement` when the project had a funding split. */
  projectClosed: eventRow(ProjectClosedV1, {
    data: (p: TrainingProject, m: EventMeta) => ({
      id: p.id,
      closedAt: at(m.now),
      ...(p.settlement && {
        settlement: {
          contributionCentavos: p.settlement.contributionCentavos,
          upfrontBps: p.settlement.upfrontBps,
          upfrontCentavos: p.settlement.upfrontCentavos,
          perCertifiedCentavos: p.settlement.perCertifiedCentavos,
          certified: p.settlement.certified,
          owedCentavos: p.settlement.owedCentavos,
          unpaidCentavos: p.settlement.unpaidCentavos,
        },
      }),
    }),
  }),

  projectDemandWithdrawn: eventRow(ProjectDemandWithdrawnV1, {
    data: (
      p: TrainingProject,
      demandRequestId: string,
      cost: ProjectCost,
      m: EventMeta,
    ) => ({
      id: p.id,
      demandRequestId,
      demandRequestIds: p.demandRequestIds,
      participants: p.participants,
      totalCentavos: cost.project.totalCentavos,
      withdrawnAt: at(m.now),
    }),
  }),

  cohortScheduled: eventRow(CohortScheduledV1, {
    occurredAt: (c) => c.scheduledAt,
    data: (c: Cohort, _m: EventMeta) => cohortScheduledData(c),
  }),

  cohortCapacityChanged: eventRow(CohortCapacityChangedV1, {
    data: (c: Cohort, m: EventMeta) => ({
      id: c.id,
      capacity: c.capacity,
      changedAt: at(m.now),
    }),
  }),

  cohortStarted: eventRow(CohortStartedV1, {
    data: (c: Cohort, m: EventMeta) => ({
      id: c.id,
      enrolled: c.enrolled,
      startedAt: at(m.now),
    }),
  }),

  cohortCompleted: eventRow(CohortCompletedV1, {
    data: (c: Cohort, m: EventMeta) => ({ id: c.id, completedAt: at(m.now) }),
  }),

  cohortCancelled: eventRow(CohortCancelledV1, {
    data: (c: Cohort, m: EventMeta) => ({
      id: c.id,
      reason: c.cancellationReason ?? 'cancelled',
      cancelledAt: at(m.now),
    }),
  }),

  participantEnrolled: eventRow(ParticipantEnrolledV1, {
    occurredAt: (e) => e.enrolledAt,
    data: (e: Enrollment, c: Cohort, _m: EventMeta) => ({
      ...ref(e),
      agreementId: c.agreementId,
      ...targetData(c.target),
      enrolledAt: at(e.enrolledAt),
    }),
  }),

  attendanceRecorded: eventRow(AttendanceRecordedV1, {
    data: (e: Enrollment, m: EventMeta) => ({
      ...ref(e),
      attendancePercent: e.attendancePercent ?? 0,
      recordedAt: at(m.now),
    }),
  }),

  voucherIssued: eventRow(ExamVoucherIssuedV1, {
    data: (e: Enrollment, m: EventMeta) => ({
      ...ref(e),
      issuedAt: at(m.now),
    }),
  }),

  voucherUsed: eventRow(ExamVoucherUsedV1, {
    data: (e: Enrollment, m: EventMeta) => ({ ...ref(e), usedAt: at(m.now) }),
  }),

  vendorExamRecorded: eventRow(VendorExamRecordedV1, {
    data: (e: Enrollment, m: EventMeta) => ({
      ...ref(e),
      passed: e.examPassed === true,
      recordedAt: at(m.now),
    }),
  }),

  enrollmentCompleted: eventRow(EnrollmentCompletedV1, {
    data: (e: Enrollment, m: EventMeta) => ({
      ...ref(e),
      ...(e.attendancePercent !== null && {
        attendancePercent: e.attendancePercent,
      }),
      completedAt: at(m.now),
    }),
  }),

  enrollmentDropped: eventRow(EnrollmentDroppedV1, {
    data: (e: Enrollment, m: EventMeta) => ({
      ...ref(e),
      reason: e.dropReason ?? 'dropped',
      droppedAt: at(m.now),
    }),
  }),
};

/**
 * The events of history (an import): what a live request, cohort or
 * enrollment emits over its life, each at its historical date and with
 * `imported`. Used by the two `…Imported` builders below, never alone.
 */
const HISTORY = {
  demandFulfilled: eventRow(DemandFulfilledV1, {
    occurredAt: (_d, closedAt) => closedAt,
    // No project: served before this system.
    data: (d: DemandRequest, closedAt: Date, i: Imported, _m: EventMeta) => ({
      id: d.id,
      fulfilledAt: at(closedAt),
      imported: i,
    }),
  }),

  demandCancelled: eventRow(DemandCancelledV1, {
    occurredAt: (_d, closedAt) => closedAt,
    data: (d: DemandRequest, closedAt: Date, i: Imported, _m: EventMeta) => ({
      id: d.id,
      reason: d.cancellationReason ?? 'cancelled',
      cancelledAt: at(closedAt),
      imported: i,
    }),
  }),

  cohortScheduled: eventRow(CohortScheduledV1, {
    occurredAt: (c) => c.scheduledAt,
    data: (c: Cohort, i: Imported, _m: EventMeta) => ({
      ...cohortScheduledData(c),
      imported: i,
    }),
  }),

  cohortStarted: eventRow(CohortStartedV1, {
    occurredAt: (c) => c.startsOn,
    data: (c: Cohort, enrolled: number, i: Imported, _m: EventMeta) => ({
      id: c.id,
      enrolled,
      startedAt: at(c.startsOn),
      imported: i,
    }),
  }),

  cohortCompleted: eventRow(CohortCompletedV1, {
    occurredAt: (_c, completedAt) => completedAt,
    data: (c: Cohort, completedAt: Date, i: Imported, _m: EventMeta) => ({
      id: c.id,
      completedAt: at(completedAt),
      imported: i,
    }),
  }),

  participantEnrolled: eventRow(ParticipantEnrolledV1, {
    occurredAt: (e) => e.enrolledAt,
    data: (e: Enrollment, c: Cohort, i: Imported, _m: EventMeta) => ({
      ...ref(e),
      agreementId: c.agreementId,
      ...targetData(c.target),
      enrolledAt: at(e.enrolledAt),
      imported: i,
    }),
  }),

  enrollmentCompleted: eventRow(EnrollmentCompletedV1, {
    occurredAt: (_e, completedAt) => completedAt,
    data: (e: Enrollment, completedAt: Date, i: Imported, _m: EventMeta) => ({
      ...ref(e),
      completedAt: at(completedAt),
      imported: i,
    }),
  }),

  enrollmentDropped: eventRow(EnrollmentDroppedV1, {
    occurredAt: (_e, droppedAt) => droppedAt,
    data: (e: Enrollment, droppedAt: Date, i: Imported, _m: EventMeta) => ({
      ...ref(e),
      reason: e.dropReason ?? 'dropped',
      droppedAt: at(droppedAt),
      imported: i,
    }),
  }),
};

/**
 * What training publishes to `conecta.training.events`, keyed by the aggregate
 * id: the builders of {@link LIVE}, and the two of an import. Events are
 * built and validated here and written by the stores inside the aggregate's
 * own document (outbox); the runtime's relay publishes them.
 */
export function createTrainingEvents() {
  const live = createEventBuilders(LIVE);
  const history = createEventBuilders(HISTORY);
  return {
    ...live,

    /**
     * What an imported (closed) request emits, as a live one does over its
     * life: `DemandRequested` at its historical requestedAt, then
     * `DemandFulfilled` or `DemandCancelled` at the register's closing date.
     * Both carry `imported` (register and reference) and occurred back then;
     * the fulfilment names no project (served before this system).
     */
    demandImported(
      d: DemandRequest & { provenance: DemandProvenance },
      m: EventMeta,
    ): EventEnvelope[] {
      const imported = importedDemand(d.provenance);
      const { closedAt } = d.provenance;
      if (d.status !== 'FULFILLED' && d.status !== 'CANCELLED')
        throw new Error(
          `an imported demand request is closed, not ${d.status}`,
        );
      const closed =
        d.status === 'FULFILLED'
          ? history.demandFulfilled(d, closedAt, imported, m)
          : history.demandCancelled(d, closedAt, imported, m);
      return [live.demandRequested(d, m), closed];
    },

    /**
     * What an imported past cohort emits, as a live one does over its life:
     * on the cohort, `CohortScheduled` and `CohortStarted` on its first day
     * and `CohortCompleted` at the end of its last; on each enrollment,
     * `ParticipantEnrolled` at its enrolledAt, then `EnrollmentCompleted` or
     * `EnrollmentDropped` on its outcome's day. Every event carries
     * `imported` (register and folio) and occurred back then.
     */
    cohortImported(
      c: Cohort & { provenance: CohortProvenance },
      enrollments: readonly Enrollment[],
      m: EventMeta,
    ): { cohort: EventEnvelope[]; enrollments: Map<string, EventEnvelope[]> } {
      const imported = importedCohort(c.provenance);
      const cohort = [
        history.cohortScheduled(c, imported, m),
        history.cohortStarted(c, enrollments.length, imported, m),
        history.cohortCompleted(c, endOfCohort(c), imported, m),
      ];
      const byEnrollment = new Map(
        enrollments.map((e) => {
          // Built in the order they happened (event ids are UUID v7).
          const enrolled = history.participantEnrolled(e, c, imported, m);
          const ended =
            e.status === 'COMPLETED' && e.completedAt
              ? history.enrollmentCompleted(e, e.completedAt, imported, m)
              : e.status === 'DROPPED' && e.droppedAt
                ? history.enrollmentDropped(e, e.droppedAt, imported, m)
                : null;
          if (!ended)
            throw new Error(
              `an imported enrollment is COMPLETED or DROPPED with its date, not ${e.status}`,
            );
          const events: EventEnvelope[] = [enrolled, ended];
          return [e.id, events] as const;
        }),
      );
      return { cohort, enrollments: byEnrollment };
    },
  };
}

export type TrainingEvents = ReturnType<typeof createTrainingEvents>;
