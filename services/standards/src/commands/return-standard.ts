import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { REVIEWER_ROLES, assertRole } from '../domain/permissions';
import { runAutomatedChecks } from '../domain/review';
import {
  findingsInput,
  returnToDraft,
  type CompetencyStandard,
} from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** A reviewer returns a standard in review to its committee, with findings (and the failed automated checks). */
export function returnStandardCommand(
  ctx: Context,
  id: string,
  rawFindings: unknown,
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, REVIEWER_ROLES);
  const findings = parseInput(findingsInput, rawFindings, 'findings');
  return runCommand(findings, {
    load: () => loadStandard(ctx, id),
    authorize: authorizedBeforeLoad,
    decide: ({ standard, committee }, given) => {
      const { standard: next, returned } = returnToDraft(
        standard,
        given,
        runAutomatedChecks(standard, committee),
        new Date(),
      );
      return {
        next,
        events: [
          ctx.events.returned(next, returned, { traceId: ctx.requestId }),
        ],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
