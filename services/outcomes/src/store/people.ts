import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { CHANGE_STAMP, changeStamp, createMirror } from '@conecta/service-kit';
import type {
  CertificateFact,
  EnrollmentFact,
  PersonRecord,
  PlacementFact,
} from '../domain/people';
import type { PersonWrite } from '../events/plan';
import {
  bulkWithDuplicates,
  findManyByIds,
  readModel,
  type ReadModelDocument,
} from './collections';

// The most cohort ids one `$in` lists (FerretDB scans the collection for a
// `$in` of more than 1 000; see store/collections.ts).
const IN_CHUNK = 500;

/** The arrays people are selected by: months of enrollments, and of enrollments and certificates. */
export type PersonMonths = 'enrolledMonths' | 'supplyMonths';

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;
const date = (value: unknown): Date | null =>
  value instanceof Date
    ? value
    : typeof value === 'string'
      ? new Date(value)
      : null;
const entries = (value: unknown): Array<[string, Record<string, unknown>]> =>
  Object.entries((value ?? {}) as Record<string, Record<string, unknown>>);

function toRecord(doc: ReadModelDocument): PersonRecord {
  return {
    id: doc._id,
    enrollments: entries(doc.enrollments).map(([id, e]): EnrollmentFact => ({
      id,
      cohortId: text(e.cohortId),
      standardId: text(e.standardId),
      credentialId: text(e.credentialId),
      enrolledAt: date(e.enrolledAt),
      completedAt: date(e.completedAt),
      droppedAt: date(e.droppedAt),
    })),
    certificates: entries(doc.certificates).map(([id, c]): CertificateFact => ({
      id,
      standardId: text(c.standardId),
      certifyingBodyId: text(c.certifyingBodyId),
      issuedAt: date(c.issuedAt),
      revokedAt: date(c.revokedAt),
      imported: c.imported === true,
    })),
    placements: entries(doc.placements).map(([id, p]): PlacementFact => ({
      id,
      startDate: p.startDate
        ? new Date(`${String(p.startDate)}T00:00:00.000Z`)
        : null,
    })),
  };
}

/**
 * The per-person read model (`people`, one document per person id; see
 * `domain/people.ts`): each fact under its id with absolute fields, and the
 * months a query selects people by in two arrays (read from the mirror) and
 * the cohorts they enrolled in in a third (indexed), and the change stamp
 * (indexed). Written by the
 * batch applier only, in one unordered bulkWrite of upserts — `$set` of leaf
 * fields and `$addToSet` of months, both idempotent and commutative, so a
 * re-applied batch, a redelivery, or two partitions writing one person at
 * once leave the same document.
 */
export function createPeopleView(
  connection: Connection,
  suffix = '',
  lookbackMs?: number,
) {
  const { model, collection } = readModel(
    connection,
    'PersonView',
    'people',
    suffix,
    // People are selected by months from the mirror, not the store: only a
    // project's cohorts and the mirror's stamp are looked up here.
    [{ cohortIds: 1 }, { [CHANGE_STAMP]: 1 }],
  );
  // Every person in this process's memory, caught up before each read
  // (service-kit's createMirror; README: People). At scale 100 a span of
  // three years selects 155,940 of 196,014 people: reading them from the
  // store took 15.5 s, past the gateway's timeout, and no index counts
  // distinct people or a certificate's evaluation state.
  const mirror = createMirror<MirroredPerson>({
    collection: collection as unknown as Collection<Document>,
    toValue: (doc) => ({
      record: toRecord(doc as ReadModelDocument),
      enrolledMonths: monthList(doc.enrolledMonths),
      supplyMonths: monthList(doc.supplyMonths),
    }),
    lookbackMs,
  });
  return {
    model,
    async applyMany(writes: readonly PersonWrite[]): Promise<void> {
      if (writes.length === 0) return;
      const ops: AnyBulkWriteOperation<ReadModelDocument>[] = writes.map(
        ({ id, set, add }, i) => {
          const update: Document = {
            $set: { ...set, [CHANGE_STAMP]: changeStamp(i) },
          };
          const months = Object.entries(add).filter(
            ([, list]) => list && list.length > 0,
          );
          if (months.length > 0)
            update.$addToSet = Object.fromEntries(
              months.map(([name, list]) => [name, { $each: list }]),
            );
          return { updateOne: { filter: { _id: id }, update, upsert: true } };
        },
      );
      // Two writers upserting one new person at once: the loser's upsert
      // hits the duplicate _id; run it again, it now updates.
      const { duplicates } = await bulkWithDuplicates(collection, ops);
      if (duplicates.length > 0)
        await collection.bulkWrite(
          duplicates.map((index) => ops[index]!),
          { ordered: false },
        );
    },
    /** The people with a month of `field` among `months` (from the mirror). */
    async withMonths(
      field: PersonMonths,
      months: readonly string[],
    ): Promise<PersonRecord[]> {
      const wanted = new Set(months);
      const people = await mirror.current();
      const found: PersonRecord[] = [];
      for (const person of people.values())
        if (person[field].some((month) => wanted.has(month)))
          found.push(person.record);
      return found;
    },
    /**
     * The certificates issued in [from, until), revoked ones included (the
     * caller leaves them out), from the mirror: what a state filter on
     * certified counts reads (the buckets do not hold the evaluating body's
     * state). Reading them from the certificates view took 11–13 s at scale
     * 100 for a three-year span.
     */
    async certificatesIssuedBetween(
      from: Date,
      until: Date,
    ): Promise<Array<CertificateFact & { standardId: string }>> {
      const people = await mirror.current();
      const found: Array<CertificateFact & { standardId: string }> = [];
      for (const { record } of people.values())
        for (const c of record.certificates)
          if (
            c.standardId &&
            c.issuedAt &&
            c.issuedAt >= from &&
            c.issuedAt < until
          )
            found.push({ ...c, standardId: c.standardId });
      return found;
    },
    /** Brings the mirror up to date (warmed at start: see `Mirror.refresh`). */
    refreshMirror: () => mirror.refresh(),
    /** Stamps people written before the stamp existed (see `Mirror.stampUnstamped`; 75 s at scale 100). */
    stampUnstamped: () => mirror.stampUnstamped(),
    /**
     * The people enrolled in any of these cohorts (`cohortIds`, indexed),
     * each once: a project's people, read with `$in`s of at most 500 ids.
     */
    async inCohorts(cohortIds: readonly string[]): Promise<PersonRecord[]> {
      const found = new Map<string, ReadModelDocument>();
      for (let i = 0; i < cohortIds.length; i += IN_CHUNK) {
        const part = cohortIds.slice(i, i + IN_CHUNK);
        for (const doc of await collection
          .find({ cohortIds: { $in: part } })
          .toArray())
          found.set(doc._id, doc);
      }
      return [...found.values()].map(toRecord);
    },
    /** These people (those never mentioned by an event are missing). */
    async byIds(ids: readonly string[]): Promise<PersonRecord[]> {
      return (await findManyByIds(collection, ids)).map(toRecord);
    },
  };
}

export type PeopleView = ReturnType<typeof createPeopleView>;

/** A person as the mirror holds them: the record, and the months they are selected by. */
interface MirroredPerson {
  record: PersonRecord;
  enrolledMonths: string[];
  supplyMonths: string[];
}

const monthList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((m) => typeof m === 'string') : [];
