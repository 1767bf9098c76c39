import {
  AccreditationActivatedV1,
  AccreditationRequestedV1,
  AccreditationRevokedV1,
  AccreditationSuspendedV1,
  CandidacyAcceptedV1,
  CandidacyDeclinedV1,
  CandidacyProposedV1,
  CertificateIssuedV1,
  CertificateReinstatedV1,
  CertificateRevokedV1,
  CertificateSuspendedV1,
  CertifyingBodyChangedV1,
  CertificationRequestedV1,
  CertifyingBodyRegisteredV1,
  EvaluationProcedureApprovedV1,
  EvaluationProcedureRejectedV1,
  EvaluationProcedureSubmittedV1,
  EvaluationRecordedV1,
  PersonRegisteredV1,
  newEvent,
  type EventEnvelope,
} from '@conecta/events';
import type { Accreditation } from '../domain/accreditation';
import type { Candidacy } from '../domain/candidacy';
import { evaluatingBodyOf, type Certificate } from '../domain/certificate';
import { facilityStates, type CertifyingBody } from '../domain/certifying-body';
import type { Evaluation } from '../domain/evaluation';
import type { EvaluationProcedure } from '../domain/evaluation-procedure';
import { initialsOf, type Person } from '../domain/person';

/** Where an event came from: ties it to the request that caused it. */
export interface EventMeta {
  traceId?: string;
}

const ref = (a: Accreditation) => ({
  id: a.id,
  certifyingBodyId: a.certifyingBodyId,
  organizationId: a.organizationId,
  standardId: a.standardId,
  scopes: [...a.scopes],
});

const procedureRef = (p: EvaluationProcedure) => ({
  id: p.id,
  certifyingBodyId: p.certifyingBodyId,
  version: p.version,
  documentUrl: p.documentUrl,
  documentSha256: p.documentSha256,
});

/**
 * What certification publishes. Events are built here, validated against their
 * contracts, and written by the stores inside the aggregate's own document
 * (transactional outbox). None carries personal data.
 */
export function createCertificationEvents() {
  return {
    personRegistered(person: Person, meta: EventMeta): EventEnvelope {
      return newEvent(PersonRegisteredV1, {
        subject: person.id,
        traceId: meta.traceId,
        occurredAt: person.registeredAt,
        data: {
          id: person.id,
          initials: initialsOf(person),
          registeredAt: person.registeredAt.toISOString(),
        },
      });
    },

    bodyRegistered(body: CertifyingBody, meta: EventMeta): EventEnvelope {
      return newEvent(CertifyingBodyRegisteredV1, {
        subject: body.id,
        traceId: meta.traceId,
        occurredAt: body.registeredAt,
        data: {
          id: body.id,
          organizationId: body.organizationId,
          name: body.name,
          kind: body.kind,
          facilityStates: facilityStates(body),
          registeredAt: body.registeredAt.toISOString(),
        },
      });
    },

    bodyChanged(
      body: CertifyingBody,
      now: Date,
      meta: EventMeta,
    ): EventEnvelope {
      return newEvent(CertifyingBodyChangedV1, {
        subject: body.id,
        traceId: meta.traceId,
        occurredAt: now,
        data: {
          id: body.id,
          facilityStates: facilityStates(body),
          staff: body.staff.map(({ subject, roles }) => ({ subject, roles })),
          fees: body.fees,
          changedAt: now.toISOString(),
        },
      });
    },

    /** The event of an accreditation's new status. */
    accreditationChanged(a: Accreditation, meta: EventMeta): EventEnvelope {
      const common = {
        subject: a.id,
        traceId: meta.traceId,
        occurredAt: a.changedAt,
      };
      const at = a.changedAt.toISOString();
      switch (a.status) {
        case 'PENDING':
          return newEvent(AccreditationRequestedV1, {
            ...common,
            data: { ...ref(a), requestedAt: at },
          });
        case 'ACTIVE':
          return newEvent(AccreditationActivatedV1, {
            ...common,
            data: { ...ref(a), activatedAt: at },
          });
        case 'SUSPENDED':
          return newEvent(AccreditationSuspendedV1, {
            ...common,
            data: { ...ref(a), reason: a.reason ?? '', suspendedAt: at },
          });
        case 'REVOKED':
          return newEvent(AccreditationRevokedV1, {
            ...common,
            data: { ...ref(a), reason: a.reason ?? '', revokedAt: at },
          });
      }
    },

    /** The event of a candidacy's new status: proposed, accepted (or admin-registered), declined. */
    candidacyChanged(c: Candidacy, meta: EventMeta): EventEnvelope {
      const ref = {
        id: c.id,
        personId: c.personId,
        certifyingBodyId: c.certifyingBodyId,
        standardId: c.standardId,
      };
      const common = { subject: c.id, traceId: meta.traceId };
      switch (c.status) {
        case 'PROPOSED':
          return newEvent(CandidacyProposedV1, {
            ...common,
            occurredAt: c.proposedAt,
            data: { ...ref, proposedAt: c.proposedAt.toISOString() },
          });
        case 'ACCEPTED': {
          const acceptedAt = c.acceptedAt ?? c.proposedAt;
          return newEvent(CandidacyAcceptedV1, {
            ...common,
            occurredAt: acceptedAt,
            data: {
              ...ref,
              openedBy: c.openedBy ?? 'PERSON_ACCEPTED',
              acceptedAt: acceptedAt.toISOString(),
            },
          });
        }
        case 'DECLINED': {
          const declinedAt = c.declinedAt ?? c.proposedAt;
          return newEvent(CandidacyDeclinedV1, {
            ...common,
            occurredAt: declinedAt,
            data: { ...ref, declinedAt: declinedAt.toISOString() },
          });
        }
      }
    },

    evaluationRecorded(e: Evaluation, meta: EventMeta): EventEnvelope {
      return newEvent(EvaluationRecordedV1, {
        subject: e.id,
        traceId: meta.traceId,
        occurredAt: e.recordedAt,
        data: {
          id: e.id,
          personId: e.candidateId,
          standardId: e.standardId,
          certifyingBodyId: e.certifyingBodyId,
          result: e.result,
          evaluatedAt: e.evaluatedAt.toISOString(),
          ...(e.procedureVersion != null && {
            procedureVersion: e.procedureVersion,
          }),
        },
      });
    },

    /** The evaluating body asked another body to certify the evaluation. */
    certificationRequested(e: Evaluation, meta: EventMeta): EventEnvelope {
      const request = e.certificationRequest!;
      return newEvent(CertificationRequestedV1, {
        subject: e.id,
        traceId: meta.traceId,
        occurredAt: request.requestedAt,
        data: {
          evaluationId: e.id,
          personId: e.candidateId,
          standardId: e.standardId,
          evaluatingBodyId: e.certifyingBodyId,
          certifyingBodyId: request.certifyingBodyId,
          requestedAt: request.requestedAt.toISOString(),
        },
      });
    },

    /** The event of a procedure's new status; none for a DRAFT (the body's working copy). */
    procedureChanged(p: EvaluationProcedure, meta: EventMeta): EventEnvelope[] {
      const common = { subject: p.id, traceId: meta.traceId };
      switch (p.status) {
        case 'DRAFT':
          return [];
        case 'SUBMITTED':
          return [
            newEvent(EvaluationProcedureSubmittedV1, {
              ...common,
              occurredAt: p.submittedAt!,
              data: {
                ...procedureRef(p),
                submittedAt: p.submittedAt!.toISOString(),
              },
            }),
          ];
        case 'APPROVED':
          return [
            newEvent(EvaluationProcedureApprovedV1, {
              ...common,
              occurredAt: p.reviewedAt!,
              data: {
                ...procedureRef(p),
                approvedBy: p.reviewedBy!,
                approvedAt: p.reviewedAt!.toISOString(),
              },
            }),
          ];
        case 'REJECTED':
          return [
            newEvent(EvaluationProcedureRejectedV1, {
              ...common,
              occurredAt: p.reviewedAt!,
              data: {
                ...procedureRef(p),
                reason: p.rejectionReason ?? '',
                rejectedBy: p.reviewedBy!,
                rejectedAt: p.reviewedAt!.toISOString(),
              },
            }),
          ];
      }
    },

    /** Also for an imported certificate: dated its historical issue date, with `imported`. */
    certificateIssued(c: Certificate, meta: EventMeta): EventEnvelope {
      return newEvent(CertificateIssuedV1, {
        subject: c.id,
        traceId: meta.traceId,
        occurredAt: c.issuedAt,
        data: {
          id: c.id,
          personId: c.personId,
          standardId: c.standardId,
          certifyingBodyId: c.certifyingBodyId,
          ...(evaluatingBodyOf(c) !== c.certifyingBodyId && {
            evaluatingBodyId: evaluatingBodyOf(c),
          }),
          evaluationId: c.evaluationId,
          issuedAt: c.issuedAt.toISOString(),
          expiresAt: c.expiresAt.toISOString(),
          ...(c.provenance && {
            imported: {
              source: c.provenance.source,
              reference: c.provenance.folio,
              importedAt: c.provenance.importedAt.toISOString(),
            },
          }),
        },
      });
    },

    certificateRevoked(c: Certificate, meta: EventMeta): EventEnvelope {
      const revokedAt = c.revokedAt ?? new Date();
      return newEvent(CertificateRevokedV1, {
        subject: c.id,
        traceId: meta.traceId,
        occurredAt: revokedAt,
        data: {
          id: c.id,
          personId: c.personId,
          standardId: c.standardId,
          certifyingBodyId: c.certifyingBodyId,
          reason: c.revocationReason ?? '',
          revokedAt: revokedAt.toISOString(),
        },
      });
    },

    certificateSuspended(c: Certificate, meta: EventMeta): EventEnvelope {
      const suspendedAt = c.suspendedAt ?? new Date();
      return newEvent(CertificateSuspendedV1, {
        subject: c.id,
        traceId: meta.traceId,
        occurredAt: suspendedAt,
        data: {
          id: c.id,
          personId: c.personId,
          standardId: c.standardId,
          certifyingBodyId: c.certifyingBodyId,
          reason: c.suspensionReason ?? '',
          suspendedAt: suspendedAt.toISOString(),
        },
      });
    },

    /** `suspendedAt`: when the suspension now lifted had begun. */
    certificateReinstated(
      c: Certificate,
      reinstatement: { reason: string; suspendedAt: Date; at: Date },
      meta: EventMeta,
    ): EventEnvelope {
      return newEvent(CertificateReinstatedV1, {
        subject: c.id,
        traceId: meta.traceId,
        occurredAt: reinstatement.at,
        data: {
          id: c.id,
          personId: c.personId,
          standardId: c.standardId,
          certifyingBodyId: c.certifyingBodyId,
          reason: reinstatement.reason,
          suspendedAt: reinstatement.suspendedAt.toISOString(),
          reinstatedAt: reinstatement.at.toISOString(),
        },
      });
    },
  };
}

export type CertificationEvents = ReturnType<typeof createCertificationEvents>;
