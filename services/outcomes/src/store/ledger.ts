import type { Connection } from 'mongoose';
import {
  bulkIgnoringDuplicates,
  findManyByIds,
  readModel,
} from './collections';

/**
 * Every counting event whose effects were fully applied, by id: a batch drops
 * the events found here before planning, so an event redelivered any time
 * later (a relay's duplicate, a rebalance) never counts twice. Written after
 * the effects, from the batch journal, so an entry here always means "done"
 * (see `store/journal.ts`).
 */
export function createLedger(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'AppliedEvent',
    'applied_events',
    suffix,
  );
  return {
    model,
    /** Which of `eventIds` are in the ledger (`$in` queries on `_id`, see `findManyByIds`). */
    async seenAmong(eventIds: readonly string[]): Promise<Set<string>> {
      if (eventIds.length === 0) return new Set();
      const docs = await findManyByIds(collection, eventIds, { _id: 1 });
      return new Set(docs.map((d) => d._id));
    },
    async recordMany(
      entries: ReadonlyArray<{ id: string; type: string }>,
    ): Promise<void> {
      if (entries.length === 0) return;
      await bulkIgnoringDuplicates(
        collection,
        entries.map(({ id, type }) => ({
          insertOne: { document: { _id: id, type } },
        })),
      );
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
