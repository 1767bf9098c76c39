import { z } from 'zod';
import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { startCohort, type Cohort } from '../domain/cohort';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { agreementOf, loadFresh, metaOf, BROKER_DECISION } from './load';

const idArgs = z.object({ id: z.uuid() });

/** The broker starts a SCHEDULED cohort that has the agreement's minimum enrolled. */
export function startCohortCommand(
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
      decide: async (cohort) => {
        const next = startCohort(cohort, await agreementOf(ctx, cohort));
        const meta = metaOf(ctx, new Date());
        return { next, events: [ctx.events.cohortStarted(next, meta)] };
      },
      save: (cohort, { next, events }) =>
        ctx.stores.cohorts.saveFrom(cohort, next, events, 'id'),
    },
    BROKER_DECISION,
  );
}
