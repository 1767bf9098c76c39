import type DataLoader from 'dataloader';
import { NotFoundError } from '@conecta/service-kit';

/**
 * Loads an entity through its DataLoader.
 *
 * @throws NotFoundError (`<ENTITY>_NOT_FOUND`) when there is none
 */
export async function loadOrThrow<T>(
  loader: DataLoader<string, T | null>,
  id: string,
  entity: string,
): Promise<T> {
  const found = await loader.load(id);
  if (!found) throw new NotFoundError(entity, id);
  return found;
}
