import DataLoader from 'dataloader';
import type { Connection } from 'mongoose';
import type { OutboxWriter } from '@conecta/events';
import { createEntityLoader } from '@conecta/service-kit';
import { certifiedRows } from '../domain/certificates';
import type { CohortCounters } from '../domain/cohort';
import type { Metric } from '../domain/metrics';
import { last12Months, type Granularity } from '../domain/periods';
import type { PersonRecord } from '../domain/people';
import type { Placement } from '../domain/placement';
import type { Catalog } from '../domain/scope';
import { createBucketStore, type BucketEqualities } from './buckets';
import {
  createBodyViews,
  createCohortViews,
  createCredentialViews,
} from './catalog';
import { createCertificateViews } from './certificates';
import { createCohortCounters } from './cohorts';
import { createGenerationStore, type GenerationSlot } from './generation';
import { createGoalStore } from './goals';
import { createJournal } from './journal';
import { createLedger } from './ledger';
import { createPeopleView, type PersonMonths } from './people';
import { createPlacementStore } from './placements';
import { createProjectViews } from './projects';
import { createStandardViews } from './standards';
import { createProviderScoreStore } from './provider-scores';
import { createSurveyStore } from './surveys';

/**
 * The read models of one generation (collections `<name><suffix>`): written
 * only by the event consumer, so they can be rebuilt by replaying every topic.
 */
export function createReadModels(connection: Connection, suffix = '') {
  return {
    buckets: createBucketStore(connection, suffix),
    ledger: createLedger(connection, suffix),
    journal: createJournal(connection, suffix),
    standards: createStandardViews(connection, suffix),
    cohorts: createCohortCounters(connection, suffix),
    certificates: createCertificateViews(connection, suffix),
    cohortViews: createCohortViews(connection, suffix),
    credentials: createCredentialViews(connection, suffix),
    people: createPeopleView(connection, suffix),
    bodies: createBodyViews(connection, suffix),
    projects: createProjectViews(connection, suffix),
  };
}

export type ReadModels = ReturnType<typeof createReadModels>;

/**
 * Every store: the read models (of generation 0's collections, until
 * `storesAt` points them elsewhere), outcomes' own state (placements, written
 * with their events; program goals; employer surveys) and the generation
 * pointer. All but the read models survive a rebuild.
 */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  // mongoose refuses a second model of one name: one set per suffix.
  const generations = new Map<string, ReadModels>();
  const readModelsAt = (suffix: string): ReadModels => {
    let models = generations.get(suffix);
    if (!models) {
      models = createReadModels(connection, suffix);
      generations.set(suffix, models);
    }
    return models;
  };
  const surveys = createSurveyStore(connection);
  return {
    ...readModelsAt(''),
    placements: createPlacementStore(connection, outbox),
    goals: createGoalStore(connection),
    surveys,
    /** Each provider's survey score as released, published with its events (issue 17). */
    providerScores: createProviderScoreStore(connection, outbox, surveys),
    generation: createGenerationStore(connection),
    /** The read models stored under `suffix` (see `slotFor`). */
    readModelsAt,
    /** The database, to drop a generation's collections. */
    connection,
  };
}

export type Stores = ReturnType<typeof createStores>;

/** The same stores with the read models of `slot` (what queries read). */
export function storesAt(stores: Stores, slot: GenerationSlot): Stores {
  return { ...stores, ...stores.readModelsAt(slot.suffix) };
}

/** Creates the declared indexes (before consumers and traffic start). */
export async function syncIndexes(stores: Stores): Promise<void> {
  const { placements, goals, surveys, providerScores, generation } = stores;
  for (const { model } of [
    placements,
    goals,
    surveys,
    providerScores,
    generation,
  ])
    await model.syncIndexes();
  await syncReadModelIndexes(readModelsOf(stores));
}

/**
 * Creates the indexes of one generation's read models, and marks its rollups
 * complete when its buckets are still empty (before its consumer starts:
 * see `markRollupsIfEmpty`).
 */
export async function syncReadModelIndexes(models: ReadModels): Promise<void> {
  for (const { model } of Object.values(models)) await model.syncIndexes();
  await models.buckets.markRollupsIfEmpty();
}

/** The read models among the stores (listing one less fails to compile). */
export function readModelsOf(stores: Stores): ReadModels {
  const {
    buckets,
    ledger,
    journal,
    standards,
    cohorts,
    certificates,
    cohortViews,
    credentials,
    people,
    bodies,
    projects,
  } = stores;
  return {
    buckets,
    ledger,
    journal,
    standards,
    cohorts,
    certificates,
    cohortViews,
    credentials,
    people,
    bodies,
    projects,
  };
}

/** Drops every collection of one generation's read models. */
export async function dropReadModels(models: ReadModels): Promise<void> {
  for (const { model } of Object.values(models))
    await model.collection.drop().catch((error: unknown) => {
      // Never written: nothing to drop.
      if ((error as { codeName?: string }).codeName !== 'NamespaceNotFound')
        throw error;
    });
}

/**
 * Drops the collections of generations other than `keep` (left by a swap or
 * by an abandoned rebuild). Generation 0's unsuffixed collections are dropped
 * by name once no kept generation uses them.
 */
export async function dropOtherGenerations(
  stores: Stores,
  keep: readonly GenerationSlot[],
): Promise<void> {
  const kept = new Set(keep.map((slot) => slot.suffix));
  const names = new Set(
    Object.values(readModelsOf(stores)).map(
      ({ model }) => model.collection.collectionName,
    ),
  );
  const db = stores.connection.db;
  if (!db) return;
  const existing = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of existing) {
    const match = /^(.*?)(_g\d+)?$/.exec(name);
    const base = match?.[1] ?? name;
    const suffix = match?.[2] ?? '';
    if (names.has(base) && !kept.has(suffix))
      await db.dropCollection(name).catch(() => undefined);
  }
}

/**
 * The catalog analytics join facts with (standards' sectors, credentials'
 * standards, cohorts' states and targets, certifying bodies' facility
 * states): four small collections, read whole.
 */
export async function loadCatalog(stores: Stores): Promise<Catalog> {
  const [standards, credentials, cohorts, bodies] = await Promise.all([
    stores.standards.all(),
    stores.credentials.all(),
    stores.cohortViews.all(),
    stores.bodies.all(),
  ]);
  return {
    standardSectors: new Map(standards.map((s) => [s.id, s.sectorId])),
    credentialStandards: new Map(credentials.map((c) => [c.id, c.standardId])),
    cohorts: new Map(cohorts.map((c) => [c.id, c])),
    bodies,
  };
}

/** `read`, at most once per key for as long as the returned function lives (a request). */
function readOnce<A extends unknown[], T>(
  keyOf: (...args: A) => string,
  read: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  const reads = new Map<string, Promise<T>>();
  return (...args) => {
    const key = keyOf(...args);
    let pending = reads.get(key);
    if (!pending) {
      pending = read(...args);
      reads.set(key, pending);
    }
    return pending;
  };
}

/** Per-request DataLoaders: N entity references cost one query. */
export function createLoaders(
  stores: Stores,
  now: () => Date = () => new Date(),
) {
  let read: Promise<Catalog> | undefined;
  const catalog = () => (read ??= loadCatalog(stores));
  return {
    /** The catalog, read at most once per request (and only when a filter needs it). */
    catalog,
    /**
     * The people active in `months` by `field`, read at most once per request
     * for the same months: the dashboard's overview asks supply and skillGaps
     * in one operation, and both read the same people.
     */
    peopleWithMonths: readOnce(
      (field: PersonMonths, months: readonly string[]) =>
        `${field}:${months.join(',')}`,
      (field, months) => stores.people.withMonths(field, months),
    ),
    /**
     * The certified rows (each certificate with the state it was evaluated
     * in) of the certificates issued in [from, until), read and computed at
     * most once per request for the same span and granularity: a state's
     * certificates are counted from them (the buckets do not hold the
     * evaluating body's state), and the open-data export asks for all 32
     * states over the same years in one build. One pass per state took the
     * event loop for 28 s at scale 100 (213,663 certificates): surveys
     * submitted meanwhile passed the gateway's timeout.
     */
    certifiedRowsBetween: readOnce(
      (from: Date, until: Date, granularity: Granularity) =>
        `${from.toISOString()}/${until.toISOString()}/${granularity}`,
      async (from, until, granularity) => {
        const [certificates, known] = await Promise.all([
          stores.people.certificatesIssuedBetween(from, until),
          catalog(),
        ]);
        return certifiedRows(certificates, known, granularity);
      },
    ),
    /**
     * The bucket rows of `metric` over `periods` matching `equalities`, read
     * at most once per request for the same arguments: a filter joined
     * through the catalog (a sector) selects after the read, so the
     * open-data export's sector scopes asked the same buckets once per
     * sector (2.6–4.6 s each at scale 100).
     */
    bucketRows: readOnce(
      (
        metric: Metric,
        granularity: Granularity,
        periods: readonly string[],
        equalities: BucketEqualities,
      ) => JSON.stringify([metric, granularity, periods, equalities]),
      (metric, granularity, periods, equalities) =>
        stores.buckets.rows(metric, granularity, periods, equalities),
    ),
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
    /** The per-person read model of each person id (null when no event named them). */
    person: new DataLoader<string, PersonRecord | null>(async (ids) => {
      const found = await stores.people.byIds(ids);
      const byId = new Map(found.map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
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
