import type { Connection } from 'mongoose';
import type { BatchPlan } from '../events/plan';
import { readModel } from './collections';

/** The last batch of one source partition: what it changes, and whether it is fully applied. */
export interface JournalEntry {
  /** The source partition (`<topic>_<partition>`, a field-safe name). */
  source: string;
  /** 1, 2, 3… per source: the mark each counter document records. */
  seq: number;
  /** Null once applied (the plan is dropped then). */
  pending: BatchPlan | null;
}

/**
 * The batch journal: one document per source partition, holding the plan of
 * its latest batch until every write of that plan is done. A batch is
 * applied in this order: (1) the plan is written here, `pending` — one
 * single-document write, the commit point; (2) counters, each guarded by
 * `(source, seq)`; (3) views (absolute `$set`s); (4) the ledger; (5) the entry
 * is marked done. A crash anywhere after (1) leaves the entry pending, and the
 * next batch of that partition (the redelivery) first re-applies it: guarded
 * counters skip the documents already written, `$set`s and ledger inserts are
 * idempotent. A crash before (1) wrote nothing. So the increments and the
 * ledger can never disagree.
 */
export function createJournal(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'BatchJournal',
    'batch_journal',
    suffix,
  );
  return {
    model,
    async get(source: string): Promise<JournalEntry | null> {
      const doc = await collection.findOne({ _id: source });
      if (!doc) return null;
      return {
        source,
        seq: Number(doc.seq),
        pending: doc.state === 'pending' ? (doc.plan as BatchPlan) : null,
      };
    },
    /** Step (1): the commit point of a batch. */
    async begin(source: string, seq: number, plan: BatchPlan): Promise<void> {
      await collection.replaceOne(
        { _id: source },
        { seq, state: 'pending', plan },
        { upsert: true },
      );
    },
    /** Step (5): every effect of batch `seq` is written. */
    async done(source: string, seq: number): Promise<void> {
      await collection.updateOne(
        { _id: source, seq },
        { $set: { state: 'done' }, $unset: { plan: '' } },
      );
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
