import { runCommand } from '@conecta/service-kit';
import { requireAdminOrCertifier } from '../domain/access';
import {
  submitEvaluationProcedure,
  type EvaluationProcedure,
} from '../domain/evaluation-procedure';
import type { Context } from '../context';
import { loadFresh, loadOrThrow, saveProcedure } from './load';

/** The body (a CERTIFIER) or an admin submits a DRAFT for review. */
export function submitProcedureCommand(
  ctx: Context,
  id: string,
): Promise<EvaluationProcedure> {
  return runCommand(id, {
    load: async (i) => {
      const procedure = await loadFresh(
        ctx.stores.procedures,
        i,
        'EvaluationProcedure',
      );
      const body = await loadOrThrow(
        ctx.loaders.body,
        procedure.certifyingBodyId,
        'CertifyingBody',
      );
      return { procedure, body };
    },
    authorize: ({ body }) => requireAdminOrCertifier(ctx.identity, body),
    decide: ({ procedure }) => submitEvaluationProcedure(procedure, new Date()),
    save: ({ procedure }, next) => saveProcedure(ctx, procedure, next),
  });
}
