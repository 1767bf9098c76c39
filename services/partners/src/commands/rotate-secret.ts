import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { parseInput, runCommand } from '@conecta/service-kit';
import { rotateSecret, type WebhookSubscription } from '../domain/subscription';
import type { Context } from '../context';
import { authorizedInLoad, loadSubscription, saveSubscription } from './load';

const idArgs = z.object({ id: entityId });

/** A new signing secret, shown once; the old one keeps signing for the grace period. */
export function rotateSecretCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const args = parseInput(idArgs, rawArgs, '');
  return runCommand(args, {
    load: ({ id }) => loadSubscription(ctx, id),
    authorize: authorizedInLoad,
    decide: (before) => rotateSecret(before, new Date()),
    save: (before, after) => saveSubscription(ctx, before, after),
    answer: (subscription) => ({ subscription, secret: subscription.secret }),
  });
}
