import { authorizedBeforeLoad, runCommand } from '@conecta/service-kit';
import { requireAdmin } from '../domain/access';
import {
  approveEvaluationProcedure,
  type EvaluationProcedure,
} from '../domain/evaluation-procedure';
import type { Context } from '../context';
import { loadFresh, saveProcedure } from './load';

/** An admin approves a SUBMITTED version (NOT_ADMIN, whatever the id, for anyone else). */
export function approveProcedureCommand(
  ctx: Context,
  id: string,
): Promise<EvaluationProcedure> {
  const admin = requireAdmin(ctx.identity);
  return runCommand(id, {
    load: (i) => loadFresh(ctx.stores.procedures, i, 'EvaluationProcedure'),
    authorize: authorizedBeforeLoad,
    decide: (procedure) =>
      approveEvaluationProcedure(procedure, { admin, now: new Date() }),
    save: (before, next) => saveProcedure(ctx, before, next),
  });
}
