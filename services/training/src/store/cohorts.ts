import type { OutboxWriter } from '@conecta/events';
import type { Connection } from 'mongoose';
import { ConflictError } from '@conecta/service-kit/errors';
import { ENROLLABLE_STATUSES, type Cohort } from '../domain/cohort';
import { createAggregateStore, type Versioned } from './aggregate';

// A reservation re-reads the cohort when its capacity changed between the read
// and the write; after this many tries the caller gets a CONFLICT.
const RESERVE_ATTEMPTS = 3;

/** Who holds a seat: the enrollment it is for (the key of `seats`), its person, when it was taken. */
export interface Seat {
  personId: string;
  reservedAt: Date;
}

/** The seat holders stored on a cohort, keyed by enrollment id (absent on cohorts written before seats were recorded). */
export type Seats = Record<string, Seat>;

/** The field that holds the seats; written only by the seat updates below, never by `save`. */
const SEATS = 'seats';
// The seat fields a cohort's own saves leave alone (see createCohortStore).
const SEAT_FIELDS = ['enrolled', SEATS];
const seatPath = (enrollmentId: string) => `${SEATS}.${enrollmentId}`;

/** The seats recorded on a stored cohort, or null when it has none yet (a legacy document). */
export function seatsOf(cohort: Cohort): Seats | null {
  const seats = (cohort as Cohort & { [SEATS]?: Seats })[SEATS];
  return seats && typeof seats === 'object' ? seats : null;
}

/**
 * Cohorts, with their seats. A seat is recorded ON the cohort as
 * `seats.<enrollmentId>: { personId, reservedAt }`, and `enrolled` (the count
 * of seats) moves with it in the same single-document update, so the two
 * never disagree and every seat names the enrollment it is for: a crash
 * between taking a seat and writing its enrollment leaves a seat the
 * reconciler can finish (write that enrollment) or give back. A seat is taken
 * by ONE conditional update `{ _id, capacity: c, enrolled: { $lt: c } }`, so
 * two concurrent enrollments for the last seat cannot both match (MongoDB:
 * atomic per document; FerretDB: the outbox writer's per-document lock
 * serialises it in this process). `save` never overwrites `enrolled` nor
 * `seats`, and the seat updates leave the version alone: the two touch
 * disjoint fields, so neither can overwrite the other, and enrollments never
 * make a broker's cohort change conflict.
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

  /**
   * Gives a cohort written before seats were recorded its seats, from its
   * enrollments holding one; `enrolled` becomes their count. Only while it
   * still has none, so a concurrent first seat or a second run is not
   * overwritten.
   *
   * @returns whether they were recorded
   */
  async function recordSeats(id: string, seats: Seats): Promise<boolean> {
    const result = await outbox.update(
      store.collection,
      { _id: id, [SEATS]: { $exists: false } } as never,
      { $set: { [SEATS]: seats, enrolled: Object.keys(seats).length } },
      [],
    );
    return result.matchedCount > 0;
  }

  return {
    ...store,
    recordSeats,

    /** Inserts a new cohort with no seat taken. */
    insert(cohort: Cohort, events: Parameters<typeof store.insert>[1]) {
      return store.insert({ ...cohort, [SEATS]: {} } as Cohort, events);
    },

    /**
     * Inserts new cohorts in bulk, each with the seats it holds (an imported
     * past cohort: its participants who completed) and its events
     * (`insertMany`: one round trip, duplicates left alone).
     *
     * @returns the ids that were already stored (not written again)
     */
    insertManyWithSeats(
      items: ReadonlyArray<{
        entity: Cohort;
        events: Parameters<typeof store.insert>[1];
        seats: Seats;
      }>,
    ) {
      return store.insertMany(
        items.map(({ entity, events, seats }) => ({
          entity: {
            ...entity,
            [SEATS]: seats,
            enrolled: Object.keys(seats).length,
          } as Cohort,
          events,
        })),
      );
    },

    /** Writes a status change while the cohort is at the version it was read; the counter is untouched. */
    saveFrom(
      read: Versioned,
      next: Cohort,
      events: Parameters<typeof store.save>[2],
      field: string,
    ) {
      return store.save(read, next, events, { exclude: SEAT_FIELDS, field });
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
        exclude: SEAT_FIELDS,
        field,
      });
    },

    /**
     * Takes one seat of an enrolling cohort for the enrollment `enrollmentId`
     * (not written yet): the seat names it, so the enrollment can be finished
     * or the seat given back whatever happens next. A cohort without recorded
     * seats (written before they were) gets them from its enrollments first.
     *
     * @throws ConflictError `COHORT_FULL` when no seat is left,
     *   `COHORT_NOT_ENROLLING` when it is not SCHEDULED or RUNNING
     */
    async reserveSeat(
      id: string,
      enrollmentId: string,
      seat: Seat,
      legacySeats: () => Promise<Seats>,
    ): Promise<void> {
      for (let attempt = 1; attempt <= RESERVE_ATTEMPTS; attempt += 1) {
        const cohort = await store.findById(id);
        if (!cohort || !ENROLLABLE_STATUSES.includes(cohort.status))
          throw new ConflictError(
            'COHORT_NOT_ENROLLING',
            `The cohort takes no enrollments (${cohort?.status ?? 'missing'})`,
          );
        if (seatsOf(cohort) === null) {
          await recordSeats(id, await legacySeats());
          continue;
        }
        if (cohort.enrolled >= cohort.capacity) break;
        const result = await outbox.update(
          store.collection,
          {
            _id: id,
            status: { $in: [...ENROLLABLE_STATUSES] },
            capacity: cohort.capacity,
            enrolled: { $lt: cohort.capacity },
            [SEATS]: { $exists: true },
            [seatPath(enrollmentId)]: { $exists: false },
          } as never,
          { $inc: { enrolled: 1 }, $set: { [seatPath(enrollmentId)]: seat } },
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

    /**
     * Gives back the seat of `enrollmentId` (a drop-out, or a seat whose
     * enrollment can never be written). Conditional on the seat being there,
     * so giving it back twice frees one seat.
     *
     * @returns whether a seat was freed
     */
    async releaseSeat(id: string, enrollmentId: string): Promise<boolean> {
      const result = await outbox.update(
        store.collection,
        { _id: id, [seatPath(enrollmentId)]: { $exists: true } } as never,
        { $inc: { enrolled: -1 }, $unset: { [seatPath(enrollmentId)]: '' } },
        [],
      );
      return result.matchedCount > 0;
    },

    /**
     * Records the seat of an enrollment that holds none (repair; capacity is
     * not checked: the enrollment is a fact its person was told). Conditional
     * on the seat being absent, so it is counted once.
     *
     * @returns whether a seat was recorded
     */
    async seatEnrollment(
      id: string,
      enrollmentId: string,
      seat: Seat,
    ): Promise<boolean> {
      const result = await outbox.update(
        store.collection,
        {
          _id: id,
          [SEATS]: { $exists: true },
          [seatPath(enrollmentId)]: { $exists: false },
        } as never,
        { $inc: { enrolled: 1 }, $set: { [seatPath(enrollmentId)]: seat } },
        [],
      );
      return result.matchedCount > 0;
    },
  };
}

export type CohortStore = ReturnType<typeof createCohortStore>;
