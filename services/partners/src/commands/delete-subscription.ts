import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { parseInput } from '@conecta/service-kit';
import type { Context } from '../context';
import { loadSubscription } from './load';

const idArgs = z.object({ id: entityId });

/** Deletes a subscription and its deliveries; answers its id. */
export async function deleteSubscriptionCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<string> {
  const { id } = parseInput(idArgs, rawArgs, '');
  const subscription = await loadSubscription(ctx, id);
  // The subscription first: the worker drops deliveries whose subscription is gone.
  await ctx.stores.subscriptions.delete(subscription.id);
  await ctx.stores.deliveries.deleteOfSubscription(subscription.id);
  return subscription.id;
}
