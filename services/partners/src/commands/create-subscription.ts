import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  seesAllDemand,
  subscriptionOwner,
  webhookScope,
} from '../domain/permissions';
import {
  createSubscription,
  createSubscriptionInput,
  type WebhookSubscription,
} from '../domain/subscription';
import type { Context } from '../context';

/**
 * A partner app (or an admin, for a named organization) subscribes a URL to
 * kinds of changes; the answer carries the signing secret, shown this once.
 * An insert (no version to race).
 */
export async function createSubscriptionCommand(
  { identity, stores, production }: Context,
  rawInput: unknown,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const scope = webhookScope(identity);
  const input = parseInput(createSubscriptionInput(production), rawInput);
  const subscription = createSubscription(input, {
    id: uuidv7(),
    organizationId: subscriptionOwner(scope, input.organizationId),
    seesAllDemand: seesAllDemand(identity),
    createdBy: identity.subject ?? null,
    now: new Date(),
  });
  await stores.subscriptions.insert(subscription);
  return { subscription, secret: subscription.secret };
}
