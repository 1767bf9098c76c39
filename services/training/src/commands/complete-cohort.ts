import { z } from 'zod';
import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { completeCohort, type Cohort } from '../domain/cohort';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, metaOf, BROKER_DECISION } from './load';

const idArgs = z.object({ id: z.uuid() });

/** The broker completes a RUNNING cohort. */
export function completeCohortCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Cohort> {
  assertBroker(ctx.identity);
  const args = parseInput(idArgs, rawArgs, '');
  return runCommand(
    args,
    {
      load: ({ id }) => loadFresh(ctx.stores.cohorts, id, 'id', 'Cohort'),
      authorize: authorizedBeforeLoad,
      decide: (cohort) => {
        const next = completeCohort(cohort);
        const meta = metaOf(ctx, new Date());
        return { next, events: [ctx.events.cohortCompleted(next, meta)] };
      },
      save: (cohort, { next, events }) =>
        ctx.stores.cohorts.saveFrom(cohort, next, events, 'id'),
    },
    BROKER_DECISION,
  );
}
