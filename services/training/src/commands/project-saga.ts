import type { Logger } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  aggregateDemand,
  fulfillDemand,
  releaseDemand,
  type DemandRequest,
} from '../domain/demand';
import type { ProjectCost, TrainingProject } from '../domain/project';
import type { EventMeta, TrainingEvents } from '../events';
import type { Stores } from '../store';
import type { Stored } from '../store/aggregate';
import { VersionConflictError } from '../store/versions';
import type { Context } from '../context';

/**
 * Drafting a project is a saga over the project and its demand requests,
 * each step one document write with its events:
 *
 * 1. the project, marked `claiming`, with no event (nothing is announced yet);
 * 2. each request claimed, OPEN → AGGREGATED into it (`DemandAggregated`);
 * 3. the mark removed, with `ProjectDrafted`.
 *
 * A request taken meanwhile makes the draft give up: the project is deleted
 * (it announced nothing), then the requests it claimed are released
 * (`DemandReleased`). A crash anywhere leaves either a claiming project —
 * the reconciler deletes it once older than its grace — or claims of a
 * project that no longer exists, which the reconciler releases. Since the
 * project is written before any claim and deleted only while claiming, "a
 * claim whose project is missing" means "a draft abandoned": never a draft
 * still under way.
 */
export async function draftWithClaims(
  stores: Stores,
  events: TrainingEvents,
  project: TrainingProject,
  demands: readonly Stored<DemandRequest>[],
  cost: ProjectCost,
  meta: EventMeta,
  logger: Logger,
): Promise<void> {
  await stores.projects.insertClaiming(project);
  const claimed: DemandRequest[] = [];
  try {
    for (const [i, demand] of demands.entries()) {
      const next = aggregateDemand(demand, project.id);
      await stores.demands.save(
        demand,
        next,
        [events.demandAggregated(next, project.id, meta)],
        { field: `input.demandRequestIds[${i}]` },
      );
      claimed.push(next);
    }
    const finished = await stores.projects.finishDraft(project.id, [
      events.projectDrafted(project, cost, meta),
    ]);
    if (!finished)
      throw new ConflictError(
        'PROJECT_DRAFT_ABANDONED',
        'The draft took too long and was abandoned; draft it again',
        'input',
      );
  } catch (error) {
    // The project first: once it is gone, every claim left is the
    // reconciler's to release, should this process stop here.
    try {
      await stores.projects.abandonDraft(project.id);
      for (const demand of claimed)
        await moveDemand(
          stores,
          events,
          demand.id,
          project.id,
          'release',
          meta,
        );
    } catch (err) {
      // The caller still learns why the draft failed; what is left half
      // undone has the shapes the reconciler repairs.
      logger.error(
        { err, projectId: project.id },
        'could not undo a failed draft; the reconciler will',
      );
    }
    throw error;
  }
}

/** Where a project's decision sends its aggregated requests. */
export type DemandMove = 'release' | 'fulfill';

/**
 * Moves one request out of project `projectId` (AGGREGATED → OPEN or
 * FULFILLED) from a fresh read, conditional on it still being AGGREGATED in
 * that project; doing it twice moves it once.
 *
 * @returns whether it was moved now
 */
export async function moveDemand(
  stores: Stores,
  events: TrainingEvents,
  demandId: string,
  projectId: string,
  move: DemandMove,
  meta: EventMeta,
): Promise<boolean> {
  const demand = await stores.demands.findById(demandId);
  if (
    !demand ||
    demand.status !== 'AGGREGATED' ||
    demand.projectId !== projectId
  )
    return false;
  const next =
    move === 'release' ? releaseDemand(demand) : fulfillDemand(demand);
  const event =
    move === 'release'
      ? events.demandReleased(next, projectId, meta)
      : events.demandFulfilled(next, projectId, meta);
  try {
    await stores.demands.save(demand, next, [event], {
      expected: { status: 'AGGREGATED', projectId },
    });
    return true;
  } catch (error) {
    // Changed since the read: whoever changed it decided (or moved it first).
    if (error instanceof VersionConflictError) return false;
    throw error;
  }
}

/**
 * Moves a decided project's demand requests (REJECTED: released; CLOSED after
 * approval: fulfilled), each in its own conditional write after the
 * project's. A failure here, or a crash, leaves requests AGGREGATED in a
 * decided project: the reconciler moves them (the same idempotent step).
 */
export async function moveProjectDemands(
  { stores, events, logger }: Pick<Context, 'stores' | 'events' | 'logger'>,
  project: TrainingProject,
  move: DemandMove,
  meta: EventMeta,
): Promise<void> {
  for (const demandId of project.demandRequestIds) {
    try {
      await moveDemand(stores, events, demandId, project.id, move, meta);
    } catch (err) {
      logger.error(
        { err, demandRequestId: demandId, projectId: project.id },
        'could not move a demand request with its project; the reconciler will',
      );
    }
  }
}

/**
 * Where a request AGGREGATED into `project` belongs now that the project is
 * where it is: null while it stays (DRAFT, SUBMITTED, APPROVED, or a draft
 * still claiming). A missing project is an abandoned draft.
 */
export function moveFor(project: TrainingProject | null): DemandMove | null {
  if (!project) return 'release';
  if (project.status === 'REJECTED') return 'release';
  if (project.status === 'CLOSED')
    return project.approvedFundShareBps === null ? 'release' : 'fulfill';
  return null;
}
