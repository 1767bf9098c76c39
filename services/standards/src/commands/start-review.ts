import { authorizedBeforeLoad, runCommand } from '@conecta/service-kit';
import { REVIEWER_ROLES, assertRole } from '../domain/permissions';
import { startReview, type CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** A reviewer (council, admin) starts the methodology review of a SUBMITTED standard. */
export function startReviewCommand(
  ctx: Context,
  id: string,
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, REVIEWER_ROLES);
  return runCommand(id, {
    load: (standardId) => loadStandard(ctx, standardId),
    authorize: authorizedBeforeLoad,
    decide: ({ standard }) => {
      const next = startReview(standard, new Date());
      return {
        next,
        events: [ctx.events.reviewStarted(next, { traceId: ctx.requestId })],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
