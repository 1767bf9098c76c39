import type { RequestContextArgs } from '@conecta/service-kit';
import type { Stores, Loaders } from './store';
import type { CommitteesEvents } from './events';

/** What every resolver receives: who asks, and the service's stores and events. */
export interface Context extends RequestContextArgs {
  stores: Stores;
  /** Per-request DataLoaders: entity references are batched (N → 1 query). */
  loaders: Loaders;
  events: CommitteesEvents;
}
