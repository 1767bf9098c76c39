import { parseInput, runCommand } from '@conecta/service-kit';
import {
  cancelDemand,
  cancelDemandInput,
  type DemandRequest,
} from '../domain/demand';
import { assertManagesDemand } from '../domain/permissions';
import {
  cancelAggregatedDemand,
  projectCost,
  type TrainingProject,
} from '../domain/project';
import type { Stored } from '../store/aggregate';
import type { Context } from '../context';
import { agreementOf, loadFresh, metaOf, type Change } from './load';

const FIELD = 'input.id';

/** A cancellation: the request's, and the DRAFT project's that lets it go (if any). */
interface Cancellation {
  demand: Change<DemandRequest>;
  /** Set when the request was AGGREGATED: its save is conditional on that. */
  aggregatedIn?: string | null;
  withdrawal:
    (Change<TrainingProject> & { before: Stored<TrainingProject> }) | null;
}

/**
 * The requester (or a broker) cancels an OPEN request, or an AGGREGATED one
 * whose project is still DRAFT (the project drops it: `ProjectDemandWithdrawn`)
 * or was rejected. Two requests of one DRAFT project cancelled at once both
 * shrink it: the one whose project write loses runs again (runCommand) on the
 * shrunk project.
 */
export function cancelDemandRequestCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<DemandRequest> {
  const input = parseInput(cancelDemandInput, rawInput);
  return runCommand(input, {
    load: (i) => loadFresh(ctx.stores.demands, i.id, FIELD, 'DemandRequest'),
    authorize: (demand) => assertManagesDemand(ctx.identity, demand),
    decide: (demand, i) => decideCancellation(ctx, demand, i.reason),
    save: (demand, cancellation) => saveCancellation(ctx, demand, cancellation),
  });
}

async function decideCancellation(
  ctx: Context,
  before: DemandRequest,
  reason: string,
): Promise<Cancellation> {
  const meta = metaOf(ctx, new Date());
  if (before.status !== 'AGGREGATED') {
    const next = cancelDemand(before, reason);
    return {
      demand: { next, events: [ctx.events.demandCancelled(next, meta)] },
      withdrawal: null,
    };
  }
  const project = before.projectId
    ? await ctx.stores.projects.findById(before.projectId)
    : null;
  const { demand, project: shrunk } = cancelAggregatedDemand(
    before,
    project,
    reason,
  );
  const withdrawal =
    project && shrunk
      ? {
          before: project,
          next: shrunk,
          events: [
            ctx.events.projectDemandWithdrawn(
              shrunk,
              before.id,
              projectCost(shrunk, await agreementOf(ctx, shrunk)),
              meta,
            ),
          ],
        }
      : null;
  return {
    demand: {
      next: demand,
      events: [ctx.events.demandCancelled(demand, meta)],
    },
    aggregatedIn: before.projectId,
    withdrawal,
  };
}

async function saveCancellation(
  { stores }: Pick<Context, 'stores'>,
  before: Stored<DemandRequest>,
  { demand, aggregatedIn, withdrawal }: Cancellation,
): Promise<Stored<DemandRequest>> {
  if (withdrawal)
    // The DRAFT project lets go first, conditional on still being DRAFT and
    // listing the request: once it no longer lists it, nothing else moves
    // the request (drafting needs OPEN; a project's decisions move only the
    // requests it lists), so the project never keeps a cancelled request.
    await stores.projects.save(
      withdrawal.before,
      withdrawal.next,
      withdrawal.events,
      {
        expected: { status: 'DRAFT', demandRequestIds: before.id },
        field: FIELD,
      },
    );
  if (aggregatedIn === undefined)
    return stores.demands.save(before, demand.next, demand.events, {
      field: FIELD,
    });
  // Conditional on the request still being in that project: a retry after a
  // failure here finds a DRAFT project that no longer lists it and finishes.
  return stores.demands.save(before, demand.next, demand.events, {
    expected: { status: 'AGGREGATED', projectId: aggregatedIn },
    field: FIELD,
  });
}
