import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { parseInput } from '@conecta/service-kit';
import { newDelivery, type Delivery } from '../domain/delivery';
import { pingPayload } from '../domain/notification';
import type { Context } from '../context';
import { loadSubscription } from './load';

const subscriptionArgs = z.object({ subscriptionId: entityId });

/** A `conecta.ping` delivery to the subscription's URL, due at once (an insert). */
export async function sendTestWebhookCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Delivery> {
  const { subscriptionId } = parseInput(subscriptionArgs, rawArgs, '');
  const subscription = await loadSubscription(ctx, subscriptionId);
  const now = new Date();
  const id = uuidv7();
  const payload = pingPayload(subscription.id, now);
  const delivery = newDelivery({
    id,
    subscriptionId: subscription.id,
    organizationId: subscription.organizationId,
    // A ping tells of no domain event: its own id keeps the key unique.
    eventId: id,
    type: payload.type,
    body: JSON.stringify(payload),
    now,
  });
  await ctx.stores.deliveries.insertNew([delivery]);
  ctx.worker.notify();
  return delivery;
}
