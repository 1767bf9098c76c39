import {
  OrganizationRegisteredV1,
  SectorRegisteredV1,
  newEvent,
  type EventEnvelope,
} from '@conecta/events';
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
export function createCommitteesEvents(eventsWritten: () => void) {
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

    /** Wakes the relay right after a write instead of waiting for its next poll. */
    written: eventsWritten,
  };
}

export type CommitteesEvents = ReturnType<typeof createCommitteesEvents>;
