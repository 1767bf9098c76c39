import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { requireAdmin } from '../domain/access';
import {
  rejectEvaluationProcedure,
  rejectionInput,
  type EvaluationProcedure,
} from '../domain/evaluation-procedure';
import type { Context } from '../context';
import { loadFresh, saveProcedure } from './load';

/** An admin rejects a SUBMITTED version, with a reason (NOT_ADMIN, whatever the id, for anyone else). */
export function rejectProcedureCommand(
  ctx: Context,
  args: { id: string; reason: string },
): Promise<EvaluationProcedure> {
  const admin = requireAdmin(ctx.identity);
  const { reason } = parseInput(rejectionInput, args, '');
  return runCommand(args.id, {
    load: (id) => loadFresh(ctx.stores.procedures, id, 'EvaluationProcedure'),
    authorize: authorizedBeforeLoad,
    decide: (procedure) =>
      rejectEvaluationProcedure(procedure, {
        admin,
        now: new Date(),
        reason,
      }),
    save: (before, next) => saveProcedure(ctx, before, next),
  });
}
