import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole, runCommand } from '@conecta/service-kit';
import { addExpert, addExpertInput, type Committee } from '../domain/committee';
import {
  CAN_MANAGE_COMMITTEE,
  assertActsForCommittee,
} from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, requireOrganization, saveOutcome } from './load';

/** An expert (of a registered organization, or none) joins the technical working group. */
export function addWorkingGroupExpertCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Committee> {
  requireRole(ctx.identity, ...CAN_MANAGE_COMMITTEE);
  const input = parseInput(addExpertInput, rawInput);
  return runCommand(input, {
    load: (i) => loadCommittee(ctx, i.committeeId),
    authorize: (committee) => assertActsForCommittee(ctx.identity, committee),
    decide: async (committee, i) => {
      if (i.organizationId) {
        await requireOrganization(
          ctx,
          i.organizationId,
          'input.organizationId',
        );
      }
      return addExpert(committee, i, { id: uuidv7(), now: new Date() });
    },
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
  });
}
