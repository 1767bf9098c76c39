import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import {
  proposeCommittee,
  proposeCommitteeInput,
  type Committee,
} from '../domain/committee';
import { CAN_MANAGE_COMMITTEE, proposerOf } from '../domain/permissions';
import type { Context } from '../context';
import { requireOrganization, requireSector } from './load';

/**
 * Proposes a committee for the caller's organization (an admin may propose
 * for none): a new committee, PROPOSED, with its event, in one insert
 * (CONFLICT `COMMITTEE_NAME_TAKEN` for a name its sector has).
 */
export async function proposeCommitteeCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Committee> {
  const { identity, stores, events, requestId } = ctx;
  requireRole(identity, ...CAN_MANAGE_COMMITTEE);
  const input = parseInput(proposeCommitteeInput, rawInput);
  const proposer = proposerOf(identity);
  if (proposer) {
    await requireOrganization(ctx, proposer, 'identity.organizationId');
  }
  await requireSector(ctx, input.sectorId);
  const { committee, changes } = proposeCommittee(input, {
    id: uuidv7(),
    now: new Date(),
    proposedByOrganizationId: proposer,
  });
  await stores.committees.insert(
    committee,
    events.committeeChanged(committee, changes, { traceId: requestId }),
  );
  return committee;
}
