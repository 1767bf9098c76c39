import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { parseInput, runCommand } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import { replay, type Delivery } from '../domain/delivery';
import type { Context } from '../context';
import { authorizedInLoad, loadDelivery } from './load';

const idArgs = z.object({ id: entityId });

/**
 * A delivered or dead-lettered delivery is due again at once (same id and
 * body), conditional on the status it was read in; the worker is woken.
 */
export function replayDeliveryCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Delivery> {
  const args = parseInput(idArgs, rawArgs, '');
  return runCommand(args, {
    load: ({ id }) => loadDelivery(ctx, id),
    authorize: authorizedInLoad,
    decide: (delivery) => replay(delivery, new Date()),
    save: async (delivery, changes) => {
      if (
        !(await ctx.stores.deliveries.replay(
          delivery.id,
          delivery.status,
          changes,
        ))
      )
        throw new ConflictError(
          'WEBHOOK_DELIVERY_CHANGED_CONCURRENTLY',
          'The delivery changed while it was replayed: try again',
          'id',
        );
      ctx.worker.notify();
      return { ...delivery, ...changes };
    },
  });
}
