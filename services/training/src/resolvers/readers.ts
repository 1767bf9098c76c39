import {
  canSeeDemand,
  canSeeEnrollment,
  canSeeProject,
  seenOrNull,
} from '../domain/access';
import type { DemandRequest } from '../domain/demand';
import type { Enrollment } from '../domain/enrollment';
import type { TrainingProject } from '../domain/project';
import type { Context } from '../context';
import { scopeOf } from '../commands/load';

// The only way resolvers read the guarded entities of training for a caller:
// each reader loads through the request's DataLoaders (N references, one
// query) and answers null for what the caller may not see (domain/access.ts),
// so a root query, a nested field and `_entities` cannot disagree.

/** A training project, or null when absent or not the caller's to see. */
export async function readProject(
  ctx: Context,
  id: string,
): Promise<TrainingProject | null> {
  return seenOrNull(await ctx.loaders.project.load(id), () =>
    canSeeProject(ctx.identity),
  );
}

/** A demand request, or null when absent or not the caller's to see. */
export async function readDemand(
  ctx: Context,
  id: string,
): Promise<DemandRequest | null> {
  return seenOrNull(await ctx.loaders.demand.load(id), (d) =>
    canSeeDemand(ctx.identity, d),
  );
}

/** The demand requests among `ids` the caller may see, in order. */
export async function readDemands(
  ctx: Context,
  ids: readonly string[],
): Promise<DemandRequest[]> {
  const found = await Promise.all(ids.map((id) => readDemand(ctx, id)));
  return found.filter((d): d is DemandRequest => d !== null);
}

/** An enrollment, or null when absent or not the caller's to see. */
export async function readEnrollment(
  ctx: Context,
  id: string,
): Promise<Enrollment | null> {
  const enrollment = await ctx.loaders.enrollment.load(id);
  if (!enrollment) return null;
  return canSeeEnrollment(ctx.identity, await scopeOf(ctx, enrollment))
    ? enrollment
    : null;
}
