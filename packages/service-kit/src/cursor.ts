import { entityId } from '@conecta/events/contracts';
import { InvalidInputError } from './errors';

// Cursors of lists ordered by id (UUID v7: creation order) are opaque to
// clients, base64url of the last id, so the ordering key can change without
// breaking them.
const PREFIX = 'id:';

/** The cursor after the item `id`. */
export function encodeCursor(id: string): string {
  return Buffer.from(PREFIX + id).toString('base64url');
}

/** The id inside a cursor, or BAD_USER_INPUT `INVALID_CURSOR` naming `field`. */
export function decodeCursor(cursor: string, field: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith(PREFIX) ? decoded.slice(PREFIX.length) : '';
  if (!entityId.safeParse(id).success)
    throw new InvalidInputError(
      field,
      'is not a cursor returned by this API',
      'INVALID_CURSOR',
    );
  return id;
}
