import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { parseInput } from '@conecta/service-kit';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
} from '@conecta/service-kit/errors';
import { newDelivery, replay } from '../domain/delivery';
import { pingPayload } from '../domain/notification';
import { seesAllDemand, webhookScope } from '../domain/permissions';
import {
  createSubscription,
  createSubscriptionInput,
  rotateSecret,
  updateSubscription,
  updateSubscriptionInput,
  type WebhookSubscription,
} from '../domain/subscription';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import { loadDelivery, loadSubscription } from './access';

const idArgs = z.object({ id: entityId });
const subscriptionArgs = z.object({ subscriptionId: entityId });

/** Saves a change read from `before`; CONFLICT when it changed meanwhile (a retry reads it again). */
async function save(
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

export const Mutation: MutationResolvers = {
  createWebhookSubscription: async (_parent, args, context) => {
    const { identity, stores, production } = context;
    const scope = webhookScope(identity);
    const input = parseInput(createSubscriptionInput(production), args.input);
    let organizationId: string;
    if (scope === 'all') {
      if (!input.organizationId)
        throw new InvalidInputError(
          'input.organizationId',
          'an admin names the organization the subscription is for',
          'ORGANIZATION_REQUIRED',
        );
      organizationId = input.organizationId;
    } else {
      if (input.organizationId && input.organizationId !== scope.organizationId)
        throw new ForbiddenError(
          'You subscribe for your own organization only',
          'NOT_ACTING_FOR_ORGANIZATION',
        );
      organizationId = scope.organizationId;
    }
    const subscription = createSubscription(input, {
      id: uuidv7(),
      organizationId,
      seesAllDemand: seesAllDemand(identity),
      createdBy: identity.subject ?? null,
      now: new Date(),
    });
    await stores.subscriptions.insert(subscription);
    return { subscription, secret: subscription.secret };
  },

  updateWebhookSubscription: async (_parent, args, context) => {
    const input = parseInput(
      updateSubscriptionInput(context.production),
      args.input,
    );
    const before = await loadSubscription(context, input.id);
    return save(context, before, updateSubscription(before, input, new Date()));
  },

  rotateWebhookSecret: async (_parent, args, context) => {
    const { id } = parseInput(idArgs, args, '');
    const before = await loadSubscription(context, id);
    const subscription = await save(
      context,
      before,
      rotateSecret(before, new Date()),
    );
    return { subscription, secret: subscription.secret };
  },

  deleteWebhookSubscription: async (_parent, args, context) => {
    const { id } = parseInput(idArgs, args, '');
    const subscription = await loadSubscription(context, id);
    // The subscription first: the worker drops deliveries whose subscription is gone.
    await context.stores.subscriptions.delete(subscription.id);
    await context.stores.deliveries.deleteOfSubscription(subscription.id);
    return subscription.id;
  },

  replayWebhookDelivery: async (_parent, args, context) => {
    const { id } = parseInput(idArgs, args, '');
    const delivery = await loadDelivery(context, id);
    const changes = replay(delivery, new Date());
    if (!(await context.stores.deliveries.replay(id, delivery.status, changes)))
      throw new ConflictError(
        'WEBHOOK_DELIVERY_CHANGED_CONCURRENTLY',
        'The delivery changed while it was replayed: try again',
        'id',
      );
    context.worker.notify();
    return { ...delivery, ...changes };
  },

  replayDeadLetteredDeliveries: async (_parent, args, context) => {
    const { subscriptionId } = parseInput(subscriptionArgs, args, '');
    const subscription = await loadSubscription(context, subscriptionId);
    const now = new Date();
    let replayedCount = 0;
    for (const delivery of await context.stores.deliveries.deadLettered(
      subscription.id,
    ))
      if (
        await context.stores.deliveries.replay(
          delivery.id,
          'DEAD_LETTERED',
          replay(delivery, now),
        )
      )
        replayedCount += 1;
    if (replayedCount > 0) context.worker.notify();
    return { replayedCount };
  },

  sendTestWebhook: async (_parent, args, context) => {
    const { subscriptionId } = parseInput(subscriptionArgs, args, '');
    const subscription = await loadSubscription(context, subscriptionId);
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
    await context.stores.deliveries.insertNew([delivery]);
    context.worker.notify();
    return delivery;
  },
};
