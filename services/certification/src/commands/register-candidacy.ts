import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { requireAdmin } from '../domain/access';
import {
  registerCandidacy,
  registerCandidacyInput,
  type Candidacy,
} from '../domain/candidacy';
import type { Context } from '../context';
import { loadOrThrow, requireActiveAccreditation } from './load';

/**
 * An admin registers a candidacy, ACCEPTED at once: a new candidacy with its
 * event, in one insert (CONFLICT `CANDIDACY_EXISTS`), so no `runCommand`.
 */
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
