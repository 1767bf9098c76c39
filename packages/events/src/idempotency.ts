import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { isDuplicateKeyError } from './outbox';

/** Array field, in each read-model document, of the ids of events already applied to it. */
export const APPLIED_EVENT_IDS_FIELD = 'appliedEventIds';

/** Options of {@link applyOnce}. */
export interface ApplyOnceOptions {
  /** Create the document when the filter matches none; default false. */
  upsert?: boolean;
  /**
   * How many applied ids a document remembers (`$push` with `$slice`); default 1_000.
   * Redeliveries come soon after the original (a rebalance, a crash before commit),
   * so a document that received 1_000 newer events will not see an old one again.
   */
  keep?: number;
}

/**
 * Applies `update` to the document matched by `filter` only if `eventId` has not
 * been applied to it yet, in ONE single-document update: the filter gains
 * `{ appliedEventIds: { $ne: eventId } }` and the update pushes the id. The
 * effect and its "done" mark are atomic, so a crash leaves either both or
 * neither, and a redelivered event matches nothing.
 *
 * With `upsert`, `filter` must select by a unique key (normally `_id`): that is
 * what turns a second delivery into a duplicate-key "already applied".
 *
 * @returns `true` when applied now, `false` when it had already been applied
 *   (or, without upsert, when no document matches `filter`).
 */
export async function applyOnce<TSchema extends Document>(
  collection: Collection<TSchema>,
  filter: Filter<TSchema>,
  update: UpdateFilter<TSchema>,
  eventId: string,
  options: ApplyOnceOptions = {},
): Promise<boolean> {
  if (Array.isArray(update)) {
    throw new Error('applyOnce: pipeline updates are not supported');
  }
  const source = update as Record<string, unknown>;
  const push = {
    ...((source.$push as Record<string, unknown> | undefined) ?? {}),
  };
  if (APPLIED_EVENT_IDS_FIELD in push) {
    throw new Error(
      `applyOnce: the update already pushes to ${APPLIED_EVENT_IDS_FIELD}`,
    );
  }
  const keep = options.keep ?? 1_000;
  push[APPLIED_EVENT_IDS_FIELD] = { $each: [eventId], $slice: -keep };
  if (APPLIED_EVENT_IDS_FIELD in filter) {
    throw new Error(
      `applyOnce: the filter already constrains ${APPLIED_EVENT_IDS_FIELD}`,
    );
  }
  // Spread, not $and: an upsert copies the filter's top-level equalities into the new document.
  const guarded = {
    ...filter,
    [APPLIED_EVENT_IDS_FIELD]: { $ne: eventId },
  } as Filter<TSchema>;
  try {
    const result = await collection.updateOne(
      guarded,
      { ...source, $push: push } as UpdateFilter<TSchema>,
      { upsert: options.upsert ?? false },
    );
    const applied = result.modifiedCount + result.upsertedCount > 0;
    // A document the upsert just created holds one id: nothing to trim (most
    // projection events create their document: one round trip, not two).
    if (result.modifiedCount > 0) {
      // FerretDB accepts $slice in $push but ignores it; trimming the oldest id
      // separately keeps the list bounded there (on MongoDB this matches nothing).
      // Not atomic with the effect, and need not be: it only forgets old ids.
      await collection.updateOne(
        {
          ...filter,
          [`${APPLIED_EVENT_IDS_FIELD}.${keep}`]: { $exists: true },
        } as Filter<TSchema>,
        {
          $pop: { [APPLIED_EVENT_IDS_FIELD]: -1 },
        } as unknown as UpdateFilter<TSchema>,
      );
    }
    return applied;
  } catch (error) {
    // Upsert of an already-applied event: the guard hid the existing document, so
    // the upsert tried to insert its _id again. That is the "already applied" case.
    if (options.upsert && isDuplicateKeyError(error)) return false;
    throw error;
  }
}
