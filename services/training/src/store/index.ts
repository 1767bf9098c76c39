import { isDuplicateKeyError, type OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import { createEntityLoader } from '@conecta/service-kit';
import DataLoader from 'dataloader';
import {
  withProgramDefaults,
  type Agreement,
  type VendorCredential,
} from '../domain/catalog';
import {
  LIVE_DEMAND_STATUSES,
  demandNaturalKey,
  type DemandRequest,
} from '../domain/demand';
import { targetKey } from '../domain/common';
import type { Enrollment } from '../domain/enrollment';
import {
  certificationStandardOf,
  type CertificateFact,
} from '../domain/indicators';
import {
  certificationRecord,
  type CertificationRecord,
} from '../domain/quality';
import { createAggregateStore } from './aggregate';
import { createCohortHistoryStore } from './cohort-history';
import { createCohortStore } from './cohorts';
import { createHistoryStore } from './history';
import { createProjections } from './projections';
import { createProjectStore } from './projects';

/** The stored field of a demand request's natural key (`demandNaturalKey`). */
export const NATURAL_KEY = 'naturalKey';

/**
 * The stored field of an agreement's target as one string (`targetKey`):
 * top-level, so that the development store (FerretDB, which pushes down
 * top-level fields only) uses its index as MongoDB would.
 */
export const TARGET_KEY = 'targetKey';

/** Every store of the service, built on one connection. */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  const demands = createAggregateStore<DemandRequest>(connection, outbox, {
    model: 'DemandRequest',
    collection: 'demand_requests',
    indexes: [
      { fields: { requesterId: 1 } },
      { fields: { status: 1 } },
      // Issue 13: one live request per natural key, even for two creates at
      // once (README: Decisions, natural key of a demand request).
      { fields: { [NATURAL_KEY]: 1 }, unique: true },
    ],
    conflictCode: 'DEMAND_CHANGED_CONCURRENTLY',
    derived: {
      fields: [NATURAL_KEY],
      // Written when created; a save rewrites it only to let it go (closed).
      // A live request's key never changes (its parts are never edited), so
      // a save leaves the stored one alone (legacy duplicates keep theirs).
      derive: (demand, on) =>
        on === 'insert' || !LIVE_DEMAND_STATUSES.includes(demand.status)
          ? { [NATURAL_KEY]: demandNaturalKey(demand) }
          : {},
    },
  });
  const cohorts = createCohortStore(connection, outbox);
  const agreements = createAggregateStore<Agreement>(connection, outbox, {
    model: 'Agreement',
    collection: 'agreements',
    indexes: [{ fields: { providerId: 1 } }, { fields: { [TARGET_KEY]: 1 } }],
    conflictCode: 'AGREEMENT_CHANGED_CONCURRENTLY',
    // Agreements signed before durations were recorded read the defaults.
    upcast: withProgramDefaults,
    // An agreement's target never changes; written on every write all the same.
    derived: {
      fields: [TARGET_KEY],
      derive: (agreement) => ({ [TARGET_KEY]: targetKey(agreement.target) }),
    },
  });
  const enrollments = createAggregateStore<Enrollment>(connection, outbox, {
    model: 'Enrollment',
    collection: 'enrollments',
    // Enrolling twice in the same cohort is refused by this index.
    indexes: [
      { fields: { cohortId: 1, personId: 1 }, unique: true },
      { fields: { personId: 1 } },
    ],
    conflictCode: 'ENROLLMENT_CHANGED_CONCURRENTLY',
  });
  return {
    credentials: createAggregateStore<VendorCredential>(connection, outbox, {
      model: 'VendorCredential',
      collection: 'vendor_credentials',
      // One catalog entry per vendor code.
      indexes: [{ fields: { vendor: 1, code: 1 }, unique: true }],
      conflictCode: 'CREDENTIAL_CHANGED_CONCURRENTLY',
    }),
    demands: {
      ...demands,
      /** The request holding a natural key (a live one), if any. */
      async findByNaturalKey(key: string) {
        const [found] = await demands.find({ [NATURAL_KEY]: key });
        return found ?? null;
      },
    },
    /** Historical imports of demand: the (source, reference) ledger and bulk writes. */
    history: createHistoryStore(connection, demands),
    agreements: {
      ...agreements,
      /** The agreements for any of these `targetKey`s, by its index (through `find`: one read path). */
      findByTargetKeys(keys: readonly string[]) {
        return this.find({ [TARGET_KEY]: { $in: [...keys] } });
      },
    },
    projects: createProjectStore(connection, outbox),
    cohorts,
    enrollments,
    /** Historical imports of past cohorts: the (source, folio) ledger and bulk writes. */
    cohortHistory: createCohortHistoryStore(connection, cohorts, enrollments),
    projections: createProjections(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** A loader of the items grouped under each key: N keys, one query. */
function groupLoader<T>(
  fetchMany: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (item: T) => string,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const item of await fetchMany(keys)) {
      const key = keyOf(item);
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** Per-request DataLoaders, so N references cost one query per kind. */
export function createLoaders(stores: Stores) {
  return {
    credential: createEntityLoader((ids) => stores.credentials.findByIds(ids)),
    demand: createEntityLoader((ids) => stores.demands.findByIds(ids)),
    agreement: createEntityLoader((ids) => stores.agreements.findByIds(ids)),
    project: createEntityLoader((ids) => stores.projects.findByIds(ids)),
    cohort: createEntityLoader((ids) => stores.cohorts.findByIds(ids)),
    enrollment: createEntityLoader((ids) => stores.enrollments.findByIds(ids)),
    demandsByRequester: groupLoader(
      (ids) =>
        stores.demands.find({ requesterId: { $in: [...ids] } }, { _id: 1 }),
      (d) => d.requesterId,
    ),
    agreementsByProvider: groupLoader(
      (ids) =>
        stores.agreements.find({ providerId: { $in: [...ids] } }, { _id: -1 }),
      (a) => a.providerId,
    ),
    /** By `targetKey`: a standard's offers, a demand request's matches. */
    agreementsByTarget: groupLoader(
      (keys) => stores.agreements.findByTargetKeys(keys),
      (a) => targetKey(a.target),
    ),
    cohortsByAgreement: groupLoader(
      (ids) =>
        stores.cohorts.find(
          { agreementId: { $in: [...ids] } },
          { startsOn: 1 },
        ),
      (c) => c.agreementId,
    ),
    cohortsByProject: groupLoader(
      (ids) =>
        stores.cohorts.find({ projectId: { $in: [...ids] } }, { startsOn: 1 }),
      (c) => c.projectId ?? '',
    ),
    enrollmentsByCohort: groupLoader(
      (ids) =>
        stores.enrollments.find({ cohortId: { $in: [...ids] } }, { _id: 1 }),
      (e) => e.cohortId,
    ),
    enrollmentsByPerson: groupLoader(
      (ids) =>
        stores.enrollments.find({ personId: { $in: [...ids] } }, { _id: -1 }),
      (e) => e.personId,
    ),
    certificatesByPerson: groupLoader<CertificateFact>(
      (ids) => stores.projections.certificates.ofPersons(ids),
      (c) => c.personId,
    ),
    /** outcomes' released survey score of each provider (matching's quality). */
    providerSurvey: createEntityLoader((ids) =>
      stores.projections.providerSurveys.findByIds(ids),
    ),
    /** What training knows of each provider's completers and their certificates (matching's quality). */
    certificationByProvider: new DataLoader<string, CertificationRecord>(
      (providerIds) => certificationRecords(stores, providerIds),
    ),
  };
}

/**
 * Each provider's certification record over every cohort of its agreements:
 * the COMPLETED enrollments and the certificates of their people
 * (certification's events, projected). Five queries, whatever the number of
 * providers.
 */
async function certificationRecords(
  stores: Stores,
  providerIds: readonly string[],
): Promise<CertificationRecord[]> {
  const agreements = await stores.agreements.find({
    providerId: { $in: [...providerIds] },
  });
  const cohorts =
    agreements.length === 0
      ? []
      : await stores.cohorts.find({
          agreementId: { $in: agreements.map((a) => a.id) },
        });
  const enrollments =
    cohorts.length === 0
      ? []
      : await stores.enrollments.find({
          cohortId: { $in: cohorts.map((c) => c.id) },
          status: 'COMPLETED',
        });
  const credentialIds = [
    ...new Set(
      cohorts
        .filter((c) => c.target.kind === 'CREDENTIAL')
        .map((c) => c.target.id),
    ),
  ];
  const people = [...new Set(enrollments.map((e) => e.personId))];
  const [certificates, credentials] = await Promise.all([
    people.length === 0
      ? Promise.resolve([])
      : stores.projections.certificates.ofPersons(people),
    credentialIds.length === 0
      ? Promise.resolve([])
      : stores.credentials.findByIds(credentialIds),
  ]);
  const alignedOf = new Map(credentials.map((c) => [c.id, c.standardId]));
  const providerOfAgreement = new Map(
    agreements.map((a) => [a.id, a.providerId]),
  );
  const cohortById = new Map(cohorts.map((c) => [c.id, c]));
  const standardOfCohort = (cohortId: string): string | null => {
    const cohort = cohortById.get(cohortId);
    return cohort
      ? certificationStandardOf(
          cohort.target,
          alignedOf.get(cohort.target.id) ?? null,
        )
      : null;
  };
  return providerIds.map((providerId) =>
    certificationRecord(
      enrollments.filter((e) => {
        const cohort = cohortById.get(e.cohortId);
        return (
          cohort !== undefined &&
          providerOfAgreement.get(cohort.agreementId) === providerId
        );
      }),
      standardOfCohort,
      certificates,
    ),
  );
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Gives demand requests written before natural keys theirs, so the unique
 * index can be built: a live one its key — the oldest of legacy duplicates
 * keeps it, the others get `duplicate:<id>` (they stay, and a broker may
 * cancel them); a closed one `closed:<id>`. Each write is conditional on the
 * key still missing (a second pass or instance does nothing); no event (the
 * key is not domain state) and no version change.
 *
 * @returns how many requests were given a key
 */
export async function backfillNaturalKeys(
  stores: Stores,
  outbox: OutboxWriter,
): Promise<number> {
  const legacy = await stores.demands.find(
    { [NATURAL_KEY]: { $exists: false } },
    { _id: 1 },
  );
  const { collection } = stores.demands;
  let written = 0;
  // Before the unique index exists nothing refuses a second holder: the
  // keys given in this pass and those already stored are checked here.
  const given = new Set<string>();
  for (const demand of legacy) {
    let key = demandNaturalKey(demand);
    if (given.has(key) || (await stores.demands.findByNaturalKey(key)) !== null)
      key = `duplicate:${demand.id}`;
    given.add(key);
    const set = (value: string) =>
      outbox.exclusive(collection, demand.id, () =>
        collection.updateOne(
          { _id: demand.id, [NATURAL_KEY]: { $exists: false } } as never,
          { $set: { [NATURAL_KEY]: value } },
        ),
      );
    try {
      written += (await set(key)).modifiedCount;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      written += (await set(`duplicate:${demand.id}`)).modifiedCount;
    }
  }
  return written;
}

/**
 * Gives agreements written before `targetKey` theirs, so that lookups by
 * target find them. Each write is conditional on the key still missing (a
 * second pass or instance does nothing); no event (the key is not domain
 * state) and no version change.
 *
 * @returns how many agreements were given a key
 */
export async function backfillAgreementTargets(
  stores: Stores,
): Promise<number> {
  const legacy = await stores.agreements.find({
    [TARGET_KEY]: { $exists: false },
  });
  if (legacy.length === 0) return 0;
  const { modifiedCount } = await stores.agreements.collection.bulkWrite(
    legacy.map((agreement) => ({
      updateOne: {
        filter: { _id: agreement.id, [TARGET_KEY]: { $exists: false } },
        update: { $set: { [TARGET_KEY]: targetKey(agreement.target) } },
      },
    })) as never,
  );
  return modifiedCount;
}

/** Creates indexes (unique vendor code, unique cohort + person, unique natural key of live demand) before traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.credentials.model.syncIndexes(),
    stores.demands.model.syncIndexes(),
    stores.history.model.syncIndexes(),
    stores.cohortHistory.model.syncIndexes(),
    stores.agreements.model.syncIndexes(),
    stores.projects.model.syncIndexes(),
    stores.cohorts.model.syncIndexes(),
    stores.enrollments.model.syncIndexes(),
    stores.projections.standards.model.syncIndexes(),
    stores.projections.persons.model.syncIndexes(),
    stores.projections.organizations.model.syncIndexes(),
    stores.projections.certificates.model.syncIndexes(),
  ]);
}
