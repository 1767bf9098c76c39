import { NotFoundError } from '@conecta/service-kit/errors';
import type { Context } from '../context';
import type { Delivery } from '../domain/delivery';
import { managesWebhooksOf, webhookScope } from '../domain/permissions';
import type { WebhookSubscription } from '../domain/subscription';

/**
 * The subscription `id` if the caller manages its organization's; NOT_FOUND
 * otherwise (another organization's subscription is not revealed).
 */
export async function loadSubscription(
  { identity, stores }: Pick<Context, 'identity' | 'stores'>,
  id: string,
): Promise<WebhookSubscription> {
  webhookScope(identity);
  const subscription = await stores.subscriptions.findById(id);
  if (
    !subscription ||
    !managesWebhooksOf(identity, subscription.organizationId)
  )
    throw new NotFoundError('WebhookSubscription', id);
  return subscription;
}

/** The delivery `id` if the caller manages its subscription's organization; NOT_FOUND otherwise. */
export async function loadDelivery(
  { identity, stores }: Pick<Context, 'identity' | 'stores'>,
  id: string,
): Promise<Delivery> {
  webhookScope(identity);
  const delivery = await stores.deliveries.findById(id);
  if (!delivery || !managesWebhooksOf(identity, delivery.organizationId))
    throw new NotFoundError('WebhookDelivery', id);
  return delivery;
}
