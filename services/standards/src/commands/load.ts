import { NotFoundError } from '@conecta/service-kit/errors';
import type { EventEnvelope } from '@conecta/events';
import type { CommitteeView } from '../domain/committee';
import { canSeeStandard } from '../domain/permissions';
import type { CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';

// What the commands on a standard share: the fresh load with its committee,
// and the one conditional write of a change with its events.

/** A standard as a command reads it: with its owning committee as the projection knows it now. */
export interface StandardWithCommittee {
  standard: CompetencyStandard;
  committee: CommitteeView | null;
}

/** A standard's next state and the events that tell it, decided by the domain. */
export interface StandardChange {
  next: CompetencyStandard;
  events: EventEnvelope[];
}

/** The committee as the projection knows it now (not the request cache). */
export async function committeeOf(
  { stores }: Pick<Context, 'stores'>,
  committeeId: string,
): Promise<CommitteeView | null> {
  const [committee] = await stores.committees.findByIds([committeeId]);
  return committee ?? null;
}

/**
 * The current stored state of a standard (not the request's cached copy)
 * and its committee, or NOT_FOUND when it does not exist or the caller may
 * not see it (`canSeeStandard`: its existence does not leak).
 */
export async function loadStandard(
  ctx: Pick<Context, 'stores' | 'identity'>,
  id: string,
): Promise<StandardWithCommittee> {
  const [standard] = await ctx.stores.standards.findByIds([id]);
  if (!standard) throw new NotFoundError('CompetencyStandard', id);
  const committee = await committeeOf(ctx, standard.committeeId);
  if (!canSeeStandard(ctx.identity, standard, committee))
    throw new NotFoundError('CompetencyStandard', id);
  return { standard, committee };
}

/**
 * The `save` step of the commands on a standard: the change and its events
 * in ONE update, conditional on the status and revision `standard` was read
 * at; CONFLICT `STANDARD_CHANGED_CONCURRENTLY` when it changed meanwhile
 * (`runCommand` then runs the command again on what won).
 *
 * @returns the saved standard
 */
export async function saveChange(
  { stores }: Pick<Context, 'stores'>,
  standard: CompetencyStandard,
  { next, events }: StandardChange,
): Promise<CompetencyStandard> {
  await stores.standards.save(standard, next, events);
  return next;
}
