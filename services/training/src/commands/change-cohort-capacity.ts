import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import {
  changeCapacity,
  changeCapacityInput,
  type Cohort,
} from '../domain/cohort';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, metaOf, BROKER_DECISION } from './load';

/**
 * The broker changes a scheduled cohort's capacity. The write also proves
 * the enrolled (an unversioned counter) still fit, so a seat taken meanwhile
 * is never left above capacity.
 */
export function changeCohortCapacityCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Cohort> {
  assertBroker(ctx.identity);
  const input = parseInput(changeCapacityInput, rawInput);
  return runCommand(
    input,
    {
      load: (i) => loadFresh(ctx.stores.cohorts, i.id, 'input.id', 'Cohort'),
      authorize: authorizedBeforeLoad,
      decide: (cohort, i) => {
        const next = changeCapacity(cohort, i.capacity);
        const meta = metaOf(ctx, new Date());
        return { next, events: [ctx.events.cohortCapacityChanged(next, meta)] };
      },
      save: (cohort, { next, events }) =>
        ctx.stores.cohorts.saveCapacity(cohort, next, events, 'input.id'),
    },
    BROKER_DECISION,
  );
}
