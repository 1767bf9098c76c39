import type { KnownEvent } from '@conecta/events';
import { v7 as uuidv7 } from 'uuid';
import type { ReadModels } from '../store';
import type { JournalEntry } from '../store/journal';
import { certificateIdsOf, isEmptyPlan, planBatch } from './plan';

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

  async function execute({
    batchId,
    source,
    plan,
  }: JournalEntry): Promise<void> {
    await buckets.applyDeltas(plan.buckets, source, batchId);
    await cohorts.applyDeltas(plan.cohorts, source, batchId);
    await certificates.setMany(plan.certificates);
    await models.standards.setMany(plan.standards);
    await models.cohortViews.setMany(plan.cohortViews);
    await models.credentials.setMany(plan.credentials);
    // Plans journaled by the version before the per-person read model have neither.
    await models.people.applyMany(plan.people ?? []);
    await models.bodies.setMany(plan.bodies ?? []);
    // Plans journaled before the projects read model have none.
    await models.projects.setMany(plan.projects ?? []);
    await ledger.recordMany(plan.applied);
    await journal.done(batchId);
  }

  return {
    /**
     * Finishes every source's pending journal entry (each partition's
     * redelivery would, as its first step). Only while no consumer feeds
     * these read models: before one starts (`OutcomesFeed.start`).
     *
     * @returns how many entries were finished
     */
    async finishPending(): Promise<number> {
      const entries = await journal.all();
      for (const entry of entries) await execute(entry);
      return entries.length;
    },

    /** @returns how many events were applied now (the others were already) */
    async apply(
      events: readonly KnownEvent[],
      source: string,
    ): Promise<number> {
      // A batch journaled before a crash, not fully written: finish it first.
      for (const entry of await journal.pending(source)) await execute(entry);
      const known = await ledger.seenAmong(events.map((e) => e.id));
      const fresh = events.filter((e) => !known.has(e.id));
      if (fresh.length === 0) return 0;
      const plan = planBatch(
        fresh,
        await certificates.findByIds(certificateIdsOf(fresh)),
      );
      if (isEmptyPlan(plan)) return 0;
      const entry: JournalEntry = { batchId: uuidv7(), source, plan };
      await journal.begin(entry);
      await execute(entry);
      return fresh.length;
    },
  };
}

export type BatchApplier = ReturnType<typeof createBatchApplier>;
