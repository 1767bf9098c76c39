import { decodeCursor, encodeCursor, parseInput } from '@conecta/service-kit';
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../domain/delivery';
import type { WebhookSubscriptionResolvers } from '../__generated__/resolvers-types';

const pageArgs = z.object({
  first: z.number().int().min(1).max(100).nullish(),
  after: z.string().nullish(),
  status: z.enum(DELIVERY_STATUSES).nullish(),
});

// Reachable only through the Query fields and mutations, which authorize the
// caller for the subscription (no @key: no `_entities` path).
export const WebhookSubscription: WebhookSubscriptionResolvers = {
  previousSecretValidUntil: (subscription) =>
    subscription.previousSecretUntil &&
    subscription.previousSecretUntil > new Date()
      ? subscription.previousSecretUntil
      : null,

  deliveries: async (subscription, args, { stores }) => {
    const { first, after, status } = parseInput(pageArgs, args, '');
    const size = first ?? 20;
    const page = await stores.deliveries.page(subscription.id, {
      first: size,
      ...(after && { after: decodeCursor(after, 'after') }),
      ...(status && { status }),
    });
    const last = page.nodes.at(-1);
    return {
      nodes: page.nodes,
      nextCursor: page.hasNextPage && last ? encodeCursor(last.id) : null,
    };
  },
};
