import type {
  AnyBulkWriteOperation,
  Collection,
  Document,
  MongoBulkWriteError,
} from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '@conecta/events';

/** A read-model document for the driver: a string `_id`, any other fields. */
export interface ReadModelDocument extends Document {
  _id: string;
}

/** A read-model document: string ids (UUIDs or composite keys), any fields. */
export type ReadDoc = Record<string, unknown> & { _id: string };

/**
 * Field of each counter document holding, per source partition, the id of
 * the last batch applied to it (see `store/journal.ts`).
 */
export const BATCH_MARKS_FIELD = 'batchMarks';

/**
 * A read model's mongoose model and its driver collection, in the collection
 * `<collection><suffix>` (the suffix names the generation, see
 * `store/generation.ts`). Read models are written only by the consumer.
 */
export function readModel(
  connection: Connection,
  name: string,
  collection: string,
  suffix: string,
  indexes: Array<Record<string, 1>> = [],
): { model: Model<ReadDoc>; collection: Collection<ReadModelDocument> } {
  const schema = new Schema<ReadDoc>(
    {
      _id: { type: String, required: true },
      // Bookkeeping, never shown: ids of events applied before batch
      // consumption, and the batch marks.
      appliedEventIds: { type: [String], select: false },
      [BATCH_MARKS_FIELD]: { type: Schema.Types.Mixed, select: false },
    },
    { versionKey: false, strict: false },
  );
  for (const fields of indexes) schema.index(fields);
  const model = connection.model<ReadDoc>(
    `${name}${suffix}`,
    schema,
    `${collection}${suffix}`,
  );
  // The driver types _id as ObjectId by default; our ids are strings.
  return {
    model,
    collection: model.collection as unknown as Collection<ReadModelDocument>,
  };
}

/** One counter document's increments (and absolute fields) in a batch. */
export interface CounterWrite {
  id: string;
  set?: Record<string, unknown>;
  inc: Record<string, number>;
}

// The most ids one `$in` lists: FerretDB (devstack's build) serves a `$in` of
// up to 1 000 scalars from the index and filters longer ones over the whole
// collection.
const MAX_IN = 500;

/** `list` cut in consecutive pieces of at most `size`. */
const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) =>
    list.slice(i * size, (i + 1) * size),
  );

/**
 * The documents whose `_id` is among `ids` (with `projection` if given), read
 * with `$in`s of at most {@link MAX_IN} ids side by side: a batch's ids
 * (events, buckets, certificates) can number a few thousand.
 */
export async function findManyByIds(
  collection: Collection<ReadModelDocument>,
  ids: readonly string[],
  projection?: Document,
): Promise<ReadModelDocument[]> {
  const parts = await Promise.all(
    chunks(ids, MAX_IN).map((part) =>
      collection.find({ _id: { $in: part } }, { projection }).toArray(),
    ),
  );
  return parts.flat();
}

/** The mark a document holds for a source partition: the last batch applied to it. */
const markOf = (doc: ReadModelDocument, source: string): unknown =>
  (doc[BATCH_MARKS_FIELD] as Record<string, unknown> | undefined)?.[source];

/** How a batch's counter writes reach the collection (see {@link splitCounterWrites}). */
export interface CounterWritePlan {
  /** Documents that do not exist yet: inserted whole, the increments as values. */
  inserts: CounterWrite[];
  /** Documents that exist without this batch's mark, grouped by their increments. */
  updates: Array<{ ids: string[]; inc: Record<string, number> }>;
}

/**
 * Splits a batch's counter writes by what the collection already holds:
 * `marks` has an entry for every document found (its mark for the batch's
 * source, if any). A document not found is inserted; a found one without
 * `batchId` as its mark is updated, one update per distinct increment
 * (`{ value: 1 }` for most buckets); one already marked by `batchId` was
 * written before a crash and is left alone. Pure.
 */
export function splitCounterWrites(
  writes: readonly CounterWrite[],
  marks: ReadonlyMap<string, unknown>,
  batchId: string,
): CounterWritePlan {
  const inserts: CounterWrite[] = [];
  const groups = new Map<
    string,
    { ids: string[]; inc: Record<string, number> }
  >();
  for (const write of writes) {
    if (!marks.has(write.id)) inserts.push(write);
    else if (marks.get(write.id) !== batchId) {
      const key = JSON.stringify(Object.entries(write.inc).sort());
      const group = groups.get(key) ?? { ids: [], inc: write.inc };
      group.ids.push(write.id);
      groups.set(key, group);
    }
  }
  return { inserts, updates: [...groups.values()] };
}

/**
 * Applies a batch's counter writes, each document's increment exactly once
 * however often the batch is re-applied. One `$in` read of the documents
 * and their marks for `source`, then one unordered bulkWrite: an `insertOne`
 * per document that does not exist (its increments as values, the mark
 * set), an `updateMany` per distinct increment over the documents that do
 * (`{ _id: { $in }, mark: { $ne: batchId } }` → `$inc` + set the mark: the
 * increment and its mark stay one single-document update). An insert that
 * hits a duplicate `_id` (a writer of another partition created the document
 * after the read) is applied as that guarded update instead. Fewer matches
 * than expected (a document removed after the read, or the same batch
 * written by a second process during a rebalance) throw, and the consumer
 * retries the batch from its journal entry: the marks then tell what is left.
 *
 * Why not one upsert per document, as before: on FerretDB an upsert is a
 * query and then a write of its own, ~1–2 ms each; inserts go to PostgreSQL
 * 100 rows per statement and an `updateMany` queries once for all its
 * documents (measured in the README, Throughput). Absolute fields (`set`)
 * are written when a document is created: they are a function of its `_id`
 * (a bucket's key), so an update does not repeat them.
 */
export async function applyCounters(
  collection: Collection<ReadModelDocument>,
  writes: readonly CounterWrite[],
  source: string,
  batchId: string,
): Promise<void> {
  if (writes.length === 0) return;
  const mark = `${BATCH_MARKS_FIELD}.${source}`;
  const found = await findManyByIds(
    collection,
    writes.map((w) => w.id),
    { _id: 1, [mark]: 1 },
  );
  const { inserts, updates } = splitCounterWrites(
    writes,
    new Map(found.map((doc) => [doc._id, markOf(doc, source)])),
    batchId,
  );
  const guarded = (ids: string[], inc: Record<string, number>) => ({
    filter: {
      _id: ids.length === 1 ? ids[0]! : { $in: ids },
      [mark]: { $ne: batchId },
    },
    update: { $set: { [mark]: batchId }, $inc: inc },
  });
  const ops: AnyBulkWriteOperation<ReadModelDocument>[] = [
    ...inserts.map((w) => ({
      insertOne: {
        document: {
          ...w.set,
          ...w.inc,
          _id: w.id,
          [BATCH_MARKS_FIELD]: { [source]: batchId },
        },
      },
    })),
    ...updates.flatMap(({ ids, inc }) =>
      chunks(ids, MAX_IN).map((part) => ({ updateMany: guarded(part, inc) })),
    ),
  ];
  if (ops.length === 0) return;
  const { matched, duplicates } = await bulkWithDuplicates(collection, ops);
  // Created by another partition's writer since the read: update it instead.
  const retried = duplicates.map((index) => inserts[index]!);
  const retriedMatched =
    retried.length === 0
      ? 0
      : (
          await collection.bulkWrite(
            retried.map((w) => ({ updateOne: guarded([w.id], w.inc) })),
            { ordered: false },
          )
        ).matchedCount;
  const expected = updates.reduce((n, u) => n + u.ids.length, 0);
  if (matched < expected || retriedMatched < retried.length)
    throw new Error(
      `counter documents of ${collection.collectionName} changed while batch ${batchId} was written; retrying it from its journal entry`,
    );
}

/**
 * An unordered bulkWrite whose duplicate-key errors are reported, not thrown:
 * the indexes of the operations that hit one, and the documents matched by
 * the updates. Any other write error is thrown.
 */
export async function bulkWithDuplicates(
  collection: Collection<ReadModelDocument>,
  ops: AnyBulkWriteOperation<ReadModelDocument>[],
): Promise<{ matched: number; duplicates: number[] }> {
  try {
    const result = await collection.bulkWrite(ops, { ordered: false });
    return { matched: result.matchedCount, duplicates: [] };
  } catch (error) {
    const list = writeErrorsOf(error);
    if (list.length === 0 || !list.every((e) => isDuplicateKeyError(e)))
      throw error;
    const result = (error as MongoBulkWriteError).result;
    return {
      matched: result.matchedCount,
      duplicates: list.map((e) => (e as { index: number }).index),
    };
  }
}

/** The write errors of a failed bulkWrite (none for any other failure). */
function writeErrorsOf(error: unknown): unknown[] {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  return Array.isArray(writeErrors)
    ? writeErrors
    : writeErrors
      ? [writeErrors]
      : [];
}

/**
 * Absolute `$set`s (idempotent) in one unordered bulkWrite: an insert for a
 * view marked `created` (it did not exist when its batch was planned), an
 * upsert for any other. An insert that hits a duplicate `_id` (the batch is
 * re-applied, or another writer created the document) becomes the upsert.
 */
export async function setViews(
  collection: Collection<ReadModelDocument>,
  views: ReadonlyArray<{
    id: string;
    set: Record<string, unknown>;
    created?: true;
  }>,
): Promise<void> {
  if (views.length === 0) return;
  const upsert = (v: (typeof views)[number]) => ({
    updateOne: { filter: { _id: v.id }, update: { $set: v.set }, upsert: true },
  });
  const { duplicates } = await bulkWithDuplicates(
    collection,
    views.map((v) =>
      v.created
        ? { insertOne: { document: { ...v.set, _id: v.id } } }
        : upsert(v),
    ),
  );
  if (duplicates.length > 0)
    await collection.bulkWrite(
      duplicates.map((index) => upsert(views[index]!)),
      { ordered: false },
    );
}

/** A bulkWrite whose only acceptable failures are duplicate keys (already applied). */
export async function bulkIgnoringDuplicates(
  collection: Collection<ReadModelDocument>,
  ops: AnyBulkWriteOperation<ReadModelDocument>[],
): Promise<void> {
  try {
    await collection.bulkWrite(ops, { ordered: false });
  } catch (error) {
    const list = writeErrorsOf(error);
    if (list.length === 0 || !list.every((e) => isDuplicateKeyError(e)))
      throw error;
  }
}
