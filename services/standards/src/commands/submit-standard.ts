import { runCommand } from '@conecta/service-kit';
import { assertCanWriteFor } from '../domain/permissions';
import { submitStandard, type CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** The owning committee submits a DRAFT for the methodology review. */
export function submitStandardCommand(
  ctx: Context,
  id: string,
): Promise<CompetencyStandard> {
  return runCommand(id, {
    load: (standardId) => loadStandard(ctx, standardId),
    authorize: ({ committee }) => assertCanWriteFor(ctx.identity, committee),
    decide: ({ standard, committee }) => {
      const next = submitStandard(standard, committee, new Date());
      return {
        next,
        events: [ctx.events.submitted(next, { traceId: ctx.requestId })],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
