import { runCommand } from '@conecta/service-kit';
import { requireCandidate } from '../domain/access';
import {
  acceptCandidacy,
  declineCandidacy,
  type Candidacy,
} from '../domain/candidacy';
import type { Context } from '../context';
import { loadFresh, saveCandidacy } from './load';

/** The person answers a PROPOSED candidacy: accept or decline. */
export function answerCandidacyCommand(
  ctx: Context,
  id: string,
  answer: 'ACCEPT' | 'DECLINE',
): Promise<Candidacy> {
  return runCommand(id, {
    load: (i) => loadFresh(ctx.stores.candidacies, i, 'Candidacy'),
    authorize: (candidacy) => requireCandidate(ctx.identity, candidacy),
    decide: (candidacy) =>
      answer === 'ACCEPT'
        ? acceptCandidacy(candidacy, new Date())
        : declineCandidacy(candidacy, new Date()),
    save: (before, next) => saveCandidacy(ctx, before, next),
  });
}
