import { isDuplicateKeyError } from '@conecta/events';
import type { Cohort } from '../domain/cohort';
import { enroll, holdsSeat, type Enrollment } from '../domain/enrollment';
import type { EventMeta, TrainingEvents } from '../events';
import type { Seat, Seats } from '../store/cohorts';
import type { Stores } from '../store';

/**
 * Enrolling is a two-step saga over two documents, each step one write:
 *
 * 1. the seat, recorded on the cohort under the new enrollment's id
 *    (`reserveSeat`: capacity checked in the same conditional update);
 * 2. the enrollment, inserted under that id with its `ParticipantEnrolled`.
 *
 * Step 2 is idempotent (the id is fixed by step 1) and only ever goes forward:
 * whoever finds a seat without its enrollment — the command itself, or the
 * reconciler after a crash — writes the enrollment. A seat is given back only
 * when its enrollment can never be written (the person already holds another
 * enrollment in the cohort: the unique index says so forever) or was dropped,
 * so a seat is never freed under an enrollment that appears later.
 */

/** What happened to a seat's enrollment. */
export type FinishOutcome =
  /** written now, with its event */
  | 'written'
  /** already there (written by the command or an earlier repair) */
  | 'already-written'
  /** the person is enrolled in the cohort under another id: the seat was given back */
  | 'person-already-enrolled';

/** The enrollment a seat was taken for, as step 2 writes it. */
export function enrollmentOfSeat(
  cohort: Cohort,
  enrollmentId: string,
  seat: Seat,
): Enrollment {
  return enroll(cohort, seat.personId, {
    id: enrollmentId,
    now: seat.reservedAt,
  });
}

/**
 * Step 2: writes the enrollment a seat was taken for, once. When the person
 * already holds another enrollment in the cohort, gives the seat back.
 */
export async function finishEnrollment(
  stores: Stores,
  events: TrainingEvents,
  cohort: Cohort,
  enrollment: Enrollment,
  meta: EventMeta,
): Promise<FinishOutcome> {
  try {
    await stores.enrollments.insert(enrollment, [
      events.participantEnrolled(enrollment, cohort, meta),
    ]);
    return 'written';
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  if (await stores.enrollments.findById(enrollment.id))
    return 'already-written';
  await stores.cohorts.releaseSeat(cohort.id, enrollment.id);
  return 'person-already-enrolled';
}

/**
 * Both steps, as `enroll` runs them: the seat (refuses overbooking:
 * `COHORT_FULL`), then the enrollment under its id. A crash between the
 * two leaves a seat naming its enrollment, which the reconciler writes.
 */
export async function takeSeatAndEnroll(
  stores: Stores,
  events: TrainingEvents,
  cohort: Cohort,
  enrollment: Enrollment,
  meta: EventMeta,
): Promise<FinishOutcome> {
  await stores.cohorts.reserveSeat(
    cohort.id,
    enrollment.id,
    { personId: enrollment.personId, reservedAt: enrollment.enrolledAt },
    () => legacySeatsOf(stores, cohort.id),
  );
  return finishEnrollment(stores, events, cohort, enrollment, meta);
}

/**
 * After a drop-out (the DROPPED enrollment written with its event): its seat
 * given back, conditional on the seat being there (twice frees one). A
 * cohort that predates recorded seats gets them recorded now, without this
 * one; a crash before this step leaves a DROPPED enrollment holding a seat,
 * which the reconciler gives back.
 */
export async function giveBackSeat(
  stores: Stores,
  dropped: Enrollment,
): Promise<void> {
  if (!(await stores.cohorts.releaseSeat(dropped.cohortId, dropped.id)))
    // Nothing to free: the seat went already, or the cohort predates
    // recorded seats (then they are recorded now, without this one).
    await stores.cohorts.recordSeats(
      dropped.cohortId,
      await legacySeatsOf(stores, dropped.cohortId),
    );
}

/** The seats a cohort's enrollments hold (ENROLLED or COMPLETED), keyed by enrollment id. */
export function seatsHeldBy(enrollments: readonly Enrollment[]): Seats {
  return Object.fromEntries(
    enrollments
      .filter(holdsSeat)
      .map((e) => [e.id, { personId: e.personId, reservedAt: e.enrolledAt }]),
  );
}

/** The seats of a cohort written before seats were recorded, from its enrollments. */
export async function legacySeatsOf(
  stores: Stores,
  cohortId: string,
): Promise<Seats> {
  return seatsHeldBy(await stores.enrollments.find({ cohortId }));
}
