import type { OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import { createEntityLoader } from '@conecta/service-kit';
import DataLoader from 'dataloader';
import type { CompetencyStandard } from '../domain/standard';
import { createCommitteeStore } from './committees';
import { createCouncilSeatStore } from './council-seats';
import { createStandardStore } from './standards';

/** Every store of the service, built on one connection. */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  return {
    standards: createStandardStore(connection, outbox),
    committees: createCommitteeStore(connection),
    councilSeats: createCouncilSeatStore(connection, outbox),
  };
}

export type Stores = ReturnType<typeof createStores>;

function groupBy<K>(
  standards: CompetencyStandard[],
  keyOf: (s: CompetencyStandard) => K,
): Map<K, CompetencyStandard[]> {
  const groups = new Map<K, CompetencyStandard[]>();
  for (const standard of standards) {
    const key = keyOf(standard);
    const group = groups.get(key);
    if (group) group.push(standard);
    else groups.set(key, [standard]);
  }
  return groups;
}

/** A sector and level: the key of the competing-standards loader. */
export interface SectorLevel {
  sectorId: string;
  level: number;
}

const sectorLevelKey = ({ sectorId, level }: SectorLevel): string =>
  `${sectorId}|${level}`;

/**
 * Per-request DataLoaders, so N references cost one query per kind: standards
 * by id, committees (projection) by id, standards by committee, standards by
 * sector and level.
 */
export function createLoaders(stores: Stores) {
  return {
    standard: createEntityLoader((ids) => stores.standards.findByIds(ids)),
    committee: createEntityLoader((ids) => stores.committees.findByIds(ids)),
    standardsOfCommittee: new DataLoader<string, CompetencyStandard[]>(
      async (committeeIds) => {
        const groups = groupBy(
          await stores.standards.findByCommittees(committeeIds),
          (s) => s.committeeId,
        );
        return committeeIds.map((id) => groups.get(id) ?? []);
      },
    ),
    standardsOfSectorLevel: new DataLoader<
      SectorLevel,
      CompetencyStandard[],
      string
    >(
      async (keys) => {
        const found = await stores.standards.findBySectorsAndLevels(
          [...new Set(keys.map((k) => k.sectorId))],
          [...new Set(keys.map((k) => k.level))],
        );
        const groups = groupBy(found, sectorLevelKey);
        return keys.map((key) => groups.get(sectorLevelKey(key)) ?? []);
      },
      { cacheKeyFn: sectorLevelKey },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Creates indexes (unique code + version) before the service takes traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.standards.model.syncIndexes(),
    stores.committees.model.syncIndexes(),
    stores.councilSeats.model.syncIndexes(),
  ]);
}
