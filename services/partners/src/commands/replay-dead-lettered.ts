import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { parseInput } from '@conecta/service-kit';
import { replay } from '../domain/delivery';
import type { Context } from '../context';
import { loadSubscription } from './load';

const subscriptionArgs = z.object({ subscriptionId: entityId });

/**
 * Every dead-lettered delivery of a subscription is due again. Each is its
 * own conditional write (still DEAD_LETTERED): one another request replayed
 * meanwhile is skipped, not counted, and nothing is retried.
 */
export async function replayDeadLetteredCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<{ replayedCount: number }> {
  const { subscriptionId } = parseInput(subscriptionArgs, rawArgs, '');
  const subscription = await loadSubscription(ctx, subscriptionId);
  const now = new Date();
  let replayedCount = 0;
  for (const delivery of await ctx.stores.deliveries.deadLettered(
    subscription.id,
  ))
    if (
      await ctx.stores.deliveries.replay(
        delivery.id,
        'DEAD_LETTERED',
        replay(delivery, now),
      )
    )
      replayedCount += 1;
  if (replayedCount > 0) ctx.worker.notify();
  return { replayedCount };
}
