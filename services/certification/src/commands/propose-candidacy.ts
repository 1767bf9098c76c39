import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { requireStaff } from '../domain/access';
import {
  personOfReference,
  proposeCandidacy,
  proposeCandidacyInput,
  type Candidacy,
} from '../domain/candidacy';
import type { Context } from '../context';
import { loadOrThrow, requireActiveAccreditation } from './load';

/**
 * A body's staff propose a candidacy of the person behind a reference their
 * organization was given. A new candidacy, PROPOSED, with its event, in one
 * insert (CONFLICT `CANDIDACY_EXISTS` for a second one of the body, person
 * and standard): no version to race, so no `runCommand`.
 */
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
