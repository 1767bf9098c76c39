import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
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

/**
 * The field each write stamps on a person (`Date.now()` in microseconds plus
 * the write's place in its bulkWrite: distinct within a writer), indexed: the
 * mirror reads what changed since it last looked by a range of it, sorted
 * and limited, which the store serves from the index.
 */
export const TOUCHED_FIELD = 'touchedAt';
// People read per page when the mirror catches up.
const MIRROR_PAGE = 1_000;
/**
 * How far back each catch-up reads again: a write stamped before another
 * writer's write it commits after (a slow bulkWrite of another partition or
 * instance) is still found by the next catch-up.
 */
const MIRROR_LOOKBACK_MS = 10_000;

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
 * months a query selects people by in two arrays and the cohorts they
 * enrolled in in a third (all indexed). Written by the
 * batch applier only, in one unordered bulkWrite of upserts — `$set` of leaf
 * fields and `$addToSet` of months, both idempotent and commutative, so a
 * re-applied batch, a redelivery, or two partitions writing one person at
 * once leave the same document.
 */
export function createPeopleView(
  connection: Connection,
  suffix = '',
  lookbackMs = MIRROR_LOOKBACK_MS,
) {
  const { model, collection } = readModel(
    connection,
    'PersonView',
    'people',
    suffix,
    [
      { enrolledMonths: 1 },
      { supplyMonths: 1 },
      { cohortIds: 1 },
      { [TOUCHED_FIELD]: 1 },
    ],
  );
  const mirror = createPeopleMirror(collection, lookbackMs);
  return {
    model,
    async applyMany(writes: readonly PersonWrite[]): Promise<void> {
      if (writes.length === 0) return;
      const stamp = Date.now() * 1_000;
      const ops: AnyBulkWriteOperation<ReadModelDocument>[] = writes.map(
        ({ id, set, add }, i) => {
          const update: Document = {
            $set: { ...set, [TOUCHED_FIELD]: stamp + i },
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
    /**
     * The people with a month of `field` among `months`, from the mirror
     * brought up to date first. At scale 100 a span of three years selects
     * 155,940 of 196,014 people: reading them took 15.5 s, past the
     * gateway's timeout; the mirror reads only who changed since.
     */
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
    /**
     * Brings the mirror up to date (what `withMonths` does before it
     * answers): a service warms it at start, so the first dashboard query
     * does not read every person.
     *
     * @returns how many people were read
     */
    refreshMirror: () => mirror.refresh(),
    /**
     * Stamps people written before the stamp existed (`touchedAt: 0`): the
     * store sorts by a field only when every document holds it, and until
     * then the mirror reads everyone at each catch-up. Once, at start, in the
     * background (75 s for the 196,014 people of scale 100).
     *
     * @returns how many were stamped
     */
    async stampUnstamped(): Promise<number> {
      const { modifiedCount } = await collection.updateMany(
        { [TOUCHED_FIELD]: { $exists: false } },
        { $set: { [TOUCHED_FIELD]: 0 } },
      );
      return modifiedCount;
    },
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

const months = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((m) => typeof m === 'string') : [];

/**
 * Every person of one generation's `people` collection, in this process's
 * memory, brought up to date before each read: it reads the people stamped
 * (`touchedAt`) after the last stamp it saw, less `lookbackMs`, in pages
 * sorted by the stamp (an index range). Whoever wrote them — this process's
 * consumer, another instance's, a rebuild — a read sees every write committed
 * before it began, as a read of the collection would. Concurrent reads share
 * one catch-up; a read that arrives during one waits for the next.
 *
 * Why: supply in people, skill gaps, the funnel and state-filtered certified
 * counts select most people of a national registry (three years: 155,940 of
 * 196,014 at scale 100, 15.5 s to read), and a store cannot count distinct
 * people or a certificate's evaluation state from its indexes. Memory: one
 * record per person (about 1 KB; measured in the README).
 */
function createPeopleMirror(
  collection: Collection<ReadModelDocument>,
  lookbackMs: number,
) {
  const people = new Map<string, MirroredPerson>();
  let seen = -1;
  // Whether every person holds a stamp (people written before it existed
  // are stamped once, at start): until then each catch-up reads everyone.
  let stamped = false;
  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;

  const keep = (doc: ReadModelDocument) => {
    people.set(doc._id, {
      record: toRecord(doc),
      enrolledMonths: months(doc.enrolledMonths),
      supplyMonths: months(doc.supplyMonths),
    });
    const stamp = Number(doc[TOUCHED_FIELD] ?? -1);
    if (stamp > seen) seen = stamp;
  };

  /** Reads every page of `filter` sorted by `field` (an index range each), keeping each person. */
  async function readPages(
    field: '_id' | typeof TOUCHED_FIELD,
    after: string | number,
  ): Promise<number> {
    let read = 0;
    for (;;) {
      const page = await collection
        .find({ [field]: { $gt: after } } as Document)
        .sort({ [field]: 1 })
        .limit(MIRROR_PAGE)
        .toArray();
      page.forEach(keep);
      read += page.length;
      if (page.length < MIRROR_PAGE) return read;
      after = page[page.length - 1]![field] as string | number;
    }
  }

  async function catchUp(): Promise<number> {
    stamped ||=
      (await collection.findOne(
        { [TOUCHED_FIELD]: { $exists: false } },
        { projection: { _id: 1 } },
      )) === null;
    if (!stamped) return readPages('_id', '');
    return readPages(TOUCHED_FIELD, seen < 0 ? -1 : seen - lookbackMs * 1_000);
  }

  /** A catch-up that starts after every write committed before this call. */
  function refresh(): Promise<number> {
    if (!running) {
      running = catchUp().finally(() => (running = null));
      return running;
    }
    queued ??= running
      .catch(() => 0)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  }

  return {
    refresh,
    async current(): Promise<ReadonlyMap<string, MirroredPerson>> {
      await refresh();
      return people;
    },
  };
}
