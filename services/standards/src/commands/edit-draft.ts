import { parseInput, runCommand } from '@conecta/service-kit';
import { assertCanWriteFor } from '../domain/permissions';
import {
  editDraft,
  editDraftInput,
  type CompetencyStandard,
} from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/** The owning committee edits a DRAFT. */
export function editDraftCommand(
  ctx: Context,
  id: string,
  rawInput: unknown,
): Promise<CompetencyStandard> {
  const changes = parseInput(editDraftInput, rawInput);
  return runCommand(changes, {
    load: () => loadStandard(ctx, id),
    authorize: ({ committee }) => assertCanWriteFor(ctx.identity, committee),
    decide: ({ standard }, input) => {
      const next = editDraft(standard, input, new Date());
      return {
        next,
        events: [ctx.events.draftEdited(next, { traceId: ctx.requestId })],
      };
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
