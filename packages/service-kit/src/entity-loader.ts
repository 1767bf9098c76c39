import DataLoader from 'dataloader';

/** Options for {@link createEntityLoader}, passed to DataLoader. */
export interface EntityLoaderOptions {
  /** Largest batch per query; defaults to unlimited. */
  maxBatchSize?: number;
}

/**
 * A DataLoader over `fetchMany` that returns entities in key order, with `null`
 * for ids that do not exist. All loads issued in one tick become one call to
 * `fetchMany`, so resolving N references costs one query, not N.
 *
 * Create one per request (in the context factory): DataLoader caches, and a
 * cache shared across requests would leak data between callers.
 *
 * @param fetchMany loads the entities whose key is in `ids`, in any order
 * @param keyOf     the key of a loaded entity; defaults to `entity.id`
 */
export function createEntityLoader<T extends { id: string }>(
  fetchMany: (ids: readonly string[]) => Promise<T[]>,
  keyOf?: (entity: T) => string,
  options?: EntityLoaderOptions,
): DataLoader<string, T | null>;
export function createEntityLoader<T>(
  fetchMany: (ids: readonly string[]) => Promise<T[]>,
  keyOf: (entity: T) => string,
  options?: EntityLoaderOptions,
): DataLoader<string, T | null>;
export function createEntityLoader<T>(
  fetchMany: (ids: readonly string[]) => Promise<T[]>,
  keyOf: (entity: T) => string = (entity) => (entity as { id: string }).id,
  options: EntityLoaderOptions = {},
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const found = await fetchMany(ids);
      const byKey = new Map(found.map((entity) => [keyOf(entity), entity]));
      return ids.map((id) => byKey.get(id) ?? null);
    },
    options.maxBatchSize === undefined
      ? {}
      : { maxBatchSize: options.maxBatchSize },
  );
}
