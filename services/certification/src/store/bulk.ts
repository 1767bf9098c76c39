import type { Collection, Document } from 'mongodb';
import {
  isDuplicateKeyError,
  newDocWithOutbox,
  type EventEnvelope,
} from '@conecta/events';

/** A new aggregate document and the events it carries. */
export interface NewDocument<TDoc extends { _id: string }> {
  doc: TDoc;
  events: readonly EventEnvelope[];
}

/**
 * Inserts new aggregate documents, each with its own events inside it (the
 * outbox, as `outbox.insert` writes one), in ONE unordered `insertMany`: a
 * unique-index clash skips that document and the others are still written.
 *
 * Why not `outbox.insert` per document: a batch of 500 would be 500 round trips.
 * The outbox writer's per-document lock is not needed for a document that does
 * not exist yet (the relay only touches documents it has found); the relay
 * finds these on its next poll (≤ 250 ms).
 *
 * @returns the positions in `items` that a unique index refused
 * @throws any error other than a duplicate key
 */
export async function insertManyWithOutbox<TDoc extends { _id: string }>(
  collection: Collection<Document>,
  items: readonly NewDocument<TDoc>[],
): Promise<Set<number>> {
  const refused = new Set<number>();
  if (items.length === 0) return refused;
  try {
    // The driver types _id as ObjectId by default; our ids are UUID strings.
    await collection.insertMany(
      items.map(({ doc, events }) => newDocWithOutbox(doc, events)) as never,
      { ordered: false },
    );
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    if (!writeErrors) throw error;
    // The driver gives one WriteError or an array of them.
    for (const writeError of [writeErrors].flat() as {
      index: number;
      code?: number;
    }[]) {
      if (!isDuplicateKeyError(writeError)) throw error;
      refused.add(writeError.index);
    }
  }
  return refused;
}
