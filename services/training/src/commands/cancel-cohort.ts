import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { cancelCohort, cancelCohortInput, type Cohort } from '../domain/cohort';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, metaOf, BROKER_DECISION } from './load';

/** The broker cancels a SCHEDULED or RUNNING cohort, with a reason. */
export function cancelCohortCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Cohort> {
  assertBroker(ctx.identity);
  const input = parseInput(cancelCohortInput, rawInput);
  return runCommand(
    input,
    {
      load: (i) => loadFresh(ctx.stores.cohorts, i.id, 'input.id', 'Cohort'),
      authorize: authorizedBeforeLoad,
      decide: (cohort, i) => {
        const next = cancelCohort(cohort, i.reason);
        const meta = metaOf(ctx, new Date());
        return { next, events: [ctx.events.cohortCancelled(next, meta)] };
      },
      save: (cohort, { next, events }) =>
        ctx.stores.cohorts.saveFrom(cohort, next, events, 'input.id'),
    },
    BROKER_DECISION,
  );
}
