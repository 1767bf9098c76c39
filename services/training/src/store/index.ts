import type { OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import { createEntityLoader } from '@conecta/service-kit';
import DataLoader from 'dataloader';
import {
  withProgramDefaults,
  type Agreement,
  type VendorCredential,
} from '../domain/catalog';
import type { DemandRequest } from '../domain/demand';
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
import { createCohortStore } from './cohorts';
import { createHistoryStore } from './history';
import { createProjections } from './projections';
import { createProjectStore } from './projects';

/** Every store of the service, built on one connection. */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  const demands = createAggregateStore<DemandRequest>(connection, outbox, {
    model: 'DemandRequest',
    collection: 'demand_requests',
    indexes: [{ fields: { requesterId: 1 } }, { fields: { status: 1 } }],
    conflictCode: 'DEMAND_CHANGED_CONCURRENTLY',
  });
  return {
    credentials: createAggregateStore<VendorCredential>(connection, outbox, {
      model: 'VendorCredential',
      collection: 'vendor_credentials',
      // One catalog entry per vendor code.
      indexes: [{ fields: { vendor: 1, code: 1 }, unique: true }],
      conflictCode: 'CREDENTIAL_CHANGED_CONCURRENTLY',
    }),
    demands,
    /** Historical imports of demand: the (source, reference) ledger and bulk writes. */
    history: createHistoryStore(connection, demands),
    agreements: createAggregateStore<Agreement>(connection, outbox, {
      model: 'Agreement',
      collection: 'agreements',
      indexes: [{ fields: { providerId: 1 } }, { fields: { 'target.id': 1 } }],
      conflictCode: 'AGREEMENT_CHANGED_CONCURRENTLY',
      // Agreements signed before durations were recorded read the defaults.
      upcast: withProgramDefaults,
    }),
    projects: createProjectStore(connection, outbox),
    cohorts: createCohortStore(connection, outbox),
    enrollments: createAggregateStore<Enrollment>(connection, outbox, {
      model: 'Enrollment',
      collection: 'enrollments',
      // Enrolling twice in the same cohort is refused by this index.
      indexes: [
        { fields: { cohortId: 1, personId: 1 }, unique: true },
        { fields: { personId: 1 } },
      ],
      conflictCode: 'ENROLLMENT_CHANGED_CONCURRENTLY',
    }),
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
    agreementsByStandard: groupLoader(
      (ids) =>
        stores.agreements.find({
          'target.kind': 'STANDARD',
          'target.id': { $in: [...ids] },
        }),
      (a) => a.target.id,
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

/** Creates indexes (unique vendor code, unique cohort + person) before traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.credentials.model.syncIndexes(),
    stores.demands.model.syncIndexes(),
    stores.history.model.syncIndexes(),
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
