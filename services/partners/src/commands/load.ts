import { ConflictError, NotFoundError } from '@conecta/service-kit/errors';
import type { Context } from '../context';
import type { Delivery } from '../domain/delivery';
import { managesWebhooksOf, webhookScope } from '../domain/permissions';
import type { WebhookSubscription } from '../domain/subscription';

// The loads every command and query on a subscription or a delivery goes
// through: the access rule of domain/permissions applied to what is read,
// so another organization's is absent, never forbidden.

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

/**
 * `authorize` of the commands on one subscription or delivery: its access
 * rule (`webhookScope`, then `managesWebhooksOf`) ran in the load, which
 * reports another organization's as absent, never as forbidden.
 */
export function authorizedInLoad(): void {}

/**
 * The `save` step of the commands that change a subscription: its new
 * fields, conditional on the `updatedAt` it was read with; CONFLICT
 * `WEBHOOK_SUBSCRIPTION_CHANGED_CONCURRENTLY` when it changed meanwhile
 * (`runCommand` then runs the command again on what won).
 */
export async function saveSubscription(
  { stores }: Pick<Context, 'stores'>,
  before: WebhookSubscription,
  after: WebhookSubscription,
): Promise<WebhookSubscription> {
  if (!(await stores.subscriptions.save(after, before.updatedAt)))
    throw new ConflictError(
      'WEBHOOK_SUBSCRIPTION_CHANGED_CONCURRENTLY',
      'The subscription changed while this change was made: try again',
    );
  return after;
}
