import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  DuplicateDemandError,
  demandNaturalKey,
  requestDemand,
  requestDemandInput,
  type DemandRequest,
} from '../domain/demand';
import { requesterFor } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf, requireOrganization, requireTarget } from './load';

/**
 * An organization (or the broker for it) asks for training. A new request
 * (an insert under a unique natural key), so no version to race and no
 * `runCommand`.
 */
export async function requestTrainingCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<DemandRequest> {
  const input = parseInput(requestDemandInput, rawInput);
  const requesterId = requesterFor(ctx.identity, input.requesterId);
  await requireOrganization(ctx, requesterId, 'input.requesterId');
  await requireTarget(ctx, input.target, 'input.target');
  const now = new Date();
  const demand = requestDemand(input, { id: uuidv7(), now, requesterId });
  // The same request twice (a retry, a double submission, two at once) is
  // refused by the unique natural key, naming the one that holds it.
  const taken = new Error('natural key taken');
  try {
    await ctx.stores.demands.insert(
      demand,
      [ctx.events.demandRequested(demand, metaOf(ctx, now))],
      () => taken,
    );
  } catch (error) {
    if (error !== taken) throw error;
    const holder = await ctx.stores.demands.findByNaturalKey(
      demandNaturalKey(demand),
    );
    // Let go between the clash and this read (cancelled): ask again.
    if (!holder)
      throw new ConflictError(
        'DEMAND_CHANGED_CONCURRENTLY',
        'The same request was just changed; read it again and retry',
        'input',
      );
    throw new DuplicateDemandError(holder.id);
  }
  return demand;
}
