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
  ProjectDraftedV1,
  ProjectRejectedV1,
  ProjectSubmittedV1,
  VendorCredentialRegisteredV1,
  VendorExamRecordedV1,
  newEvent,
  ProjectDemandWithdrawnV1,
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
  now: Date;
}

const targetData = (t: Target) => ({
  targetKind: t.kind,
  ...(t.kind === 'STANDARD' ? { standardId: t.id } : { credentialId: t.id }),
});

const at = (d: Date) => d.toISOString();

/** The `imported` part of a demand event: the register, the reference, when. */
const importedData = (p: DemandProvenance) => ({
  source: p.source,
  reference: p.reference,
  importedAt: at(p.importedAt),
});

/**
 * What training publishes to `conecta.training.events`, keyed by the aggregate
 * id. Events are built and validated here and written by the stores inside the
 * aggregate's own document (outbox); the runtime's relay publishes them.
 */
export function createTrainingEvents() {
  const meta = ({ traceId }: EventMeta) => ({ traceId });

  function demandRequested(d: DemandRequest, m: EventMeta): EventEnvelope {
    return newEvent(DemandRequestedV1, {
      subject: d.id,
      ...meta(m),
      occurredAt: d.requestedAt,
      data: {
        id: d.id,
        requesterId: d.requesterId,
        state: d.state,
        city: d.city,
        ...targetData(d.target),
        headcount: d.headcount,
        neededBy: isoDay(d.neededBy),
        requestedAt: at(d.requestedAt),
        ...(d.provenance && { imported: importedData(d.provenance) }),
      },
    });
  }

  /** The `imported` part of an imported cohort's events: the register, the folio, when. */
  const importedCohort = (p: CohortProvenance) => ({
    source: p.source,
    reference: p.folio,
    importedAt: at(p.importedAt),
  });

  return {
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
      const completedAt = endOfCohort(c);
      const cohort = [
        newEvent(CohortScheduledV1, {
          subject: c.id,
          ...meta(m),
          occurredAt: c.scheduledAt,
          data: { ...cohortScheduledData(c), imported },
        }),
        newEvent(CohortStartedV1, {
          subject: c.id,
          ...meta(m),
          occurredAt: c.startsOn,
          data: {
            id: c.id,
            enrolled: enrollments.length,
            startedAt: at(c.startsOn),
            imported,
          },
        }),
        newEvent(CohortCompletedV1, {
          subject: c.id,
          ...meta(m),
          occurredAt: completedAt,
          data: { id: c.id, completedAt: at(completedAt), imported },
        }),
      ];
      const byEnrollment = new Map(
        enrollments.map((e) => {
          const enrolled = newEvent(ParticipantEnrolledV1, {
            subject: e.id,
            ...meta(m),
            occurredAt: e.enrolledAt,
            data: {
              ...ref(e),
              agreementId: c.agreementId,
              ...targetData(c.target),
              enrolledAt: at(e.enrolledAt),
              imported,
            },
          });
          const ended =
            e.status === 'COMPLETED' && e.completedAt
              ? newEvent(EnrollmentCompletedV1, {
                  subject: e.id,
                  ...meta(m),
                  occurredAt: e.completedAt,
                  data: { ...ref(e), completedAt: at(e.completedAt), imported },
                })
              : e.status === 'DROPPED' && e.droppedAt
                ? newEvent(EnrollmentDroppedV1, {
                    subject: e.id,
                    ...meta(m),
                    occurredAt: e.droppedAt,
                    data: {
                      ...ref(e),
                      reason: e.dropReason ?? 'dropped',
                      droppedAt: at(e.droppedAt),
                      imported,
                    },
                  })
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

    credentialRegistered(c: VendorCredential, m: EventMeta): EventEnvelope {
      return newEvent(VendorCredentialRegisteredV1, {
        subject: c.id,
        ...meta(m),
        occurredAt: c.registeredAt,
        data: {
          id: c.id,
          vendor: c.vendor,
          name: c.name,
          code: c.code,
          examMarketPriceCentavos: c.examMarketPriceCentavos,
          trainingMarketPriceCentavos: c.trainingMarketPriceCentavos,
          ...(c.standardId && { standardId: c.standardId }),
          registeredAt: at(c.registeredAt),
        },
      });
    },

    demandRequested,

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
      const imported = importedData(d.provenance);
      const closedAt = d.provenance.closedAt;
      if (d.status !== 'FULFILLED' && d.status !== 'CANCELLED')
        throw new Error(
          `an imported demand request is closed, not ${d.status}`,
        );
      const closed =
        d.status === 'FULFILLED'
          ? newEvent(DemandFulfilledV1, {
              subject: d.id,
              ...meta(m),
              occurredAt: closedAt,
              data: { id: d.id, fulfilledAt: at(closedAt), imported },
            })
          : newEvent(DemandCancelledV1, {
              subject: d.id,
              ...meta(m),
              occurredAt: closedAt,
              data: {
                id: d.id,
                reason: d.cancellationReason ?? 'cancelled',
                cancelledAt: at(closedAt),
                imported,
              },
            });
      return [demandRequested(d, m), closed];
    },

    demandAggregated(d: DemandRequest, projectId: string, m: EventMeta) {
      return newEvent(DemandAggregatedV1, {
        subject: d.id,
        ...meta(m),
        data: { id: d.id, projectId, aggregatedAt: at(m.now) },
      });
    },

    demandReleased(d: DemandRequest, projectId: string, m: EventMeta) {
      return newEvent(DemandReleasedV1, {
        subject: d.id,
        ...meta(m),
        data: { id: d.id, projectId, releasedAt: at(m.now) },
      });
    },

    demandFulfilled(d: DemandRequest, projectId: string, m: EventMeta) {
      return newEvent(DemandFulfilledV1, {
        subject: d.id,
        ...meta(m),
        data: { id: d.id, projectId, fulfilledAt: at(m.now) },
      });
    },

    demandCancelled(d: DemandRequest, m: EventMeta) {
      return newEvent(DemandCancelledV1, {
        subject: d.id,
        ...meta(m),
        data: {
          id: d.id,
          reason: d.cancellationReason ?? 'cancelled',
          cancelledAt: at(m.now),
        },
      });
    },

    agreementSigned(a: Agreement, m: EventMeta): EventEnvelope {
      return newEvent(AgreementSignedV1, {
        subject: a.id,
        ...meta(m),
        occurredAt: a.signedAt,
        data: {
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
        },
      });
    },

    projectDrafted(p: TrainingProject, cost: ProjectCost, m: EventMeta) {
      return newEvent(ProjectDraftedV1, {
        subject: p.id,
        ...meta(m),
        occurredAt: p.draftedAt,
        data: {
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
        },
      });
    },

    projectSubmitted(p: TrainingProject, m: EventMeta) {
      return newEvent(ProjectSubmittedV1, {
        subject: p.id,
        ...meta(m),
        data: { id: p.id, submittedAt: at(m.now) },
      });
    },

    projectApproved(p: TrainingProject, cost: ProjectCost, m: EventMeta) {
      return newEvent(ProjectApprovedV1, {
        subject: p.id,
        ...meta(m),
        data: {
          id: p.id,
          approvedFundShareBps: p.approvedFundShareBps ?? 0,
          fundContributionCentavos: cost.project.fundContributionCentavos,
          approvedAt: at(m.now),
        },
      });
    },

    projectRejected(p: TrainingProject, m: EventMeta) {
      return newEvent(ProjectRejectedV1, {
        subject: p.id,
        ...meta(m),
        data: {
          id: p.id,
          reason: p.rejectionReason ?? 'rejected',
          rejectedAt: at(m.now),
        },
      });
    },

    projectClosed(p: TrainingProject, m: EventMeta) {
      return newEvent(ProjectClosedV1, {
        subject: p.id,
        ...meta(m),
        data: {
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
        },
      });
    },

    projectDemandWithdrawn(
      p: TrainingProject,
      demandRequestId: string,
      cost: ProjectCost,
      m: EventMeta,
    ): EventEnvelope {
      return newEvent(ProjectDemandWithdrawnV1, {
        subject: p.id,
        ...meta(m),
        data: {
          id: p.id,
          demandRequestId,
          demandRequestIds: p.demandRequestIds,
          participants: p.participants,
          totalCentavos: cost.project.totalCentavos,
          withdrawnAt: at(m.now),
        },
      });
    },

    cohortScheduled(c: Cohort, m: EventMeta): EventEnvelope {
      return newEvent(CohortScheduledV1, {
        subject: c.id,
        ...meta(m),
        occurredAt: c.scheduledAt,
        data: cohortScheduledData(c),
      });
    },

    cohortCapacityChanged(c: Cohort, m: EventMeta) {
      return newEvent(CohortCapacityChangedV1, {
        subject: c.id,
        ...meta(m),
        data: { id: c.id, capacity: c.capacity, changedAt: at(m.now) },
      });
    },

    cohortStarted(c: Cohort, m: EventMeta) {
      return newEvent(CohortStartedV1, {
        subject: c.id,
        ...meta(m),
        data: { id: c.id, enrolled: c.enrolled, startedAt: at(m.now) },
      });
    },

    cohortCompleted(c: Cohort, m: EventMeta) {
      return newEvent(CohortCompletedV1, {
        subject: c.id,
        ...meta(m),
        data: { id: c.id, completedAt: at(m.now) },
      });
    },

    cohortCancelled(c: Cohort, m: EventMeta) {
      return newEvent(CohortCancelledV1, {
        subject: c.id,
        ...meta(m),
        data: {
          id: c.id,
          reason: c.cancellationReason ?? 'cancelled',
          cancelledAt: at(m.now),
        },
      });
    },

    participantEnrolled(e: Enrollment, c: Cohort, m: EventMeta) {
      return newEvent(ParticipantEnrolledV1, {
        subject: e.id,
        ...meta(m),
        occurredAt: e.enrolledAt,
        data: {
          id: e.id,
          cohortId: e.cohortId,
          personId: e.personId,
          agreementId: c.agreementId,
          ...targetData(c.target),
          enrolledAt: at(e.enrolledAt),
        },
      });
    },

    attendanceRecorded(e: Enrollment, m: EventMeta) {
      return newEvent(AttendanceRecordedV1, {
        subject: e.id,
        ...meta(m),
        data: {
          ...ref(e),
          attendancePercent: e.attendancePercent ?? 0,
          recordedAt: at(m.now),
        },
      });
    },

    voucherIssued(e: Enrollment, m: EventMeta) {
      return newEvent(ExamVoucherIssuedV1, {
        subject: e.id,
        ...meta(m),
        data: { ...ref(e), issuedAt: at(m.now) },
      });
    },

    voucherUsed(e: Enrollment, m: EventMeta) {
      return newEvent(ExamVoucherUsedV1, {
        subject: e.id,
        ...meta(m),
        data: { ...ref(e), usedAt: at(m.now) },
      });
    },

    vendorExamRecorded(e: Enrollment, m: EventMeta) {
      return newEvent(VendorExamRecordedV1, {
        subject: e.id,
        ...meta(m),
        data: {
          ...ref(e),
          passed: e.examPassed === true,
          recordedAt: at(m.now),
        },
      });
    },

    enrollmentCompleted(e: Enrollment, m: EventMeta) {
      return newEvent(EnrollmentCompletedV1, {
        subject: e.id,
        ...meta(m),
        data: {
          ...ref(e),
          ...(e.attendancePercent !== null && {
            attendancePercent: e.attendancePercent,
          }),
          completedAt: at(m.now),
        },
      });
    },

    enrollmentDropped(e: Enrollment, m: EventMeta) {
      return newEvent(EnrollmentDroppedV1, {
        subject: e.id,
        ...meta(m),
        data: {
          ...ref(e),
          reason: e.dropReason ?? 'dropped',
          droppedAt: at(m.now),
        },
      });
    },
  };
}

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

const ref = (e: Enrollment) => ({
  id: e.id,
  cohortId: e.cohortId,
  personId: e.personId,
});

export type TrainingEvents = ReturnType<typeof createTrainingEvents>;
