import type { WebhookDeliveryResolvers } from '../__generated__/resolvers-types';

export const WebhookDelivery: WebhookDeliveryResolvers = {
  payload: (delivery) => delivery.body,
};
