import type { Connection } from 'mongoose';
import { createDeliveryStore } from './deliveries';
import { createProcessedEventStore } from './processed';
import { createStandardStore } from './standards';
import { createSubscriptionStore } from './subscriptions';

/** Every store of partners, on its own database. */
export function createStores(connection: Connection) {
  return {
    subscriptions: createSubscriptionStore(connection),
    deliveries: createDeliveryStore(connection),
    standards: createStandardStore(connection),
    processed: createProcessedEventStore(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** Creates the indexes (the deliveries' unique key among them) before traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.subscriptions.model.syncIndexes(),
    stores.deliveries.model.syncIndexes(),
    stores.standards.model.syncIndexes(),
    stores.processed.model.syncIndexes(),
  ]);
}

export type { DeliveryPage, DeliveryStore } from './deliveries';
export type { SubscriptionStore } from './subscriptions';
