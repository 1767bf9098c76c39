import type { Connection } from 'mongoose';
import type { CohortCounters } from '../domain/cohort';
import type { CohortDelta } from '../events/plan';
import { applyCounters, readModel, type ReadDoc } from './collections';

/** Per-cohort counters from training's enrollment events, a batch's increments applied once per batch. */
export function createCohortCounters(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'CohortCounters',
    'cohort_outcomes',
    suffix,
  );
  return {
    model,
    applyDeltas(
      deltas: readonly CohortDelta[],
      source: string,
      batchId: string,
    ): Promise<void> {
      return applyCounters(
        collection,
        deltas.map(({ id, enrolled, completed, dropped }) => ({
          id,
          inc: { enrolled, completed, dropped },
        })),
        source,
        batchId,
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
