import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { requireAdminOrCertifier } from '../domain/access';
import {
  draftEvaluationProcedure,
  draftEvaluationProcedureInput,
  latestVersion,
  type EvaluationProcedure,
} from '../domain/evaluation-procedure';
import type { Context } from '../context';
import { loadOrThrow } from './load';

/**
 * An admin or a CERTIFIER of the body drafts the next version of its
 * evaluation procedure (safeguard 2): a new document, DRAFT, with its event,
 * in one insert. Two drafts at once take the same version: the unique key
 * refuses one (CONFLICT `CONCURRENT_MODIFICATION`), never a gap or a
 * duplicate. An insert, as every creation: no `runCommand`.
 */
export async function draftProcedureCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<EvaluationProcedure> {
  const input = parseInput(draftEvaluationProcedureInput, rawInput);
  const body = await loadOrThrow(
    ctx.loaders.body,
    input.certifyingBodyId,
    'CertifyingBody',
  );
  requireAdminOrCertifier(ctx.identity, body);
  const procedure = draftEvaluationProcedure(input, {
    id: uuidv7(),
    now: new Date(),
    draftedBy: ctx.identity.subject ?? '(no subject)',
    latestVersion: latestVersion(
      await ctx.stores.procedures.findByBodyIds([body.id]),
    ),
  });
  await ctx.stores.procedures.insert(
    procedure,
    ctx.events.procedureChanged(procedure, { traceId: ctx.requestId }),
  );
  return procedure;
}
