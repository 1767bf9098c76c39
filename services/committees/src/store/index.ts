import type { Connection } from 'mongoose';
import { createEntityLoader } from '@conecta/service-kit';
import { createOrganizationStore } from './organizations';
import { createSectorStore } from './sectors';

/** Every store of the service, built on one connection. */
export function createStores(connection: Connection) {
  return {
    organizations: createOrganizationStore(connection),
    sectors: createSectorStore(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** Per-request DataLoaders, so N references cost one query per type. */
export function createLoaders(stores: Stores) {
  return {
    organization: createEntityLoader((ids) =>
      stores.organizations.findByIds(ids),
    ),
    sector: createEntityLoader((ids) => stores.sectors.findByIds(ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Creates indexes (unique RFC, unique sector code) before the service takes traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.organizations.model.syncIndexes(),
    stores.sectors.model.syncIndexes(),
  ]);
}
