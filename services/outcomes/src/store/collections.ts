import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
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

// FerretDB applies the statements of one bulk one after the other; a few
// bulks side by side use both cores (documents differ, so they cannot race).
const PARALLEL_BULKS = 4;
// Below this, one bulk: splitting costs more round trips than it saves.
const MIN_SPLIT = 200;

/**
 * Applies every write in unordered bulkWrites (one, or a few side by side
 * for a large batch), each update guarded by the batch mark: a document
 * whose mark for `source` is already `batchId` is left alone, so re-applying
 * a batch after a crash (some documents written, some not) adds each
 * increment exactly once. The increment and its mark are one
 * single-document update. An upsert of an already-marked document hits the
 * duplicate `_id` (E11000): that is the "already applied" case. Batches of
 * one source never run concurrently, so the mark holds one id at a time.
 */
export async function applyCounters(
  collection: Collection<ReadModelDocument>,
  writes: readonly CounterWrite[],
  source: string,
  batchId: string,
): Promise<void> {
  if (writes.length === 0) return;
  const mark = `${BATCH_MARKS_FIELD}.${source}`;
  const ops: AnyBulkWriteOperation<ReadModelDocument>[] = writes.map((w) => ({
    updateOne: {
      filter: { _id: w.id, [mark]: { $ne: batchId } },
      update: { $set: { ...w.set, [mark]: batchId }, $inc: w.inc },
      upsert: true,
    },
  }));
  const parts = ops.length < MIN_SPLIT ? 1 : PARALLEL_BULKS;
  const size = Math.ceil(ops.length / parts);
  const slices = Array.from({ length: parts }, (_, i) =>
    ops.slice(i * size, (i + 1) * size),
  ).filter((slice) => slice.length > 0);
  await Promise.all(
    slices.map((slice) => bulkIgnoringDuplicates(collection, slice)),
  );
}

/** Absolute `$set`s, one upsert per document, in one unordered bulkWrite (idempotent). */
export async function setViews(
  collection: Collection<ReadModelDocument>,
  views: ReadonlyArray<{ id: string; set: Record<string, unknown> }>,
): Promise<void> {
  if (views.length === 0) return;
  await collection.bulkWrite(
    views.map((v) => ({
      updateOne: {
        filter: { _id: v.id },
        update: { $set: v.set },
        upsert: true,
      },
    })),
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
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const list = Array.isArray(writeErrors)
      ? writeErrors
      : writeErrors
        ? [writeErrors]
        : [];
    if (list.length === 0 || !list.every((e) => isDuplicateKeyError(e)))
      throw error;
  }
}
