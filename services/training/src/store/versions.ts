import { ConflictError } from '@conecta/service-kit/errors';

/**
 * Optimistic concurrency of the training aggregates: every document carries a
 * `version`, written as {@link FIRST_VERSION} by an insert and raised by one
 * in the same update that changes state and pushes its events; a save applies
 * only while the version is the one its command read.
 */
export const VERSION_FIELD = 'version';

/** The version a new document is inserted with. */
export const FIRST_VERSION = 1;

/**
 * The version a stored document was read at. Documents written before
 * versions existed have none: they count as version 0 (never written as such,
 * since inserts start at {@link FIRST_VERSION}).
 */
export function versionOf(doc: Record<string, unknown>): number {
  const version = doc[VERSION_FIELD];
  return typeof version === 'number' ? version : 0;
}

/**
 * The filter value that matches a document still at `read`: version 0 is a
 * document without the field, which `{ version: null }` matches (MongoDB and
 * FerretDB alike; the API tests prove it on the real server).
 */
export function versionFilter(read: number): number | null {
  return read === 0 ? null : read;
}

/** A save missed because another write changed the aggregate after it was read. */
export class VersionConflictError extends ConflictError {}
