import { authorizedBeforeLoad, runCommand } from '@conecta/service-kit';
import { REVIEWER_ROLES, assertRole } from '../domain/permissions';
import { runAutomatedChecks } from '../domain/review';
import { sendToCouncil, type CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** A reviewer opens the council vote on a reviewed standard that passes the automated checks. */
export function sendToCouncilCommand(
  ctx: Context,
  id: string,
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, REVIEWER_ROLES);
  return runCommand(id, {
    load: (standardId) => loadStandard(ctx, standardId),
    authorize: authorizedBeforeLoad,
    decide: ({ standard, committee }) => {
      const next = sendToCouncil(
        standard,
        runAutomatedChecks(standard, committee),
        new Date(),
      );
      return {
        next,
        events: [
          ctx.events.councilVoteOpened(next, { traceId: ctx.requestId }),
        ],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
