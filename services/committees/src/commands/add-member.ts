import { parseInput, requireRole, runCommand } from '@conecta/service-kit';
import { addMember, addMemberInput, type Committee } from '../domain/committee';
import {
  CAN_MANAGE_COMMITTEE,
  assertMayAddMember,
} from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, requireOrganization, saveOutcome } from './load';

/** An organization joins a committee on a side (attested as decision maker if it says so). */
export function addCommitteeMemberCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Committee> {
  requireRole(ctx.identity, ...CAN_MANAGE_COMMITTEE);
  const input = parseInput(addMemberInput, rawInput);
  return runCommand(input, {
    load: (i) => loadCommittee(ctx, i.committeeId),
    authorize: (committee, i) => assertMayAddMember(ctx.identity, committee, i),
    decide: async (committee, i) => {
      const organization = await requireOrganization(
        ctx,
        i.organizationId,
        'input.organizationId',
      );
      return addMember(committee, i, {
        now: new Date(),
        organizationKind: organization.kind,
      });
    },
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
  });
}
