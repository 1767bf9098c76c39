import { v7 as uuidv7 } from 'uuid';
import { ConflictError } from '@conecta/service-kit/errors';
import { assertCanWriteFor } from '../domain/permissions';
import { reviseStandard, type CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { loadStandard } from './load';

/**
 * The owning committee opens a revision of a PUBLISHED standard: a new
 * DRAFT version of its code, inserted with its event (the unique code and
 * version refuse a concurrent second one: `REVISION_IN_PROGRESS`).
 */
export async function reviseStandardCommand(
  ctx: Context,
  id: string,
): Promise<CompetencyStandard> {
  const { standard: published, committee } = await loadStandard(ctx, id);
  assertCanWriteFor(ctx.identity, committee);
  if (await ctx.stores.standards.hasOpenVersion(published.code))
    throw new ConflictError(
      'REVISION_IN_PROGRESS',
      `A version of ${published.code} is already on its way to publication`,
    );
  const versions = await ctx.stores.standards.findVersions(published.code);
  const revision = reviseStandard(published, {
    id: uuidv7(),
    latestVersion: Math.max(...versions.map((v) => v.version)),
    committee,
    now: new Date(),
  });
  await ctx.stores.standards.insertRevision(revision, [
    ctx.events.drafted(revision, { traceId: ctx.requestId }),
  ]);
  return revision;
}
