import type { MutationResolvers } from '../__generated__/resolvers-types';
import { createSubscriptionCommand } from '../commands/create-subscription';
import { deleteSubscriptionCommand } from '../commands/delete-subscription';
import { replayDeadLetteredCommand } from '../commands/replay-dead-lettered';
import { replayDeliveryCommand } from '../commands/replay-delivery';
import { rotateSecretCommand } from '../commands/rotate-secret';
import { sendTestWebhookCommand } from '../commands/send-test-webhook';
import { updateSubscriptionCommand } from '../commands/update-subscription';

/** GraphQL to commands: each command parses its input, authorizes and answers. */
export const Mutation: MutationResolvers = {
  createWebhookSubscription: (_parent, args, ctx) =>
    createSubscriptionCommand(ctx, args.input),
  updateWebhookSubscription: (_parent, args, ctx) =>
    updateSubscriptionCommand(ctx, args.input),
  rotateWebhookSecret: (_parent, args, ctx) => rotateSecretCommand(ctx, args),
  deleteWebhookSubscription: (_parent, args, ctx) =>
    deleteSubscriptionCommand(ctx, args),
  replayWebhookDelivery: (_parent, args, ctx) =>
    replayDeliveryCommand(ctx, args),
  replayDeadLetteredDeliveries: (_parent, args, ctx) =>
    replayDeadLetteredCommand(ctx, args),
  sendTestWebhook: (_parent, args, ctx) => sendTestWebhookCommand(ctx, args),
};
