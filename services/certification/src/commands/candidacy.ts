import { v7 as uuidv7 } from 'uuid';
import { requireActiveScope } from '../domain/accreditation';
import { parseInput } from '@conecta/service-kit';
import { requireAdmin, requireCandidate, requireStaff } from '../domain/access';
import {
  acceptCandidacy,
  declineCandidacy,
  personOfReference,
  proposeCandidacy,
  proposeCandidacyInput,
  registerCandidacy,
  registerCandidacyInput,
  type Candidacy,
} from '../domain/candidacy';
import type { Context } from '../context';
import { loadOrThrow } from '../resolvers/load';

// Candidacies: load → authorize → decide → save with events (one document write).

/**
 * A candidacy is the relationship of the body that will evaluate: its
 * accreditation must be ACTIVE and allow EVALUATION (a certification-only
 * body evaluates no one).
 *
 * @throws ConflictError ACCREDITATION_NOT_ACTIVE or NOT_ACCREDITED_FOR_EVALUATION on input.standardId
 */
async function requireActiveAccreditation(
  ctx: Context,
  certifyingBodyId: string,
  standardId: string,
): Promise<void> {
  requireActiveScope(
    await ctx.stores.accreditations.findFor(certifyingBodyId, standardId),
    'EVALUATION',
    'input.standardId',
  );
}

/** A body's staff propose a candidacy of the person behind a reference their organization was given. */
export async function proposeCandidacyCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Candidacy> {
  const input = parseInput(proposeCandidacyInput, rawInput);
  const body = await loadOrThrow(
    ctx.loaders.body,
    input.certifyingBodyId,
    'CertifyingBody',
  );
  const proposedBy = requireStaff(ctx.identity, body);
  const personId = personOfReference(
    await ctx.stores.personReferences.findById(input.personReference),
    body,
  );
  await requireActiveAccreditation(ctx, body.id, input.standardId);
  const candidacy = proposeCandidacy(
    { personId, certifyingBodyId: body.id, standardId: input.standardId },
    { id: uuidv7(), now: new Date(), proposedBy },
  );
  await ctx.stores.candidacies.insert(candidacy, [
    ctx.events.candidacyChanged(candidacy, { traceId: ctx.requestId }),
  ]);
  return candidacy;
}

/** An admin registers a candidacy, ACCEPTED at once. */
export async function registerCandidacyCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Candidacy> {
  const admin = requireAdmin(ctx.identity);
  const input = parseInput(registerCandidacyInput, rawInput);
  const [body] = await Promise.all([
    loadOrThrow(ctx.loaders.body, input.certifyingBodyId, 'CertifyingBody'),
    loadOrThrow(ctx.loaders.person, input.personId, 'Person'),
  ]);
  await requireActiveAccreditation(ctx, body.id, input.standardId);
  const candidacy = registerCandidacy(input, {
    id: uuidv7(),
    now: new Date(),
    admin,
  });
  await ctx.stores.candidacies.insert(candidacy, [
    ctx.events.candidacyChanged(candidacy, { traceId: ctx.requestId }),
  ]);
  return candidacy;
}

/** The person answers a PROPOSED candidacy: accept or decline. */
export async function answerCandidacyCommand(
  ctx: Context,
  id: string,
  answer: 'ACCEPT' | 'DECLINE',
): Promise<Candidacy> {
  const current = await loadOrThrow(ctx.loaders.candidacy, id, 'Candidacy');
  requireCandidate(ctx.identity, current);
  const now = new Date();
  const next =
    answer === 'ACCEPT'
      ? acceptCandidacy(current, now)
      : declineCandidacy(current, now);
  await ctx.stores.candidacies.transition(next, current.status, [
    ctx.events.candidacyChanged(next, { traceId: ctx.requestId }),
  ]);
  return next;
}
