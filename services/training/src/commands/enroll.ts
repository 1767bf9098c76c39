import { v7 as uuidv7 } from 'uuid';
import { orInvalidReference, parseInput } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import { assertEnrolling } from '../domain/cohort';
import { enroll, enrollInput, type Enrollment } from '../domain/enrollment';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { takeSeatAndEnroll } from './enrollment-saga';
import { metaOf } from './load';

/**
 * The broker enrolls a registered person in an enrolling cohort. A two-step
 * saga (enrollment-saga): the seat, recorded on the cohort under the new
 * enrollment's id (refuses overbooking), then the enrollment under that id.
 */
export async function enrollCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Enrollment> {
  assertBroker(ctx.identity);
  const input = parseInput(enrollInput, rawInput);
  const cohort = await orInvalidReference(
    ctx.stores.cohorts.findById(input.cohortId),
    'input.cohortId',
    'a cohort',
    'COHORT_NOT_FOUND',
  );
  await orInvalidReference(
    ctx.stores.projections.persons
      .findByIds([input.personId])
      .then((found) => found[0] ?? null),
    'input.personId',
    "a person of certification's registry",
    'PERSON_NOT_FOUND',
  );
  assertEnrolling(cohort);
  const alreadyEnrolled = () =>
    new ConflictError(
      'ALREADY_ENROLLED',
      'This person is already enrolled in this cohort',
      'input.personId',
    );
  const existing = await ctx.stores.enrollments.find({
    cohortId: cohort.id,
    personId: input.personId,
  });
  if (existing.length > 0) throw alreadyEnrolled();
  const now = new Date();
  const enrollment = enroll(cohort, input.personId, { id: uuidv7(), now });
  const outcome = await takeSeatAndEnroll(
    ctx.stores,
    ctx.events,
    cohort,
    enrollment,
    metaOf(ctx, now),
  );
  if (outcome === 'person-already-enrolled') throw alreadyEnrolled();
  return enrollment;
}
