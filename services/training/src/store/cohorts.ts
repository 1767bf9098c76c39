import type { OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import { ConflictError } from '@conecta/service-kit/errors';
import { ENROLLABLE_STATUSES, type Cohort } from '../domain/cohort';
import { createAggregateStore, type Versioned } from './aggregate';

// A reservation re-reads the cohort when its capacity changed between the read
// and the write; after this many tries the caller gets a CONFLICT.
const RESERVE_ATTEMPTS = 3;

/**
 * Cohorts, with the seat counter `enrolled` that refuses overbooking: a seat
 * is taken by ONE conditional update `{ _id, capacity: c, enrolled: { $lt: c } }`
 * + `$inc`, so two concurrent enrollments for the last seat cannot both match
 * (MongoDB: atomic per document; FerretDB: the outbox writer's per-document
 * lock serialises it in this process). `save` never overwrites `enrolled`,
 * and the counter's updates leave the version alone: the two touch disjoint
 * fields, so neither can overwrite the other, and enrollments never make a
 * broker's cohort change conflict.
 */
export function createCohortStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const store = createAggregateStore<Cohort>(connection, outbox, {
    model: 'Cohort',
    collection: 'cohorts',
    indexes: [
      { fields: { agreementId: 1 } },
      { fields: { projectId: 1 } },
      { fields: { status: 1 } },
    ],
    conflictCode: 'COHORT_CHANGED_CONCURRENTLY',
  });

  return {
    ...store,

    /** Writes a status change while the cohort is at the version it was read; the counter is untouched. */
    saveFrom(
      read: Versioned,
      next: Cohort,
      events: Parameters<typeof store.save>[2],
      field: string,
    ) {
      return store.save(read, next, events, { exclude: ['enrolled'], field });
    },

    /** Capacity change that also proves the enrolled (unversioned counter) still fit. */
    saveCapacity(
      read: Versioned,
      next: Cohort,
      events: Parameters<typeof store.save>[2],
      field: string,
    ) {
      return store.save(read, next, events, {
        expected: { enrolled: { $lte: next.capacity } },
        exclude: ['enrolled'],
        field,
      });
    },

    /**
     * Takes one seat of an enrolling cohort.
     *
     * @throws ConflictError `COHORT_FULL` when no seat is left,
     *   `COHORT_NOT_ENROLLING` when it is not SCHEDULED or RUNNING
     */
    async reserveSeat(id: string): Promise<void> {
      for (let attempt = 1; attempt <= RESERVE_ATTEMPTS; attempt += 1) {
        const cohort = await store.findById(id);
        if (!cohort || !ENROLLABLE_STATUSES.includes(cohort.status))
          throw new ConflictError(
            'COHORT_NOT_ENROLLING',
            `The cohort takes no enrollments (${cohort?.status ?? 'missing'})`,
          );
        if (cohort.enrolled >= cohort.capacity) break;
        const result = await outbox.update(
          store.collection,
          {
            _id: id,
            status: { $in: [...ENROLLABLE_STATUSES] },
            capacity: cohort.capacity,
            enrolled: { $lt: cohort.capacity },
          } as never,
          { $inc: { enrolled: 1 } },
          [],
        );
        if (result.matchedCount > 0) return;
      }
      throw new ConflictError(
        'COHORT_FULL',
        'The cohort has no free seat',
        'input.cohortId',
      );
    },

    /** Gives a seat back (a drop-out, or an enrollment that could not be written). */
    async releaseSeat(id: string): Promise<void> {
      await outbox.update(
        store.collection,
        { _id: id, enrolled: { $gt: 0 } } as never,
        { $inc: { enrolled: -1 } },
        [],
      );
    },
  };
}

export type CohortStore = ReturnType<typeof createCohortStore>;
