import { parseInput, runCommand } from '@conecta/service-kit';
import {
  examInput,
  recordVendorExam,
  type Enrollment,
} from '../domain/enrollment';
import { assertRecordsProgress } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf } from './load';
import { loadInScope, saveProgress } from './progress';

const FIELD = 'input.enrollmentId';

/** The cohort's provider (or a broker) records a participant's vendor exam result. */
export function recordVendorExamCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Enrollment> {
  const input = parseInput(examInput, rawInput);
  return runCommand(input, {
    load: (i) => loadInScope(ctx, i.enrollmentId, FIELD),
    authorize: (scope) => assertRecordsProgress(ctx.identity, scope.providerId),
    decide: ({ enrollment }, i) => {
      const next = recordVendorExam(enrollment, i.passed);
      const meta = metaOf(ctx, new Date());
      return { next, events: [ctx.events.vendorExamRecorded(next, meta)] };
    },
    save: (scope, change) => saveProgress(ctx, scope, change, FIELD),
  });
}
