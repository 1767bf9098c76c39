import {
  authorizedBeforeLoad,
  parseInput,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  dissolveCommittee,
  dissolveCommitteeInput,
  type Committee,
} from '../domain/committee';
import { CAN_INSTALL_OR_DISSOLVE } from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, saveOutcome } from './load';

/** Oversight (admin, council) dissolves a committee, with a reason. */
export function dissolveCommitteeCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Committee> {
  requireRole(ctx.identity, ...CAN_INSTALL_OR_DISSOLVE);
  const input = parseInput(dissolveCommitteeInput, rawInput);
  return runCommand(input, {
    load: (i) => loadCommittee(ctx, i.committeeId),
    authorize: authorizedBeforeLoad,
    decide: (committee, i) =>
      dissolveCommittee(committee, i, { now: new Date() }),
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
  });
}
