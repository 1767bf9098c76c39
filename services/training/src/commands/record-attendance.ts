import { parseInput, runCommand } from '@conecta/service-kit';
import {
  attendanceInput,
  recordAttendance,
  type Enrollment,
} from '../domain/enrollment';
import { assertRecordsProgress } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf } from './load';
import { loadInScope, saveProgress } from './progress';

const FIELD = 'input.enrollmentId';

/** The cohort's provider (or a broker) records a participant's attendance, in percent. */
export function recordAttendanceCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Enrollment> {
  const input = parseInput(attendanceInput, rawInput);
  return runCommand(input, {
    load: (i) => loadInScope(ctx, i.enrollmentId, FIELD),
    authorize: (scope) => assertRecordsProgress(ctx.identity, scope.providerId),
    decide: ({ enrollment }, i) => {
      const next = recordAttendance(enrollment, i.attendancePercent);
      const meta = metaOf(ctx, new Date());
      return { next, events: [ctx.events.attendanceRecorded(next, meta)] };
    },
    save: (scope, change) => saveProgress(ctx, scope, change, FIELD),
  });
}
