import DataLoader from 'dataloader';
import type { Connection } from 'mongoose';
import type { OutboxWriter } from '@conecta/events';
import { createEntityLoader } from '@conecta/service-kit';
import type { CohortCounters } from '../domain/cohort';
import { last12Months } from '../domain/periods';
import type { Placement } from '../domain/placement';
import type { Catalog } from '../domain/scope';
import { createBucketStore } from './buckets';
import { createCohortViews, createCredentialViews } from './catalog';
import { createCertificateViews } from './certificates';
import { createCohortCounters } from './cohorts';
import { createGenerationStore } from './generation';
import { createGoalStore } from './goals';
import { createLedger } from './ledger';
import { createPlacementStore } from './placements';
import { createStandardViews } from './standards';
import { createSurveyStore } from './surveys';

/**
 * The read models: written only by the event consumer, so they can be dropped
 * and rebuilt by replaying every topic.
 */
export function createReadModels(connection: Connection) {
  return {
    buckets: createBucketStore(connection),
    ledger: createLedger(connection),
    standards: createStandardViews(connection),
    cohorts: createCohortCounters(connection),
    certificates: createCertificateViews(connection),
    cohortViews: createCohortViews(connection),
    credentials: createCredentialViews(connection),
  };
}

export type ReadModels = ReturnType<typeof createReadModels>;

/**
 * Every store: the read models, outcomes' own state (placements, written with
 * their events; program goals; employer surveys) and the consumer generation (which group feeds
 * the read models). All but the read models survive a rebuild.
 */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  return {
    ...createReadModels(connection),
    placements: createPlacementStore(connection, outbox),
    goals: createGoalStore(connection),
    surveys: createSurveyStore(connection),
    generation: createGenerationStore(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** Creates the declared indexes (before consumers and traffic start). */
export async function syncIndexes(stores: Stores): Promise<void> {
  for (const { model } of Object.values(stores)) await model.syncIndexes();
}

/** The read models among the stores (listing one less fails to compile). */
export function readModelsOf(stores: Stores): ReadModels {
  const {
    buckets,
    ledger,
    standards,
    cohorts,
    certificates,
    cohortViews,
    credentials,
  } = stores;
  return {
    buckets,
    ledger,
    standards,
    cohorts,
    certificates,
    cohortViews,
    credentials,
  };
}

/** Empties every read model (before a replay). */
export async function dropReadModels(stores: ReadModels): Promise<void> {
  for (const { model } of Object.values(stores)) await model.deleteMany({});
}

/**
 * The catalog analytics join facts with (standards' sectors, credentials'
 * standards, cohorts' states and targets): three small collections, read whole.
 */
export async function loadCatalog(stores: Stores): Promise<Catalog> {
  const [standards, credentials, cohorts] = await Promise.all([
    stores.standards.all(),
    stores.credentials.all(),
    stores.cohortViews.all(),
  ]);
  return {
    standardSectors: new Map(standards.map((s) => [s.id, s.sectorId])),
    credentialStandards: new Map(credentials.map((c) => [c.id, c.standardId])),
    cohorts: new Map(cohorts.map((c) => [c.id, c])),
  };
}

/** Per-request DataLoaders: N entity references cost one query. */
export function createLoaders(
  stores: Stores,
  now: () => Date = () => new Date(),
) {
  let catalog: Promise<Catalog> | undefined;
  return {
    /** The catalog, read at most once per request (and only when a filter needs it). */
    catalog: () => (catalog ??= loadCatalog(stores)),
    /** Certificates per standard in the last 12 months (0 when none). */
    certificatesLast12Months: createEntityLoader(async (ids) => {
      const months = last12Months(now()).map((p) => p.label);
      const sums = await stores.buckets.perStandard('CERTIFIED', months, ids);
      return ids.map((id) => ({ id, count: sums.get(id) ?? 0 }));
    }),
    cohortCounters: createEntityLoader<CohortCounters & { id: string }>((ids) =>
      stores.cohorts.findByIds(ids),
    ),
    /** Placements per person id, newest start first. */
    placementsOfPerson: groupLoader(
      (ids) => stores.placements.byPeople(ids),
      (p) => p.personId,
    ),
    /** Placements per employer id, newest start first. */
    placementsOfEmployer: groupLoader(
      (ids) => stores.placements.byEmployers(ids),
      (p) => p.employerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** A DataLoader of lists: the placements whose `keyOf` is each key, newest start first. */
function groupLoader(
  fetchMany: (ids: readonly string[]) => Promise<Placement[]>,
  keyOf: (placement: Placement) => string,
): DataLoader<string, Placement[]> {
  return new DataLoader(async (ids) => {
    const found = await fetchMany(ids);
    found.sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    return ids.map((id) => found.filter((p) => keyOf(p) === id));
  });
}
