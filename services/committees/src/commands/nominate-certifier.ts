import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import {
  nominateCertifier,
  nominateCertifierInput,
  type Nomination,
} from '../domain/nomination';
import { CAN_NOMINATE, assertMayNominate } from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, requireOrganization } from './load';

/**
 * A member of the committee that owns a PUBLISHED standard nominates an
 * organization as its certifier. A new nomination (an insert, numbered in
 * the standard's sequence: the store draws again when a concurrent one took
 * the number), so no version to race and no `runCommand`.
 */
export async function nominateCertifierCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Nomination> {
  const { identity, stores, events, requestId } = ctx;
  requireRole(identity, ...CAN_NOMINATE);
  const input = parseInput(nominateCertifierInput, rawInput);
  const committee = await loadCommittee(ctx, input.committeeId);
  assertMayNominate(identity, committee);
  await requireOrganization(ctx, input.organizationId, 'input.organizationId');
  const standard = await stores.standards.findById(input.standardId);
  const id = uuidv7();
  const now = new Date();
  return stores.nominations.insertNext(
    input.standardId,
    input.organizationId,
    (sequence) => {
      const nomination = nominateCertifier(committee, standard, input, {
        id,
        now,
        sequence,
      });
      return {
        nomination,
        events: [events.certifierNominated(nomination, { traceId: requestId })],
      };
    },
  );
}
