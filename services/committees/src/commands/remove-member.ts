import { parseInput, requireRole, runCommand } from '@conecta/service-kit';
import {
  memberRefInput,
  removeMember,
  type Committee,
} from '../domain/committee';
import {
  CAN_MANAGE_COMMITTEE,
  assertActsForCommittee,
} from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, saveOutcome } from './load';

/** A member organization leaves the committee (never its chair). */
export function removeCommitteeMemberCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Committee> {
  requireRole(ctx.identity, ...CAN_MANAGE_COMMITTEE);
  const input = parseInput(memberRefInput, rawInput);
  return runCommand(input, {
    load: (i) => loadCommittee(ctx, i.committeeId),
    authorize: (committee) => assertActsForCommittee(ctx.identity, committee),
    decide: (committee, i) => removeMember(committee, i, { now: new Date() }),
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
  });
}
