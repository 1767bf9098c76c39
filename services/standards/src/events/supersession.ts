import type { Logger } from '@conecta/service-kit';
import { supersedeStandard } from '../domain/standard';
import type { CompetencyStandard } from '../domain/standard';
import type { Stores } from '../store';
import type { StandardsEvents } from './index';

/**
 * Publishing a revision supersedes the version it revises. The two versions
 * are two documents and FerretDB has no transactions, so this is a second
 * write after the publication: the revision (PUBLISHED, its event naming
 * `supersedes`) is written first, then the previous version becomes
 * SUPERSEDED with its own event. If the process dies in between,
 * {@link repairSupersessions} finishes the job at the next start.
 *
 * @returns the superseded version, or null if it was no longer PUBLISHED
 */
export async function supersedePrevious(
  { stores, events }: { stores: Stores; events: StandardsEvents },
  revision: CompetencyStandard,
  meta: { traceId?: string },
): Promise<CompetencyStandard | null> {
  if (!revision.revisionOf) return null;
  const [previous] = await stores.standards.findByIds([revision.revisionOf]);
  if (!previous || previous.status !== 'PUBLISHED') return null;
  const superseded = supersedeStandard(previous, revision.id, new Date());
  await stores.standards.save(previous, superseded, [
    events.superseded(superseded, meta),
  ]);
  return superseded;
}

/** Supersedes every version left PUBLISHED by a publish interrupted half-way (run at start). */
export async function repairSupersessions(
  deps: { stores: Stores; events: StandardsEvents },
  logger: Logger,
): Promise<void> {
  for (const revision of await deps.stores.standards.findUnsupersededRevisions()) {
    const superseded = await supersedePrevious(deps, revision, {});
    if (superseded)
      logger.warn(
        { standardId: superseded.id, supersededBy: revision.id },
        'superseded a version left PUBLISHED by an interrupted publication',
      );
  }
}
