import { z } from 'zod';
import { parseInput, runCommand } from '@conecta/service-kit';
import { issueVoucher, type Enrollment } from '../domain/enrollment';
import { assertRecordsProgress } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf } from './load';
import { loadInScope, saveProgress } from './progress';

const FIELD = 'enrollmentId';
const enrollmentIdArgs = z.object({ enrollmentId: z.uuid() });

/** The cohort's provider (or a broker) issues a participant the exam voucher the agreement includes. */
export function issueExamVoucherCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Enrollment> {
  const args = parseInput(enrollmentIdArgs, rawArgs, '');
  return runCommand(args, {
    load: (a) => loadInScope(ctx, a.enrollmentId, FIELD),
    authorize: (scope) => assertRecordsProgress(ctx.identity, scope.providerId),
    decide: ({ enrollment, agreement }) => {
      const now = new Date();
      const next = issueVoucher(enrollment, agreement, now);
      return {
        next,
        events: [ctx.events.voucherIssued(next, metaOf(ctx, now))],
      };
    },
    save: (scope, change) => saveProgress(ctx, scope, change, FIELD),
  });
}
