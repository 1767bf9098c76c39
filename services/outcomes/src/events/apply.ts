import type { KnownEvent } from '@conecta/events';
import type { ReadModels } from '../store';
import {
  certificateIdsOf,
  isEmptyPlan,
  planBatch,
  type BatchPlan,
} from './plan';

/** A field-safe name for a source partition (a topic's dots would nest the mark). */
export const sourceKey = (topic: string, partition: number): string =>
  `${topic}_${partition}`.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * Applies batches of events to one generation's read models, each event
 * exactly once however often it is delivered. Per batch: finish the source's
 * pending journal entry if a crash left one; drop events the ledger knows;
 * read the certificates the batch mentions; sum everything in memory
 * (`planBatch`); journal the plan; then one bulkWrite per collection, the
 * ledger, and the entry marked done (see `store/journal.ts`).
 *
 * Batches of one `source` must not run concurrently (a partition is consumed
 * one batch at a time); different sources may.
 */
export function createBatchApplier(models: ReadModels) {
  const { journal, ledger, buckets, cohorts, certificates } = models;

  async function execute(
    source: string,
    seq: number,
    plan: BatchPlan,
  ): Promise<void> {
    await buckets.applyDeltas(plan.buckets, source, seq);
    await cohorts.applyDeltas(plan.cohorts, source, seq);
    await certificates.setMany(plan.certificates);
    await models.standards.setMany(plan.standards);
    await models.cohortViews.setMany(plan.cohortViews);
    await models.credentials.setMany(plan.credentials);
    await ledger.recordMany(plan.applied);
    await journal.done(source, seq);
  }

  return {
    /** @returns how many events were applied now (the others were already) */
    async apply(
      events: readonly KnownEvent[],
      source: string,
    ): Promise<number> {
      const entry = await journal.get(source);
      if (entry?.pending) await execute(source, entry.seq, entry.pending);
      const known = await ledger.seenAmong(events.map((e) => e.id));
      const fresh = events.filter((e) => !known.has(e.id));
      if (fresh.length === 0) return 0;
      const plan = planBatch(
        fresh,
        await certificates.findByIds(certificateIdsOf(fresh)),
      );
      if (isEmptyPlan(plan)) return 0;
      const seq = (entry?.seq ?? 0) + 1;
      await journal.begin(source, seq, plan);
      await execute(source, seq, plan);
      return fresh.length;
    },
  };
}

export type BatchApplier = ReturnType<typeof createBatchApplier>;
