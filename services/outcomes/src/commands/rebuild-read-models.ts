import { requireRole } from '@conecta/service-kit';
import { CAN_REBUILD_READ_MODELS } from '../domain/permissions';
import type { Context } from '../context';

/**
 * An admin starts a new generation of the read models (README: Rebuild):
 * the feed replays every topic from its beginning and switches queries once
 * caught up; refused with nothing started (CONFLICT `HISTORY_TRUNCATED`)
 * when a topic no longer holds its beginning. Returns once it has started.
 */
export async function rebuildReadModelsCommand({
  identity,
  feed,
}: Context): Promise<void> {
  requireRole(identity, ...CAN_REBUILD_READ_MODELS);
  await feed.rebuild();
}
