import { parseInput, runCommand } from '@conecta/service-kit';
import {
  updateSubscription,
  updateSubscriptionInput,
  type WebhookSubscription,
} from '../domain/subscription';
import type { Context } from '../context';
import { authorizedInLoad, loadSubscription, saveSubscription } from './load';

/** Changes a subscription's URL, description, kinds, filters or state. */
export function updateSubscriptionCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<WebhookSubscription> {
  const input = parseInput(updateSubscriptionInput(ctx.production), rawInput);
  return runCommand(input, {
    load: (i) => loadSubscription(ctx, i.id),
    authorize: authorizedInLoad,
    decide: (before, i) => updateSubscription(before, i, new Date()),
    save: (before, after) => saveSubscription(ctx, before, after),
  });
}
