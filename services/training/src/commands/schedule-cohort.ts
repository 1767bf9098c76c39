import { v7 as uuidv7 } from 'uuid';
import { orInvalidReference, parseInput } from '@conecta/service-kit';
import {
  scheduleCohort,
  scheduleCohortInput,
  type Cohort,
} from '../domain/cohort';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf, requireAgreement, requireOrganization } from './load';

/**
 * The broker schedules a cohort of an agreement at a venue. A new cohort (an
 * insert), so no version to race and no `runCommand`.
 */
export async function scheduleCohortCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Cohort> {
  assertBroker(ctx.identity);
  const input = parseInput(scheduleCohortInput, rawInput);
  const agreement = await requireAgreement(ctx, input.agreementId);
  const venue = await requireOrganization(ctx, input.venueId, 'input.venueId');
  const project = input.projectId
    ? await orInvalidReference(
        ctx.stores.projects.findById(input.projectId),
        'input.projectId',
        'a training project',
        'PROJECT_NOT_FOUND',
      )
    : null;
  const now = new Date();
  const cohort = scheduleCohort(input, agreement, project, {
    id: uuidv7(),
    now,
    venueState: venue.state || null,
  });
  await ctx.stores.cohorts.insert(cohort, [
    ctx.events.cohortScheduled(cohort, metaOf(ctx, now)),
  ]);
  return cohort;
}
