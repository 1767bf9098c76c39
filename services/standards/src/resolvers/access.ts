import type { Context } from '../context';
import { canSeeStandard, isStaff } from '../domain/permissions';
import type { CompetencyStandard } from '../domain/standard';
import type { Visibility } from '../store/standards';

/**
 * Visibility is enforced here for every read path (queries, fields, _entities):
 * public statuses for all, the rest for staff and the owning committee's
 * members. A standard the caller may not see is reported as absent, never as
 * forbidden, so its existence does not leak.
 */
export async function isVisible(
  ctx: Context,
  standard: CompetencyStandard,
): Promise<boolean> {
  if (canSeeStandard(ctx.identity, standard, null)) return true;
  const committee = await ctx.loaders.committee.load(standard.committeeId);
  return canSeeStandard(ctx.identity, standard, committee);
}

/** The standards among `standards` the caller may see, in order (committees batched). */
export async function visibleOnly(
  ctx: Context,
  standards: readonly CompetencyStandard[],
): Promise<CompetencyStandard[]> {
  const visible = await Promise.all(standards.map((s) => isVisible(ctx, s)));
  return standards.filter((_s, i) => visible[i]);
}

/** The standard (batched through the loader) if it exists and the caller may see it. */
export async function loadVisible(
  ctx: Context,
  id: string,
): Promise<CompetencyStandard | null> {
  const standard = await ctx.loaders.standard.load(id);
  return standard && (await isVisible(ctx, standard)) ? standard : null;
}

/** What the caller may see, as a query condition for searches. */
export async function visibilityOf(ctx: Context): Promise<Visibility> {
  if (isStaff(ctx.identity)) return { everything: true };
  const organizationId = ctx.identity.organizationId;
  return {
    everything: false,
    memberOfCommitteeIds: organizationId
      ? await ctx.stores.committees.idsWithMember(organizationId)
      : [],
  };
}
