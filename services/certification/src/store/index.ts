import type { Connection } from 'mongoose';
import type { OutboxWriter } from '@conecta/events';
import DataLoader from 'dataloader';
import { createEntityLoader } from '@conecta/service-kit';
import { v7 as uuidv7 } from 'uuid';
import type { Identity, Logger } from '@conecta/service-kit';
import { logEntriesFor, type FieldRead } from '../domain/access-log';
import { relationKey, type Relationship } from '../domain/candidacy';
import { createAccessLogStore } from './access-log';
import { createAccreditationStore } from './accreditations';
import { createCandidacyStore } from './candidacies';
import { createCertificateStore } from './certificates';
import { createCertifyingBodyStore } from './certifying-bodies';
import { createEvaluationProcedureStore } from './evaluation-procedures';
import { createEvaluationStore } from './evaluations';
import { createPersonStore } from './people';
import { createPersonReferenceStore } from './person-references';
import { createProjectionStore } from './projections';
import { createVerificationCounts } from './verification-counts';

/**
 * Every store of the service, built on one connection. Writes that carry
 * events go through the process's outbox writer (serialised per document with
 * the relay, so none is lost on FerretDB; it also wakes the relay). The
 * logger reports certificate counters that could not be written or were
 * repaired.
 */
export function createStores(
  connection: Connection,
  outbox: OutboxWriter,
  logger: Logger,
) {
  const projections = createProjectionStore(connection);
  return {
    people: createPersonStore(connection, outbox),
    bodies: createCertifyingBodyStore(connection, outbox),
    accreditations: createAccreditationStore(connection, outbox),
    evaluations: createEvaluationStore(connection, outbox),
    procedures: createEvaluationProcedureStore(connection, outbox),
    certificates: createCertificateStore(connection, outbox, {
      standardIdsAfter: projections.standardIdsAfter,
      logger,
    }),
    candidacies: createCandidacyStore(connection, outbox),
    personReferences: createPersonReferenceStore(connection),
    accessLog: createAccessLogStore(connection),
    verificationCounts: createVerificationCounts(connection, logger),
    projections,
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
    body: createEntityLoader((ids) => stores.bodies.mirrored(ids)),
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
    procedure: createEntityLoader((ids) => stores.procedures.findByIds(ids)),
    /** Every version of each body's evaluation procedure, oldest first: one query per batch. */
    proceduresOfBody: new DataLoader(async (bodyIds: readonly string[]) =>
      groupBy(
        bodyIds,
        await stores.procedures.findByBodyIds(bodyIds),
        (p) => p.certifyingBodyId,
      ),
    ),
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
    candidacy: createEntityLoader((ids) => stores.candidacies.findByIds(ids)),
    /**
     * Keyed `${bodyId}:${personId}` (relationKey): what the body's relationship
     * with the person rests on — its ACCEPTED candidacies, the evaluations
     * recorded under them and their certificates. Three queries per batch,
     * whatever the number of people (equalities / `$in` on indexed keys).
     */
    relationship: new DataLoader(
      async (keys: readonly string[]): Promise<Relationship[]> => {
        const candidacies =
          await stores.candidacies.findAcceptedForRelations(keys);
        const evaluations =
          candidacies.length > 0
            ? await stores.evaluations.recordedUnder(
                candidacies.map((c) => c.id),
              )
            : [];
        const certificates =
          evaluations.length > 0
            ? await stores.certificates.findByEvaluationIds(
                evaluations.map((e) => e.id),
              )
            : [];
        const relationOf = new Map(
          candidacies.map((c) => [
            c.id,
            relationKey(c.certifyingBodyId, c.personId),
          ]),
        );
        const evaluationRelation = new Map(
          evaluations.map((e) => [e.id, relationOf.get(e.candidacyId)!]),
        );
        const byKey = new Map(
          keys.map((k) => [
            k,
            {
              acceptedAt: [] as Date[],
              evaluationsRecordedAt: [] as Date[],
              certificatesIssuedAt: [] as Date[],
            },
          ]),
        );
        const at = (key: string | undefined) =>
          key === undefined ? undefined : byKey.get(key);
        for (const c of candidacies)
          if (c.acceptedAt)
            at(relationOf.get(c.id))?.acceptedAt.push(c.acceptedAt);
        for (const e of evaluations)
          at(evaluationRelation.get(e.id))?.evaluationsRecordedAt.push(
            e.recordedAt,
          );
        for (const c of certificates)
          at(evaluationRelation.get(c.evaluationId))?.certificatesIssuedAt.push(
            c.issuedAt,
          );
        return keys.map((k) => byKey.get(k)!);
      },
    ),
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

/**
 * The request's access-log writer: every personal field read by someone other
 * than the person is `load`ed here; each batch (the reads one wave of
 * resolvers makes: a whole list of people at once) becomes one entry per
 * person and one bulk insert, and the reads resolve only once it is written.
 */
export function createAccessLogWriter(
  stores: Stores,
  { identity, requestId }: { identity: Identity; requestId: string },
) {
  return new DataLoader<FieldRead, true, string>(
    async (reads) => {
      await stores.accessLog.insertMany(
        logEntriesFor(reads, {
          reader: {
            subject: identity.subject ?? '(no subject)',
            organizationId: identity.organizationId ?? null,
          },
          requestId,
          now: new Date(),
          newId: uuidv7,
        }),
      );
      return reads.map(() => true as const);
    },
    { cacheKeyFn: (read) => JSON.stringify(read) },
  );
}

export type AccessLogWriter = ReturnType<typeof createAccessLogWriter>;

/** Creates indexes (unique CURP, one VALID certificate per person+standard…) before traffic. */
export async function syncIndexes(stores: Stores): Promise<void> {
  await Promise.all([
    stores.people.model.syncIndexes(),
    stores.bodies.model.syncIndexes(),
    stores.accreditations.model.syncIndexes(),
    stores.evaluations.model.syncIndexes(),
    stores.procedures.model.syncIndexes(),
    stores.certificates.model.syncIndexes(),
    stores.candidacies.model.syncIndexes(),
    stores.accessLog.model.syncIndexes(),
    stores.verificationCounts.model.syncIndexes(),
    stores.projections.nominations.syncIndexes(),
  ]);
}
