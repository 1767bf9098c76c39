import { z } from 'zod';
import { parseInput, runCommand } from '@conecta/service-kit';
import { useVoucher, type Enrollment } from '../domain/enrollment';
import { assertRecordsProgress } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf } from './load';
import { loadInScope, saveProgress } from './progress';

const FIELD = 'enrollmentId';
const enrollmentIdArgs = z.object({ enrollmentId: z.uuid() });

/** The cohort's provider (or a broker) records that a participant used the exam voucher. */
export function useExamVoucherCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Enrollment> {
  const args = parseInput(enrollmentIdArgs, rawArgs, '');
  return runCommand(args, {
    load: (a) => loadInScope(ctx, a.enrollmentId, FIELD),
    authorize: (scope) => assertRecordsProgress(ctx.identity, scope.providerId),
    decide: ({ enrollment }) => {
      const now = new Date();
      const next = useVoucher(enrollment, now);
      return { next, events: [ctx.events.voucherUsed(next, metaOf(ctx, now))] };
    },
    save: (scope, change) => saveProgress(ctx, scope, change, FIELD),
  });
}
