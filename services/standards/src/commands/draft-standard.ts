import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { assertCanWriteFor } from '../domain/permissions';
import {
  assertCanDraft,
  draftStandard,
  draftStandardInput,
  type CompetencyStandard,
} from '../domain/standard';
import type { Context } from '../context';
import { committeeOf } from './load';

/**
 * A member of an INSTALLED committee (or an admin) drafts a new standard
 * under a newly drawn code: an insert with its event (no version to race).
 */
export async function draftStandardCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<CompetencyStandard> {
  const input = parseInput(draftStandardInput, rawInput);
  const committee = await committeeOf(ctx, input.committeeId);
  assertCanWriteFor(ctx.identity, committee);
  // Refuse before a code is drawn: a refused draft must not use one up.
  assertCanDraft(committee, input);
  const meta = { traceId: ctx.requestId };
  const id = uuidv7();
  const now = new Date();
  return ctx.stores.standards.insertNew((code) => {
    const draft = draftStandard(input, { id, code, committee, now });
    return { standard: draft, events: [ctx.events.drafted(draft, meta)] };
  });
}
