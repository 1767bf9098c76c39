import {
  dispatcher,
  standardStatusHandlers,
  type ServiceConsumerSpec,
} from '@conecta/events';
import type { StandardViewStore } from '../store/standards';

/**
 * Keeps the local projection of standards (status, owning committee) that
 * nominations are checked against: PUBLISHED on publication, WITHDRAWN or
 * SUPERSEDED after, dated by the fact (`@conecta/events`'
 * standardStatusHandlers). Each effect is applied once per event id
 * (applyOnce), so a redelivery changes nothing.
 */
export function createStandardsProjection(store: StandardViewStore) {
  const handlers = standardStatusHandlers(({ event, status, changedAt }) => {
    const { id, code, version, committeeId, sectorId } = event.data;
    return store.apply(event.id, {
      id,
      code,
      version,
      committeeId,
      sectorId,
      status,
      statusChangedAt: new Date(changedAt),
    });
  });
  return {
    handlers,
    /** Applies one event (what the consumer does per message); other types are ignored. */
    handle: dispatcher(handlers),
  };
}

/**
 * The consumer of `conecta.standards.events` (group `${prefix}committees`,
 * failures to `conecta.committees.dlq`; the runtime builds it).
 */
export const standardsConsumer = (
  store: StandardViewStore,
): ServiceConsumerSpec => ({
  sources: ['standards'],
  handlers: createStandardsProjection(store).handlers,
});
