import { runCommand } from '@conecta/service-kit';
import { supersedeStandard, type CompetencyStandard } from '../domain/standard';
import type { EventMeta } from '../events';
import type { Context } from '../context';
import { saveChange, type StandardChange } from './load';

/**
 * Publishing a revision supersedes the version it revises. The two versions
 * are two documents and FerretDB has no transactions, so this is a second
 * write after the publication. The publish command makes it at once; if that
 * fails or the process dies in between, the revision's own StandardPublished
 * event (written with the publication, so never lost) makes it again through
 * the supersession follow-up (`events/supersession.ts`). Idempotent: a
 * version no longer PUBLISHED is left alone.
 *
 * @returns the superseded version, or null if there was nothing to supersede
 */
export function supersedePreviousCommand(
  deps: Pick<Context, 'stores' | 'events'>,
  revision: Pick<CompetencyStandard, 'id' | 'revisionOf'>,
  meta: EventMeta,
): Promise<CompetencyStandard | null> {
  const { revisionOf } = revision;
  if (!revisionOf) return Promise.resolve(null);
  return runCommand(revisionOf, {
    load: async (id) => (await deps.stores.standards.findByIds([id]))[0],
    // No caller: the follow-up of a publication this service recorded.
    authorize: () => undefined,
    decide: (previous): StandardChange | null => {
      if (!previous || previous.status !== 'PUBLISHED') return null;
      const next = supersedeStandard(previous, revision.id, new Date());
      return { next, events: [deps.events.superseded(next, meta)] };
    },
    save: async (previous, change) =>
      previous && change ? saveChange(deps, previous, change) : null,
  });
}
