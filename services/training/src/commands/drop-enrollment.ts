import { parseInput, runCommand } from '@conecta/service-kit';
import {
  dropEnrollment,
  dropInput,
  type Enrollment,
} from '../domain/enrollment';
import { assertRecordsProgress } from '../domain/permissions';
import type { Context } from '../context';
import { giveBackSeat } from './enrollment-saga';
import { metaOf } from './load';
import { loadInScope, saveProgress } from './progress';

const FIELD = 'input.enrollmentId';

/**
 * The cohort's provider (or a broker) records that a participant dropped
 * out. The drop is the fact (one write with its event); the seat follows
 * (enrollment-saga), and the reconciler gives back the seat of any DROPPED
 * enrollment still holding one (a crash between the two).
 */
export async function dropEnrollmentCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Enrollment> {
  const input = parseInput(dropInput, rawInput);
  const dropped = await runCommand(input, {
    load: (i) => loadInScope(ctx, i.enrollmentId, FIELD),
    authorize: (scope) => assertRecordsProgress(ctx.identity, scope.providerId),
    decide: ({ enrollment }, i) => {
      const now = new Date();
      const next = dropEnrollment(enrollment, i.reason, now);
      return {
        next,
        events: [ctx.events.enrollmentDropped(next, metaOf(ctx, now))],
      };
    },
    save: (scope, change) => saveProgress(ctx, scope, change, FIELD),
  });
  await giveBackSeat(ctx.stores, dropped);
  return dropped;
}
