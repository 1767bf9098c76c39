import { parseInput, requireRole, runCommand } from '@conecta/service-kit';
import {
  attestDecisionMaker,
  attestDecisionMakerInput,
  type Committee,
} from '../domain/committee';
import {
  CAN_MANAGE_COMMITTEE,
  assertMayAttestFor,
} from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, saveOutcome } from './load';

/** A member organization attests that its representative is a decision maker. */
export function attestDecisionMakerCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Committee> {
  requireRole(ctx.identity, ...CAN_MANAGE_COMMITTEE);
  const input = parseInput(attestDecisionMakerInput, rawInput);
  return runCommand(input, {
    load: (i) => loadCommittee(ctx, i.committeeId),
    authorize: (_committee, i) =>
      assertMayAttestFor(ctx.identity, i.organizationId),
    decide: (committee, i) =>
      attestDecisionMaker(committee, i, { now: new Date() }),
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
  });
}
