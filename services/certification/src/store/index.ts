import type { Connection } from 'mongoose';
import type { OutboxWriter } from '@conecta/events';
import DataLoader from 'dataloader';
import { createEntityLoader } from '@conecta/service-kit';
import { createAccreditationStore } from './accreditations';
import { createCertificateStore } from './certificates';
import { createCertifyingBodyStore } from './certifying-bodies';
import { createEvaluationStore } from './evaluations';
import { createPersonStore } from './people';
import { createProjectionStore } from './projections';

/**
 * Every store of the service, built on one connection. Writes that carry
 * events go through the process's outbox writer (serialised per document with
 * the relay, so none is lost on FerretDB; it also wakes the relay).
 */
export function createStores(connection: Connection, outbox: OutboxWriter) {
  return {
    people: createPersonStore(connection, outbox),
    bodies: createCertifyingBodyStore(connection, outbox),
    accreditations: createAccreditationStore(connection, outbox),
    evaluations: createEvaluationStore(connection, outbox),
    certificates: createCertificateStore(connection, outbox),
    projections: createProjectionStore(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** Groups `items` by `key`, every requested key present (empty when none). */
function groupBy<T>(
  keys: readonly string[],
  items: readonly T[],
  key: (item: T) => string,
): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const item of items) groups.get(key(item))?.push(item);
  return keys.map((k) => groups.get(k) ?? []);
}

/** Per-request DataLoaders, so N references cost one query per type. */
export function createLoaders(stores: Stores) {
  return {
    person: createEntityLoader((ids) => stores.people.findByIds(ids)),
    body: createEntityLoader((ids) => stores.bodies.findByIds(ids)),
    bodyByOrganization: createEntityLoader(
      (ids) => stores.bodies.findByOrganizationIds(ids),
      (body) => body.organizationId,
    ),
    accreditation: createEntityLoader((ids) =>
      stores.accreditations.findByIds(ids),
    ),
    accreditationsOfBody: new DataLoader(async (bodyIds: readonly string[]) =>
      groupBy(
        bodyIds,
        await stores.accreditations.findByBodyIds(bodyIds),
        (a) => a.certifyingBodyId,
      ),
    ),
    evaluation: createEntityLoader((ids) => stores.evaluations.findByIds(ids)),
    certificate: createEntityLoader((ids) =>
      stores.certificates.findByIds(ids),
    ),
    standard: createEntityLoader((ids) =>
      stores.projections.findStandards(ids),
    ),
    certificateCount: new DataLoader(async (standardIds: readonly string[]) => {
      const counts = await stores.certificates.countByStandards(standardIds);
      return standardIds.map((id) => counts.get(id) ?? 0);
    }),
    certificatesOfPerson: new DataLoader(async (personIds: readonly string[]) =>
      groupBy(
        personIds,
        await stores.certificates.findByPersons(personIds),
        (c) => c.personId,
      ),
    ),
    /** Keyed `${bodyId}:${personId}`: whether that body evaluated that person (one query per body). */
    evaluatedBy: new DataLoader(async (keys: readonly string[]) => {
      const pairs = keys.map((key) => key.split(':') as [string, string]);
      const byBody = new Map<string, Set<string>>();
      for (const bodyId of new Set(pairs.map(([bodyId]) => bodyId))) {
        const candidates = pairs
          .filter(([b]) => b === bodyId)
          .map(([, p]) => p);
        byBody.set(
          bodyId,
          await stores.evaluations.candidatesEvaluatedBy(bodyId, candidates),
        );
      }
      return pairs.map(([bodyId, personId]) =>
        byBody.get(bodyId)!.has(personId),
      );
    }),
    activeAccreditations: new DataLoader(
      async (standardIds: readonly string[]) =>
        groupBy(
          standardIds,
          await stores.accreditations.findActiveForStandards(standardIds),
          (a) => a.standardId,
        ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Creates indexes (unique CURP, one VALID certificate per person+standard…) before traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.people.model.syncIndexes(),
    stores.bodies.model.syncIndexes(),
    stores.accreditations.model.syncIndexes(),
    stores.evaluations.model.syncIndexes(),
    stores.certificates.model.syncIndexes(),
    stores.projections.nominations.syncIndexes(),
  ]);
}
