import AsyncLock from 'async-lock';
import type {
  Collection,
  Document,
  Filter,
  UpdateFilter,
  UpdateResult,
} from 'mongodb';
import type { EventEnvelope } from './envelope';
import { withTraceContext } from './tracing';

/** Array field of an aggregate document holding its unpublished events, oldest first. */
export const OUTBOX_FIELD = 'outbox';

/**
 * Boolean marker, `true` whenever {@link OUTBOX_FIELD} may be non-empty. The relay
 * queries `{ outboxPending: true }` on an ordinary index. Writers set it in the
 * same update that pushes events; only the relay clears it, and only with a
 * filter proving the array is empty, so "events pending ⇒ marker true" always holds.
 */
export const OUTBOX_PENDING_FIELD = 'outboxPending';

/**
 * `{ owner, until }` lease a relay instance holds while publishing one document,
 * so two replicas never interleave one aggregate's events. Set and cleared only by the relay.
 */
export const OUTBOX_LEASE_FIELD = 'outboxLease';

/** The outbox fields as they sit in an aggregate document. */
export interface OutboxFields {
  outbox?: EventEnvelope[];
  outboxPending?: boolean;
  outboxLease?: { owner: string; until: Date };
}

type UpdateDocument = Record<string, unknown>;

/**
 * Adds `events` to an update so the state change and its events are written by
 * ONE single-document update (atomic without transactions):
 * `$push: { outbox: { $each: events } }` and `$set: { outboxPending: true }`,
 * merged into the operators already in `update`. With no events, returns `update` unchanged.
 * Each event is stored with the trace context active now (`traceContext`,
 * unless it has one): the request or handler that writes it.
 *
 * @example
 * await organizations.updateOne({ _id: id }, withOutbox({ $set: { name } }, [event]));
 * @throws Error when `update` already touches the outbox fields or is a replacement/pipeline.
 */
export function withOutbox<TUpdate extends object>(
  update: TUpdate,
  events: readonly EventEnvelope[],
): TUpdate {
  if (Array.isArray(update)) {
    throw new Error('withOutbox: pipeline updates are not supported');
  }
  if (events.length === 0) return update;
  const source = update as UpdateDocument;
  const keys = Object.keys(source);
  if (keys.some((key) => !key.startsWith('$'))) {
    throw new Error(
      'withOutbox: expected an update with operators ($set, $inc...), not a replacement document; a replacement would erase pending events',
    );
  }
  const push = { ...((source.$push as UpdateDocument | undefined) ?? {}) };
  const set = { ...((source.$set as UpdateDocument | undefined) ?? {}) };
  for (const field of [
    OUTBOX_FIELD,
    OUTBOX_PENDING_FIELD,
    OUTBOX_LEASE_FIELD,
  ]) {
    for (const operator of keys) {
      const body = source[operator] as UpdateDocument | undefined;
      if (body && typeof body === 'object' && field in body) {
        throw new Error(
          `withOutbox: the update already sets ${operator}.${field}`,
        );
      }
    }
  }
  // Each event keeps the trace it was written in (the relay sends it on).
  push[OUTBOX_FIELD] = { $each: [...withTraceContext(events)] };
  set[OUTBOX_PENDING_FIELD] = true;
  return { ...source, $push: push, $set: set } as TUpdate;
}

/**
 * A new aggregate document carrying its first events, for `insertOne`: the
 * document and its events are one write. Events carry the active trace
 * context, as in {@link withOutbox}.
 */
export function newDocWithOutbox<TDoc extends object>(
  doc: TDoc,
  events: readonly EventEnvelope[],
): TDoc & OutboxFields {
  for (const field of [
    OUTBOX_FIELD,
    OUTBOX_PENDING_FIELD,
    OUTBOX_LEASE_FIELD,
  ]) {
    if (field in doc) {
      throw new Error(`newDocWithOutbox: the document already has "${field}"`);
    }
  }
  return {
    ...doc,
    [OUTBOX_FIELD]: [...withTraceContext(events)],
    [OUTBOX_PENDING_FIELD]: events.length > 0,
  };
}

/** MongoDB's duplicate-key error (E11000), raised by unique indexes. */
const DUPLICATE_KEY = 11_000;

/** Whether an error is a unique-index violation (E11000). */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY
  );
}

/**
 * Inserts a new aggregate and its events in ONE document write (see
 * {@link newDocWithOutbox}), through the driver so no ODM strips the outbox
 * fields. A unique-index violation becomes the caller's error from
 * `onDuplicate` (e.g. a CONFLICT naming the field); nothing is written then.
 */
export async function insertWithOutbox<TDoc extends { _id: string }>(
  collection: Collection<Document>,
  doc: TDoc,
  events: readonly EventEnvelope[],
  onDuplicate?: () => Error,
): Promise<void> {
  try {
    // The driver types _id as ObjectId by default; our ids are UUID strings.
    await (collection as unknown as Collection<TDoc & OutboxFields>).insertOne(
      newDocWithOutbox(doc, events) as never,
    );
  } catch (error) {
    if (onDuplicate && isDuplicateKeyError(error)) throw onDuplicate();
    throw error;
  }
}

/**
 * Inserts new documents in ONE unordered `insertMany` (a batch of 500 is one
 * round trip, not 500): a unique-index clash skips that document and the
 * others are still written.
 *
 * @returns the positions in `docs` a unique index refused
 * @throws any other write error
 */
export async function insertManyNew(
  collection: Collection<Document>,
  docs: readonly Document[],
): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    // The driver types _id as ObjectId by default; our ids are strings.
    await collection.insertMany(docs as Document[], { ordered: false });
    return new Set();
  } catch (error) {
    // The driver gives one WriteError or an array of them.
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const failures = (writeErrors ? [writeErrors].flat() : []) as Array<{
      index: number;
      code?: unknown;
    }>;
    if (failures.length === 0 || !failures.every(isDuplicateKeyError))
      throw error;
    return new Set(failures.map((failure) => failure.index));
  }
}

/**
 * The one way a service writes state with its events. Every write to an
 * aggregate document — the service's own and the relay's cleanup of sent
 * events — holds that document's lock in this process.
 *
 * Why: MongoDB applies each single-document update atomically, but FerretDB 1.x
 * (the dev and CI server) reads, changes and replaces a document without a
 * lock, so the relay's `$pullAll` racing a service update on the same document
 * could silently drop the service's write. Serialising per document removes
 * that race for a single process (FerretDB runs one relay per collection
 * anyway); on MongoDB the lock only orders writes that were already atomic.
 * After each write that carried events, the relay is woken.
 */
export interface OutboxWriter {
  /** Inserts a new aggregate and its events (see {@link insertWithOutbox}). */
  insert<TDoc extends { _id: string }>(
    collection: Collection<Document>,
    doc: TDoc,
    events: readonly EventEnvelope[],
    onDuplicate?: () => Error,
  ): Promise<void>;
  /**
   * Inserts new aggregates, each with its own events (see
   * {@link newDocWithOutbox}), in one bulk write ({@link insertManyNew}).
   * No lock: nothing else writes a document before it exists, and the relay
   * only touches documents it has found.
   *
   * @returns the positions in `items` a unique index refused
   */
  insertMany<TDoc extends { _id: string }>(
    collection: Collection<Document>,
    items: readonly { doc: TDoc; events: readonly EventEnvelope[] }[],
  ): Promise<Set<number>>;
  /**
   * Applies `update` plus the events (see {@link withOutbox}) to the document
   * `filter._id` in ONE update. Put the expected state in `filter` (e.g.
   * `{ _id, status: 'SUBMITTED' }`): `matchedCount` 0 means it changed — a CONFLICT.
   */
  update<TDoc extends { _id: string }>(
    collection: Collection<Document>,
    filter: Filter<TDoc> & { _id: string },
    update: UpdateFilter<TDoc>,
    events: readonly EventEnvelope[],
  ): Promise<UpdateResult>;
  /** Runs `task` holding the lock of one document, or of several (other writes to them). */
  exclusive<T>(
    collection: Collection<Document>,
    id: string | readonly string[],
    task: () => Promise<T>,
  ): Promise<T>;
  /** Called after every write that carried events (the relay registers here). */
  onWritten(listener: () => void): void;
}

/** Creates the process's outbox writer; pass the same one to the relay. */
export function createOutboxWriter(): OutboxWriter {
  const lock = new AsyncLock({ maxPending: Infinity });
  const listeners: Array<() => void> = [];
  const written = (events: readonly EventEnvelope[]) => {
    if (events.length > 0) for (const listener of listeners) listener();
  };
  const exclusive = <T>(
    collection: Collection<Document>,
    id: string | readonly string[],
    task: () => Promise<T>,
  ): Promise<T> =>
    typeof id === 'string'
      ? lock.acquire(`${collection.collectionName}:${id}`, task)
      : // Several keys are taken in sorted order, so two such callers cannot deadlock.
        lock.acquire(
          [...id].sort().map((one) => `${collection.collectionName}:${one}`),
          task,
        );

  return {
    async insert(collection, doc, events, onDuplicate) {
      await exclusive(collection, doc._id, () =>
        insertWithOutbox(collection, doc, events, onDuplicate),
      );
      written(events);
    },
    async insertMany(collection, items) {
      const refused = await insertManyNew(
        collection,
        items.map(({ doc, events }) => newDocWithOutbox(doc, events)),
      );
      if (refused.size < items.length)
        written(items.flatMap(({ events }) => events));
      return refused;
    },
    async update<TDoc extends { _id: string }>(
      collection: Collection<Document>,
      filter: Filter<TDoc> & { _id: string },
      update: UpdateFilter<TDoc>,
      events: readonly EventEnvelope[],
    ) {
      const result = await exclusive(collection, filter._id, () =>
        (collection as unknown as Collection<TDoc>).updateOne(
          filter,
          events.length > 0 ? withOutbox(update, events) : update,
        ),
      );
      if (result.matchedCount > 0) written(events);
      return result;
    },
    exclusive,
    onWritten(listener) {
      listeners.push(listener);
    },
  };
}
