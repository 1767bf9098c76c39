import type { RequestContextArgs } from '@conecta/service-kit';
import type { Stores, Loaders } from './store';
import type { StandardsEvents } from './events';
import type { CouncilComposition } from './domain/council';

/** What every resolver receives: who asks, and the service's stores and events. */
export interface Context extends RequestContextArgs {
  stores: Stores;
  /** Per-request DataLoaders: entity references are batched (N → 1 query). */
  loaders: Loaders;
  events: StandardsEvents;
  /** The technical council's composition (`COUNCIL_COMPOSITION`). */
  council: CouncilComposition;
}
