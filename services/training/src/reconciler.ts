import type { Logger } from '@conecta/service-kit';
import {
  enrollmentOfSeat,
  finishEnrollment,
  seatsHeldBy,
} from './commands/enrollment-saga';
import { moveDemand, moveFor } from './commands/project-saga';
import type { Cohort } from './domain/cohort';
import { holdsSeat, type Enrollment } from './domain/enrollment';
import type { EventMeta, TrainingEvents } from './events';
import type { Stores } from './store';
import type { Stored } from './store/aggregate';
import { seatsOf } from './store/cohorts';
import { isClaiming } from './store/projects';

// Cohorts (and aggregated requests) are checked this many at a time: one
// query for their enrollments (projects) per batch.
const BATCH = 200;

// A draft claims a handful of requests in well under a second; one still
// claiming after a minute was left by a process that stopped (or is hopelessly
// slow: its last step then finds the project gone and undoes its claims).
const DRAFT_GRACE_MS = 60_000;

/** What one pass repaired, by shape. */
export interface ReconcileReport {
  /** seats whose enrollment was missing (a crash between seat and enrollment): enrollment written */
  enrollmentsWritten: number;
  /** seats given back: their enrollment was dropped, or can never be written (person enrolled under another id) */
  seatsReleased: number;
  /** enrollments holding a seat the cohort did not record: seat recorded */
  seatsRecorded: number;
  /** cohorts written before seats were recorded: seats recorded from their enrollments */
  cohortsBackfilled: number;
  /** drafts still claiming their requests after the grace: project deleted (it announced nothing) */
  draftsAbandoned: number;
  /** requests AGGREGATED into an abandoned draft or a rejected project: released */
  demandsReleased: number;
  /** requests AGGREGATED into a project closed after approval: fulfilled */
  demandsFulfilled: number;
}

const emptyReport = (): ReconcileReport => ({
  enrollmentsWritten: 0,
  seatsReleased: 0,
  seatsRecorded: 0,
  cohortsBackfilled: 0,
  draftsAbandoned: 0,
  demandsReleased: 0,
  demandsFulfilled: 0,
});

const repaired = (report: ReconcileReport) =>
  Object.values(report).reduce((sum, n) => sum + n, 0);

export interface ReconcilerOptions {
  stores: Stores;
  events: TrainingEvents;
  logger: Logger;
  /** Pause between passes after the first; 0: only the pass at start. */
  intervalMs: number;
  /** How long a draft may stay claiming before it counts as abandoned; default 60 s. */
  draftGraceMs?: number;
}

/**
 * Repairs what a crash can leave half done by a multi-step command (each step
 * is one document write with its events, so a crash leaves a known shape):
 *
 * - a seat without its enrollment → the enrollment is written (the seat names
 *   it: id, person, time), or the seat given back if the person is enrolled
 *   in the cohort under another id;
 * - a seat of a DROPPED enrollment → given back;
 * - an enrollment holding no seat (cohorts written before seats were
 *   recorded) → the seats are recorded from the enrollments;
 * - a draft still claiming its requests after `draftGraceMs` → deleted (it
 *   announced nothing);
 * - a request AGGREGATED into a missing project (an abandoned draft), a
 *   REJECTED one or one CLOSED after rejection → released; into a project
 *   CLOSED after approval → fulfilled.
 *
 * Every repair is a conditional single-document write that a second run, or
 * a second instance, finds already done. `runOnce` is called at start before
 * traffic; `start` then repeats it every `intervalMs`.
 */
export function createReconciler({
  stores,
  events,
  logger,
  intervalMs,
  draftGraceMs = DRAFT_GRACE_MS,
}: ReconcilerOptions) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function reconcileCohort(
    cohort: Stored<Cohort>,
    enrollments: readonly Enrollment[],
    meta: EventMeta,
    report: ReconcileReport,
  ): Promise<void> {
    const seats = seatsOf(cohort);
    if (seats === null) {
      if (await stores.cohorts.recordSeats(cohort.id, seatsHeldBy(enrollments)))
        report.cohortsBackfilled += 1;
      return;
    }
    const byId = new Map(enrollments.map((e) => [e.id, e]));
    for (const [enrollmentId, seat] of Object.entries(seats)) {
      const enrollment = byId.get(enrollmentId);
      if (!enrollment) {
        const outcome = await finishEnrollment(
          stores,
          events,
          cohort,
          enrollmentOfSeat(cohort, enrollmentId, seat),
          meta,
        );
        if (outcome === 'written') report.enrollmentsWritten += 1;
        if (outcome === 'person-already-enrolled') report.seatsReleased += 1;
      } else if (!holdsSeat(enrollment)) {
        if (await stores.cohorts.releaseSeat(cohort.id, enrollmentId))
          report.seatsReleased += 1;
      }
    }
    // Read after the cohort: an enrollment whose seat was taken since is
    // seated already, and the conditional write below finds it so.
    for (const enrollment of enrollments) {
      if (!holdsSeat(enrollment) || enrollment.id in seats) continue;
      const seated = await stores.cohorts.seatEnrollment(
        cohort.id,
        enrollment.id,
        { personId: enrollment.personId, reservedAt: enrollment.enrolledAt },
      );
      if (seated) {
        report.seatsRecorded += 1;
        logger.warn(
          { cohortId: cohort.id, enrollmentId: enrollment.id },
          'an enrollment held no seat; seat recorded',
        );
      }
    }
  }

  async function reconcileSeats(meta: EventMeta, report: ReconcileReport) {
    let after: unknown[] | null = null;
    for (;;) {
      // A seat is counted in `enrolled`: a cohort with none has nothing to
      // repair, unless it predates recorded seats.
      const page = await stores.cohorts.slice(
        { $or: [{ enrolled: { $gt: 0 } }, { seats: { $exists: false } }] },
        [['_id', 1]],
        BATCH,
        after,
      );
      if (page.nodes.length === 0) break;
      const enrollments = new Map<string, Enrollment[]>();
      for (const enrollment of await stores.enrollments.find({
        cohortId: { $in: page.nodes.map((c) => c.id) },
      })) {
        const ofCohort = enrollments.get(enrollment.cohortId);
        if (ofCohort) ofCohort.push(enrollment);
        else enrollments.set(enrollment.cohortId, [enrollment]);
      }
      for (const cohort of page.nodes)
        await reconcileCohort(
          cohort,
          enrollments.get(cohort.id) ?? [],
          meta,
          report,
        );
      if (!page.hasNextPage) break;
      after = [page.nodes[page.nodes.length - 1]?.id];
    }
  }

  /** Drafts left claiming: deleted, so their claims are released below. */
  async function abandonStaleDrafts(meta: EventMeta, report: ReconcileReport) {
    const cutoff = new Date(meta.now.getTime() - draftGraceMs);
    for (const project of await stores.projects.claimingSince(cutoff))
      if (await stores.projects.abandonDraft(project.id))
        report.draftsAbandoned += 1;
  }

  /** Requests still AGGREGATED into a project that let them go (or is gone). */
  async function moveDecidedDemands(meta: EventMeta, report: ReconcileReport) {
    let after: unknown[] | null = null;
    for (;;) {
      const page = await stores.demands.slice(
        { status: 'AGGREGATED' },
        [['_id', 1]],
        BATCH,
        after,
      );
      if (page.nodes.length === 0) break;
      const projectIds = [
        ...new Set(
          page.nodes.flatMap((d) => (d.projectId ? [d.projectId] : [])),
        ),
      ];
      // Read after the requests: a project seen missing here existed before
      // any claim of it, so it was deleted as an abandoned draft.
      const projects = new Map(
        (await stores.projects.findByIds(projectIds)).map((p) => [p.id, p]),
      );
      for (const demand of page.nodes) {
        if (!demand.projectId) continue;
        const project = projects.get(demand.projectId) ?? null;
        if (project && isClaiming(project)) continue;
        const move = moveFor(project);
        if (!move) continue;
        const moved = await moveDemand(
          stores,
          events,
          demand.id,
          demand.projectId,
          move,
          meta,
        );
        if (moved && move === 'release') report.demandsReleased += 1;
        if (moved && move === 'fulfill') report.demandsFulfilled += 1;
      }
      if (!page.hasNextPage) break;
      after = [page.nodes[page.nodes.length - 1]?.id];
    }
  }

  /** One pass over every shape; logs what it repaired. */
  async function runOnce(): Promise<ReconcileReport> {
    const report = emptyReport();
    const meta: EventMeta = { traceId: 'reconciler', now: new Date() };
    await reconcileSeats(meta, report);
    await abandonStaleDrafts(meta, report);
    await moveDecidedDemands(meta, report);
    if (repaired(report) > 0)
      logger.warn(
        { reconciled: report },
        'reconciler repaired half-done commands',
      );
    else
      logger.debug(
        { reconciled: report },
        'reconciler found nothing to repair',
      );
    return report;
  }

  function schedule() {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err: unknown) =>
          logger.error({ err }, 'reconciler pass failed; next pass will retry'),
        )
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, intervalMs);
  }

  return {
    runOnce,
    /** Repeats the pass every `intervalMs` (the first pass is `runOnce`, at start). */
    start() {
      stopped = false;
      schedule();
    },
    /** Stops repeating and waits for a pass under way. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
