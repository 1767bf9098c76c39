import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { PUBLISHER_ROLES, assertRole } from '../domain/permissions';
import {
  publishStandard,
  publishStandardInput,
  type CompetencyStandard,
} from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';
import { supersedePreviousCommand } from './supersede-previous';

/**
 * An admin records the gazette publication of an APPROVED standard; a
 * revision then supersedes the version it revises (a second write: see
 * {@link supersedePreviousCommand}).
 */
export async function publishStandardCommand(
  ctx: Context,
  id: string,
  rawInput: unknown,
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, PUBLISHER_ROLES);
  const input = parseInput(publishStandardInput, rawInput);
  const meta = { traceId: ctx.requestId };
  const published = await runCommand(input, {
    load: async () => {
      const { standard } = await loadStandard(ctx, id);
      const [previous] = standard.revisionOf
        ? await ctx.stores.standards.findByIds([standard.revisionOf])
        : [];
      // The event names the version it supersedes, if still PUBLISHED.
      const supersedes =
        previous?.status === 'PUBLISHED' ? previous.id : undefined;
      return { standard, supersedes };
    },
    authorize: authorizedBeforeLoad,
    decide: ({ standard, supersedes }, gazette) => {
      const next = publishStandard(standard, gazette, new Date());
      return { next, events: [ctx.events.published(next, supersedes, meta)] };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
  // A second document. The publication stands whatever happens here: its
  // event makes the supersession again if this fails.
  await supersedePreviousCommand(ctx, published, meta).catch((error: unknown) =>
    ctx.logger.warn(
      { err: error, standardId: published.id },
      'supersession deferred to the StandardPublished follow-up',
    ),
  );
  return published;
}
