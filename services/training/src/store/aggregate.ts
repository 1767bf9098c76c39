import type { Collection, Document } from 'mongodb';
import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import {
  FIRST_VERSION,
  VERSION_FIELD,
  VersionConflictError,
  versionFilter,
  versionOf,
} from './versions';

/** Fields of a stored document that are not domain state. */
const INTERNAL_FIELDS = [
  '_id',
  'outbox',
  'outboxPending',
  'outboxLease',
  'appliedEventIds',
];

type Doc = Record<string, unknown> & { _id: string };

/** The version an aggregate was read at (see `./versions`). */
export interface Versioned {
  readonly version: number;
}

/** An aggregate as read from its store: the domain object and its version. */
export type Stored<T> = T & Versioned;

/**
 * A domain object as stored: its fields, `_id` for `id`, absent optionals left
 * out; the version it was read at (if any) is the store's business, not a field
 * to write.
 */
export function toDoc<T extends { id: string }>(entity: T): Doc {
  const { id, ...fields } = entity;
  return {
    _id: id,
    ...Object.fromEntries(
      Object.entries(fields).filter(
        ([key, value]) => value !== undefined && key !== VERSION_FIELD,
      ),
    ),
  };
}

/** A new document: the domain object at the first version. */
function newDoc<T extends { id: string }>(entity: T): Doc {
  return { ...toDoc(entity), [VERSION_FIELD]: FIRST_VERSION };
}

/** The domain object of a stored document (outbox fields dropped), with its version (0 when it has none). */
export function fromDoc<T>(doc: Record<string, unknown>): Stored<T> {
  const entity: Record<string, unknown> = { id: doc._id };
  for (const [key, value] of Object.entries(doc)) {
    if (!INTERNAL_FIELDS.includes(key)) entity[key] = value;
  }
  entity[VERSION_FIELD] = versionOf(doc);
  return entity as Stored<T>;
}

/** Sort keys of a page, most significant first; the last must be `_id` (unique). */
export type SortKeys = ReadonlyArray<readonly [string, 1 | -1]>;

/** A page of a list: its items, how many match in all, whether more follow. */
export interface Page<T> {
  nodes: T[];
  totalCount: number;
  hasNextPage: boolean;
}

/**
 * `filter` narrowed to the items after the one whose sort values are
 * `after`: (k0 beyond v0) or (k0 = v0 and k1 beyond v1) or … With one sort
 * key the filter only gains that key's range at its top level, which
 * FerretDB serves from the key's index, sort and limit included (devstack
 * README, the patch's items 6 and 7); under `$and`/`$or` it would read every
 * match of `filter` for each page (the reconciler's walk of 86,759 requests
 * at scale 100: 4.5 s a page).
 */
function afterKeyset(
  filter: Record<string, unknown>,
  sort: SortKeys,
  after: readonly unknown[],
): Record<string, unknown> {
  const beyond = (i: number) => ({
    [sort[i]![1] === 1 ? '$gt' : '$lt']: after[i],
  });
  const [only] = sort;
  if (sort.length === 1 && only && !(only[0] in filter))
    return { ...filter, [only[0]]: beyond(0) };
  const start = {
    $or: sort.map(([key], i) => ({
      ...Object.fromEntries(sort.slice(0, i).map(([k], j) => [k, after[j]])),
      [key]: beyond(i),
    })),
  };
  return Object.keys(filter).length > 0 ? { $and: [filter, start] } : start;
}

/**
 * The store of one aggregate kind: mongoose declares the collection and its
 * indexes and reads; every write that carries events goes through the outbox
 * writer (state and events in one document write).
 */
export function createAggregateStore<T extends { id: string }>(
  connection: Connection,
  outbox: OutboxWriter,
  options: {
    model: string;
    collection: string;
    /** Fields to index, and unique compound indexes. */
    indexes: Array<{ fields: Record<string, 1 | -1>; unique?: boolean }>;
    /** Stable CONFLICT code when a concurrent change wins. */
    conflictCode: string;
    /**
     * Fills what a document written by an earlier version lacks (defaults
     * the domain documents), on every read.
     */
    upcast?: (stored: T) => T;
    /**
     * Fields derived from the state and stored beside it for an index (e.g.
     * a natural key): `fields` names them (dropped on read: not domain
     * state); `derive` gives their values for a new document (`insert`) or a
     * save (`save`; what it leaves out stays as stored).
     */
    derived?: {
      fields: readonly string[];
      derive: (entity: T, on: 'insert' | 'save') => Record<string, unknown>;
    };
  },
) {
  const derivedFields = (
    entity: T,
    on: 'insert' | 'save',
  ): Record<string, unknown> => options.derived?.derive(entity, on) ?? {};
  const read = (doc: Record<string, unknown>): Stored<T> => {
    const stored = fromDoc<T>(doc);
    const entity = (
      options.upcast ? options.upcast(stored) : stored
    ) as Stored<T> & Record<string, unknown>;
    for (const key of options.derived?.fields ?? []) delete entity[key];
    return { ...entity, [VERSION_FIELD]: stored.version };
  };
  const schema = new Schema<Doc>(
    { _id: { type: String, required: true } },
    // Writes go through the driver (outbox); mongoose declares indexes and reads.
    { versionKey: false, strict: false },
  );
  for (const index of options.indexes)
    // `unique: false` would differ from the stored index (no option), so
    // every start's `syncIndexes()` dropped and rebuilt it.
    schema.index(index.fields, index.unique ? { unique: true } : {});
  const model = connection.model<Doc>(
    options.model,
    schema,
    options.collection,
  );
  const collection = model.collection as unknown as Collection<Document>;

  async function find(
    filter: Record<string, unknown>,
    sort: Record<string, 1 | -1> = { _id: 1 },
  ): Promise<Stored<T>[]> {
    const docs = await model
      .find(filter as never)
      .sort(sort)
      .lean<Doc[]>();
    return docs.map(read);
  }

  /** The query of {@link slice} (its test explains it). */
  function sliceQuery(
    filter: Record<string, unknown>,
    sort: SortKeys,
    first: number,
    after: readonly unknown[] | null,
  ) {
    return (
      model
        .find((after ? afterKeyset(filter, sort, after) : filter) as never)
        .sort(Object.fromEntries(sort))
        // One extra row tells whether another page follows.
        .limit(first + 1)
    );
  }

  /** `page` without the count: for scans that walk every page. */
  async function slice(
    filter: Record<string, unknown>,
    sort: SortKeys,
    first: number,
    after: readonly unknown[] | null,
  ): Promise<Omit<Page<Stored<T>>, 'totalCount'>> {
    const docs = await sliceQuery(filter, sort, first, after).lean<Doc[]>();
    return {
      nodes: docs.slice(0, first).map(read),
      hasNextPage: docs.length > first,
    };
  }

  return {
    model,
    collection,
    find,

    /**
     * One page of `filter`'s matches in `sort` order (keyset pagination: the
     * page starts after the item whose sort values are `after`), with the
     * total count of matches and whether another page follows.
     */
    async page(
      filter: Record<string, unknown>,
      sort: SortKeys,
      first: number,
      after: readonly unknown[] | null,
    ): Promise<Page<Stored<T>>> {
      const [totalCount, rows] = await Promise.all([
        model.countDocuments(filter as never),
        slice(filter, sort, first, after),
      ]);
      return { ...rows, totalCount };
    },

    slice,
    sliceQuery,

    /** Inserts a new aggregate with its events; a unique-index clash becomes `onDuplicate()`. */
    async insert(
      entity: T,
      events: EventEnvelope[],
      onDuplicate?: () => Error,
    ): Promise<void> {
      await outbox.insert(
        collection,
        { ...newDoc(entity), ...derivedFields(entity, 'insert') },
        events,
        onDuplicate,
      );
    },

    /**
     * Inserts many new aggregates, each with its events in its own document,
     * in one bulk write (the outbox writer's `insertMany`, which wakes the
     * relay). Ids that exist already are left alone and returned.
     *
     * @returns the ids that were already stored (not written again)
     */
    async insertMany(
      items: ReadonlyArray<{ entity: T; events: EventEnvelope[] }>,
    ): Promise<Set<string>> {
      const duplicates = await outbox.insertMany(
        collection,
        items.map(({ entity, events }) => ({
          doc: { ...newDoc(entity), ...derivedFields(entity, 'insert') },
          events,
        })),
      );
      return new Set(
        [...duplicates].map((index) => items[index]?.entity.id ?? ''),
      );
    },

    /**
     * Writes `next` (minus `exclude`d fields, e.g. counters others change) with
     * its events in ONE conditional update, applied only while the stored
     * document is still at the version `read` was read at (and still matches
     * `expected`, for conditions on fields the version does not cover, such as
     * counters); the same update raises the version by one.
     *
     * @returns `next` at its new version
     * @throws VersionConflictError `conflictCode` naming `field` when another
     *   write changed the document since it was read
     */
    async save(
      read: Versioned,
      next: T,
      events: EventEnvelope[],
      how: {
        expected?: Record<string, unknown>;
        exclude?: readonly string[];
        /** The argument naming this aggregate, reported with a conflict. */
        field?: string;
      } = {},
    ): Promise<Stored<T>> {
      const { _id, ...fields } = {
        ...toDoc(next),
        ...derivedFields(next, 'save'),
      };
      for (const key of how.exclude ?? []) delete fields[key];
      const result = await outbox.update(
        collection,
        {
          ...how.expected,
          _id,
          [VERSION_FIELD]: versionFilter(read.version),
        } as never,
        { $set: fields, $inc: { [VERSION_FIELD]: 1 } },
        events,
      );
      if (result.matchedCount === 0)
        throw new VersionConflictError(
          options.conflictCode,
          'It changed while this request was processed; read it again and retry',
          how.field,
        );
      return { ...next, [VERSION_FIELD]: read.version + 1 };
    },

    /** Fresh read by id (commands read here, not through the request cache). */
    async findById(id: string): Promise<Stored<T> | null> {
      const doc = await model.findById(id).lean<Doc>();
      return doc ? read(doc) : null;
    },

    /** Every aggregate among `ids`, one query (order not guaranteed). */
    findByIds: (ids: readonly string[]) => find({ _id: { $in: [...ids] } }),
  };
}

export type AggregateStore<T extends { id: string }> = ReturnType<
  typeof createAggregateStore<T>
>;
