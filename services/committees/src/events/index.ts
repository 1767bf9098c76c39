import {
  OrganizationRegisteredV1,
  SectorRegisteredV1,
  createOutboxRelay,
  newEvent,
  topicFor,
  type EventEnvelope,
  type KafkaClient,
} from '@conecta/events';
import type { Collection } from 'mongodb';
import type { Logger } from 'pino';
import type { Organization } from '../domain/organization';
import type { Sector } from '../domain/sector';

/** Where an event came from: ties it to the request that caused it. */
export interface EventMeta {
  traceId?: string;
}

/**
 * What committees publishes, and the outbox relay that publishes it. Events are
 * built here and written by the stores inside the aggregate's own document.
 */
export function createCommitteesEvents(deps: {
  kafka: KafkaClient;
  collections: Collection[];
  topicPrefix: string;
  logger: Logger;
}) {
  const relay = createOutboxRelay({
    kafka: deps.kafka,
    collections: deps.collections,
    topic: topicFor('committees', deps.topicPrefix),
    logger: deps.logger,
  });

  return {
    relay,

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
    written(): void {
      relay.notify();
    },
  };
}

export type CommitteesEvents = ReturnType<typeof createCommitteesEvents>;
