import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { requireAdmin, requireAdminOrCertifier } from '../domain/access';
import {
  approveEvaluationProcedure,
  draftEvaluationProcedure,
  draftEvaluationProcedureInput,
  latestVersion,
  rejectEvaluationProcedure,
  rejectionInput,
  submitEvaluationProcedure,
  type EvaluationProcedure,
} from '../domain/evaluation-procedure';
import type { Context } from '../context';
import { loadOrThrow } from '../resolvers/load';

// Safeguard 2: a body's evaluation procedure, versioned, approved by admins.
// load → authorize → decide → save with events (one document write).

/** An admin or a CERTIFIER of the body drafts the next version. */
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
  // Two drafts at once take the same version: the unique key refuses one
  // (CONCURRENT_MODIFICATION), never a gap or a duplicate.
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

/** Applies a transition, conditional on the status it was read in, with its event. */
async function transition(
  ctx: Context,
  id: string,
  authorize: (procedure: EvaluationProcedure) => Promise<void> | void,
  decide: (procedure: EvaluationProcedure) => EvaluationProcedure,
): Promise<EvaluationProcedure> {
  const current = await loadOrThrow(
    ctx.loaders.procedure,
    id,
    'EvaluationProcedure',
  );
  await authorize(current);
  const next = decide(current);
  await ctx.stores.procedures.transition(
    next,
    current.status,
    ctx.events.procedureChanged(next, { traceId: ctx.requestId }),
  );
  return next;
}

/** The body (a CERTIFIER) or an admin submits a DRAFT for review. */
export const submitProcedureCommand = (ctx: Context, id: string) =>
  transition(
    ctx,
    id,
    async (p) =>
      requireAdminOrCertifier(
        ctx.identity,
        await loadOrThrow(
          ctx.loaders.body,
          p.certifyingBodyId,
          'CertifyingBody',
        ),
      ),
    (p) => submitEvaluationProcedure(p, new Date()),
  );

/** An admin approves a SUBMITTED version. */
export function approveProcedureCommand(ctx: Context, id: string) {
  const admin = requireAdmin(ctx.identity);
  return transition(
    ctx,
    id,
    () => undefined,
    (p) => approveEvaluationProcedure(p, { admin, now: new Date() }),
  );
}

/** An admin rejects a SUBMITTED version, with a reason. */
export function rejectProcedureCommand(
  ctx: Context,
  args: { id: string; reason: string },
) {
  const admin = requireAdmin(ctx.identity);
  const { reason } = parseInput(rejectionInput, args, '');
  return transition(
    ctx,
    args.id,
    () => undefined,
    (p) => rejectEvaluationProcedure(p, { admin, now: new Date(), reason }),
  );
}
