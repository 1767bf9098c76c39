import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { PUBLISHER_ROLES, assertRole } from '../domain/permissions';
import {
  withdrawStandard,
  withdrawalReason,
  type CompetencyStandard,
} from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** An admin records the withdrawal of a PUBLISHED standard, with its reason. */
export function withdrawStandardCommand(
  ctx: Context,
  id: string,
  rawReason: unknown,
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, PUBLISHER_ROLES);
  const reason = parseInput(withdrawalReason, rawReason, 'reason');
  return runCommand(reason, {
    load: () => loadStandard(ctx, id),
    authorize: authorizedBeforeLoad,
    decide: ({ standard }, why) => {
      const next = withdrawStandard(standard, why, new Date());
      return {
        next,
        events: [ctx.events.withdrawn(next, { traceId: ctx.requestId })],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
