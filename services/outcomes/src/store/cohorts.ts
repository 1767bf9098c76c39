import type { Connection } from 'mongoose';
import { applyOnce } from '@conecta/events';
import type { CohortCounters } from '../domain/cohort';
import { readModel, type ReadDoc } from './collections';

/** Per-cohort counters from training's enrollment events, each `$inc` applied once per event. */
export function createCohortCounters(connection: Connection) {
  const { model, collection } = readModel(
    connection,
    'CohortCounters',
    'cohort_outcomes',
  );
  return {
    model,
    async count(
      eventId: string,
      cohortId: string,
      counter: keyof CohortCounters,
    ): Promise<void> {
      await applyOnce(
        collection,
        { _id: cohortId },
        { $inc: { [counter]: 1 } },
        eventId,
        { upsert: true },
      );
    },
    async findByIds(
      ids: readonly string[],
    ): Promise<Array<CohortCounters & { id: string }>> {
      const docs = await model
        .find({ _id: { $in: [...ids] } })
        .lean<ReadDoc[]>();
      return docs.map((doc) => ({
        id: doc._id,
        enrolled: Number(doc.enrolled ?? 0),
        completed: Number(doc.completed ?? 0),
        dropped: Number(doc.dropped ?? 0),
      }));
    },
  };
}

export type CohortCounterStore = ReturnType<typeof createCohortCounters>;
