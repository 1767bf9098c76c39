import {
  CertifierNominatedV1,
  ChairAppointedV1,
  CommitteeDissolvedV1,
  CommitteeInstalledV1,
  CommitteeMemberAddedV1,
  CommitteeMemberRemovedV1,
  CommitteeMembersChangedV1,
  CommitteeProposedV1,
  DecisionMakerAttestedV1,
  HumanCapitalAgendaPublishedV1,
  OrganizationRegisteredV1,
  SectorRegisteredV1,
  WorkingGroupExpertAddedV1,
  newEvent,
  type EventEnvelope,
} from '@conecta/events';
import { UnreachableCaseError } from '@conecta/service-kit/errors';
import type { Committee, CommitteeChange } from '../domain/committee';
import type { Nomination } from '../domain/nomination';
import type { Organization } from '../domain/organization';
import type { Sector } from '../domain/sector';

/** Where an event came from: ties it to the request that caused it. */
export interface EventMeta {
  traceId?: string;
}

/**
 * What committees publishes. Events are built here, validated against their
 * contracts, and written by the stores inside the aggregate's own document
 * (transactional outbox); the runtime's relay publishes them.
 */
export function createCommitteesEvents() {
  return {
    organizationRegistered(org: Organization, meta: EventMeta): EventEnvelope {
      return newEvent(OrganizationRegisteredV1, {
        subject: org.id,
        traceId: meta.traceId,
        occurredAt: org.registeredAt,
        data: {
          id: org.id,
          name: org.name,
          kind: org.kind,
          state: org.state,
          taxId: org.taxId,
        },
      });
    },

    sectorRegistered(sector: Sector, meta: EventMeta): EventEnvelope {
      return newEvent(SectorRegisteredV1, {
        subject: sector.id,
        traceId: meta.traceId,
        occurredAt: sector.registeredAt,
        data: {
          id: sector.id,
          code: sector.code,
          name: sector.name,
          kind: sector.kind,
        },
      });
    },

    /**
     * The events of a committee's changes, in order, keyed by the committee id.
     * `committee` is the state after the changes.
     */
    committeeChanged(
      committee: Committee,
      changes: readonly CommitteeChange[],
      meta: EventMeta,
    ): EventEnvelope[] {
      return changes.map((change) => committeeEvent(committee, change, meta));
    },

    /** CertifierNominated, keyed by the STANDARD id (consumers count per standard). */
    certifierNominated(nomination: Nomination, meta: EventMeta): EventEnvelope {
      return newEvent(CertifierNominatedV1, {
        subject: nomination.standardId,
        traceId: meta.traceId,
        occurredAt: nomination.nominatedAt,
        data: {
          nominationId: nomination.id,
          committeeId: nomination.committeeId,
          standardId: nomination.standardId,
          organizationId: nomination.organizationId,
          nominationCount: nomination.sequence,
          nominatedAt: nomination.nominatedAt.toISOString(),
        },
      });
    },
  };
}

export type CommitteesEvents = ReturnType<typeof createCommitteesEvents>;

function committeeEvent(
  committee: Committee,
  change: CommitteeChange,
  { traceId }: EventMeta,
): EventEnvelope {
  const base = { subject: committee.id, traceId };
  const id = committee.id;
  switch (change.type) {
    case 'Proposed':
      return newEvent(CommitteeProposedV1, {
        ...base,
        occurredAt: committee.proposedAt,
        data: {
          id,
          name: committee.name,
          sectorId: committee.sectorId,
          scope: committee.scope,
          states: committee.states,
        },
      });
    case 'MemberAdded': {
      const { member } = change;
      return newEvent(CommitteeMemberAddedV1, {
        ...base,
        occurredAt: member.joinedAt,
        data: {
          id,
          organizationId: member.organizationId,
          side: member.side,
          positionTitle: member.positionTitle,
          ...(member.attestation && {
            decisionMakerRole: member.attestation.role,
          }),
          addedAt: member.joinedAt.toISOString(),
        },
      });
    }
    case 'MemberRemoved':
      return newEvent(CommitteeMemberRemovedV1, {
        ...base,
        occurredAt: change.at,
        data: {
          id,
          organizationId: change.organizationId,
          removedAt: change.at.toISOString(),
        },
      });
    case 'DecisionMakerAttested':
      return newEvent(DecisionMakerAttestedV1, {
        ...base,
        occurredAt: change.attestation.attestedAt,
        data: {
          id,
          organizationId: change.organizationId,
          role: change.attestation.role,
          attestedAt: change.attestation.attestedAt.toISOString(),
        },
      });
    case 'MembersChanged':
      return newEvent(CommitteeMembersChangedV1, {
        ...base,
        data: {
          id,
          memberOrganizationIds: committee.members.map((m) => m.organizationId),
        },
      });
    case 'ChairAppointed':
      return newEvent(ChairAppointedV1, {
        ...base,
        occurredAt: change.at,
        data: {
          id,
          organizationId: change.organizationId,
          appointedAt: change.at.toISOString(),
        },
      });
    case 'ExpertAdded': {
      const { expert } = change;
      // The expert's name is personal data: it stays in this service.
      return newEvent(WorkingGroupExpertAddedV1, {
        ...base,
        occurredAt: expert.addedAt,
        data: {
          id,
          expertId: expert.id,
          specialty: expert.specialty,
          ...(expert.organizationId && {
            organizationId: expert.organizationId,
          }),
          addedAt: expert.addedAt.toISOString(),
        },
      });
    }
    case 'AgendaPublished': {
      const { agenda } = change;
      return newEvent(HumanCapitalAgendaPublishedV1, {
        ...base,
        occurredAt: agenda.publishedAt,
        data: {
          id,
          sectorId: committee.sectorId,
          version: agenda.version,
          items: agenda.items.map((item) => ({
            id: item.id,
            priority: item.priority,
            kind: item.kind,
            title: item.title,
            targetYear: item.targetYear,
          })),
          publishedAt: agenda.publishedAt.toISOString(),
        },
      });
    }
    case 'Installed': {
      const installedAt = committee.installedAt ?? new Date();
      return newEvent(CommitteeInstalledV1, {
        ...base,
        occurredAt: installedAt,
        data: {
          id,
          name: committee.name,
          sectorId: committee.sectorId,
          memberOrganizationIds: committee.members.map((m) => m.organizationId),
          installedAt: installedAt.toISOString(),
        },
      });
    }
    case 'Dissolved': {
      const dissolvedAt = committee.dissolvedAt ?? new Date();
      return newEvent(CommitteeDissolvedV1, {
        ...base,
        occurredAt: dissolvedAt,
        data: {
          id,
          reason: committee.dissolutionReason ?? 'dissolved',
          dissolvedAt: dissolvedAt.toISOString(),
        },
      });
    }
    default:
      throw new UnreachableCaseError(change);
  }
}
