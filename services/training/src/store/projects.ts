import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import type { TrainingProject } from '../domain/project';
import { createAggregateStore, type Stored, type Versioned } from './aggregate';
import { VERSION_FIELD } from './versions';

/**
 * Marks a project whose draft is still claiming its demand requests (see
 * commands/project-saga): written by its insert, removed by the write that
 * publishes `ProjectDrafted`, never by a `save`.
 */
const CLAIMING = 'claiming';

/** Whether a stored project is still claiming its requests (its draft not finished). */
export function isClaiming(project: TrainingProject): boolean {
  return (
    (project as TrainingProject & { [CLAIMING]?: boolean })[CLAIMING] === true
  );
}

/**
 * Training projects. A project is inserted while its draft claims its demand
 * requests, marked `claiming` and without events; the draft's last write
 * removes the mark and carries `ProjectDrafted`. Until then no other command
 * changes it (every save is conditional on the mark being absent, so it
 * answers CONFLICT), and an abandoned draft is deleted: it published nothing.
 */
export function createProjectStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const store = createAggregateStore<TrainingProject>(connection, outbox, {
    model: 'TrainingProject',
    collection: 'training_projects',
    indexes: [{ fields: { status: 1 } }, { fields: { [CLAIMING]: 1 } }],
    conflictCode: 'PROJECT_CHANGED_CONCURRENTLY',
  });

  return {
    ...store,

    /** Writes a change while the project is at the version read and its draft is finished. */
    save(
      read: Versioned,
      next: TrainingProject,
      events: EventEnvelope[],
      how: Parameters<typeof store.save>[3] = {},
    ): Promise<Stored<TrainingProject>> {
      return store.save(read, next, events, {
        ...how,
        expected: { ...how.expected, [CLAIMING]: { $exists: false } },
        exclude: [...(how.exclude ?? []), CLAIMING],
      });
    },

    /** Step 1 of a draft: the project, marked claiming, with no event yet. */
    insertClaiming(project: TrainingProject): Promise<void> {
      return store.insert(
        { ...project, [CLAIMING]: true } as TrainingProject,
        [],
      );
    },

    /**
     * The draft's last step: removes the mark and writes `events`
     * (`ProjectDrafted`) in one update, while the project is still claiming.
     *
     * @returns false when the draft was abandoned meanwhile (the project is gone)
     */
    async finishDraft(id: string, events: EventEnvelope[]): Promise<boolean> {
      const result = await outbox.update(
        store.collection,
        { _id: id, [CLAIMING]: true } as never,
        { $unset: { [CLAIMING]: '' }, $inc: { [VERSION_FIELD]: 1 } },
        events,
      );
      return result.matchedCount > 0;
    },

    /**
     * Deletes a project whose draft did not finish (it published nothing).
     * Only while it is still claiming: a finished draft is never deleted.
     *
     * @returns whether it was deleted
     */
    async abandonDraft(id: string): Promise<boolean> {
      const result = await outbox.exclusive(store.collection, id, () =>
        store.collection.deleteOne({ _id: id, [CLAIMING]: true } as never),
      );
      return result.deletedCount > 0;
    },

    /** Projects still claiming whose draft started before `cutoff`. */
    claimingSince(cutoff: Date): Promise<Stored<TrainingProject>[]> {
      return store.find({ [CLAIMING]: true, draftedAt: { $lt: cutoff } });
    },
  };
}

export type ProjectStore = ReturnType<typeof createProjectStore>;
