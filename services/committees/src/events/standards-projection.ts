import {
  createServiceConsumer,
  dispatcher,
  type EventConsumer,
  type EventHandlers,
  type KafkaClient,
  type KnownEvent,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import type { StandardViewStore } from '../store/standards';

type Handled =
  | 'standards.StandardPublished'
  | 'standards.StandardWithdrawn'
  | 'standards.StandardSuperseded';
type StandardEvent = Extract<KnownEvent, { type: Handled }>;

/**
 * Keeps the local projection of standards (status, owning committee) that
 * nominations are checked against: PUBLISHED on publication, WITHDRAWN or
 * SUPERSEDED after. Each effect is applied once per event id (applyOnce), so a
 * redelivery changes nothing.
 */
export function createStandardsProjection(store: StandardViewStore) {
  const project = async (event: StandardEvent, statusChangedAt: string) => {
    const { id, code, version, committeeId, sectorId } = event.data;
    const status =
      event.type === 'standards.StandardPublished'
        ? 'PUBLISHED'
        : event.type === 'standards.StandardWithdrawn'
          ? 'WITHDRAWN'
          : 'SUPERSEDED';
    await store.apply(event.id, {
      id,
      code,
      version,
      committeeId,
      sectorId,
      status,
      statusChangedAt: new Date(statusChangedAt),
    });
  };

  const handlers: EventHandlers<KnownEvent> = {
    'standards.StandardPublished': (event) =>
      project(event, event.data.publishedAt),
    'standards.StandardWithdrawn': (event) =>
      project(event, event.data.withdrawnAt),
    'standards.StandardSuperseded': (event) =>
      project(event, event.data.supersededAt),
  };

  return {
    handlers,
    /** Applies one event (what the consumer does per message); other types are ignored. */
    handle: dispatcher(handlers),
  };
}

/**
 * The consumer of `conecta.standards.events` (group `${prefix}committees`,
 * failures to `conecta.committees.dlq`).
 */
export function createStandardsConsumer({
  kafka,
  topicPrefix,
  logger,
  store,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  store: StandardViewStore;
}): EventConsumer {
  return createServiceConsumer({
    kafka,
    service: 'committees',
    sources: ['standards'],
    topicPrefix,
    logger,
    handlers: createStandardsProjection(store).handlers,
  });
}
