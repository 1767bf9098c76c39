import {
  authorizedBeforeLoad,
  parseInput,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  committeeIdArgs,
  installCommittee,
  type Committee,
} from '../domain/committee';
import { CAN_INSTALL_OR_DISSOLVE } from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, saveOutcome } from './load';

/** Oversight (admin, council) installs a PROPOSED committee that meets every condition. */
export function installCommitteeCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Committee> {
  requireRole(ctx.identity, ...CAN_INSTALL_OR_DISSOLVE);
  const args = parseInput(committeeIdArgs, rawArgs, '');
  return runCommand(args, {
    load: ({ id }) => loadCommittee(ctx, id),
    authorize: authorizedBeforeLoad,
    decide: (committee) => installCommittee(committee, { now: new Date() }),
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
  });
}
