import type { OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import { createEntityLoader } from '@conecta/service-kit';
import { createCommitteeStore } from './committees';
import { createNominationStore } from './nominations';
import { createOrganizationStore } from './organizations';
import { createSectorStore } from './sectors';
import { createStandardViewStore } from './standards';

/** Every store of the service, built on one connection. */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  return {
    organizations: createOrganizationStore(connection, outbox),
    sectors: createSectorStore(connection, outbox),
    committees: createCommitteeStore(connection, outbox),
    nominations: createNominationStore(connection, outbox),
    standards: createStandardViewStore(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;

/**
 * A loader of the items grouped under each key (e.g. committees by sector):
 * all keys asked in one tick cost one query; a key with no items gets `[]`.
 */
function createGroupLoader<T>(
  fetchMany: (keys: readonly string[]) => Promise<T[]>,
  keysOf: (item: T) => readonly string[],
) {
  const loader = createEntityLoader(
    async (keys: readonly string[]) => {
      const wanted = new Set(keys);
      const groups = new Map<string, T[]>();
      for (const item of await fetchMany(keys)) {
        for (const key of keysOf(item)) {
          if (!wanted.has(key)) continue;
          groups.set(key, [...(groups.get(key) ?? []), item]);
        }
      }
      return [...groups].map(([key, items]) => ({ key, items }));
    },
    (group) => group.key,
  );
  return {
    load: async (key: string): Promise<T[]> =>
      (await loader.load(key))?.items ?? [],
  };
}

/** Per-request DataLoaders, so N references cost one query per type. */
export function createLoaders(stores: Stores) {
  return {
    organization: createEntityLoader((ids) =>
      stores.organizations.findByIds(ids),
    ),
    sector: createEntityLoader((ids) => stores.sectors.findByIds(ids)),
    committee: createEntityLoader((ids) => stores.committees.findByIds(ids)),
    committeesBySector: createGroupLoader(
      (ids) => stores.committees.findBySectorIds(ids),
      (committee) => [committee.sectorId],
    ),
    committeesByMember: createGroupLoader(
      (ids) => stores.committees.findByMemberOrganizationIds(ids),
      (committee) => committee.members.map((m) => m.organizationId),
    ),
    nominationsByStandard: createGroupLoader(
      (ids) => stores.nominations.findByStandardIds(ids),
      (nomination) => [nomination.standardId],
    ),
    nominationsByCommittee: createGroupLoader(
      (ids) => stores.nominations.findByCommitteeIds(ids),
      (nomination) => [nomination.committeeId],
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Creates indexes (unique RFC, sector code, committee name, nomination) before traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.organizations.model.syncIndexes(),
    stores.sectors.model.syncIndexes(),
    stores.committees.model.syncIndexes(),
    stores.nominations.model.syncIndexes(),
    stores.standards.model.syncIndexes(),
  ]);
}
