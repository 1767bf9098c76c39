import { authorizedBeforeLoad, runCommand } from '@conecta/service-kit';
import { VOTER_ROLES, assertRole } from '../domain/permissions';
import { closeCouncilVote, type CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** A council member closes the vote once its quorum is met: approved or rejected. */
export function closeCouncilVoteCommand(
  ctx: Context,
  id: string,
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, VOTER_ROLES);
  return runCommand(id, {
    load: (standardId) => loadStandard(ctx, standardId),
    authorize: authorizedBeforeLoad,
    decide: ({ standard }) => {
      const next = closeCouncilVote(standard, ctx.council, new Date());
      return {
        next,
        events: [ctx.events.decided(next, { traceId: ctx.requestId })],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
