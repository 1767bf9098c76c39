import { InvalidInputError } from '@conecta/service-kit/errors';

// Cursors are opaque to clients (base64url of the last id), so the ordering key can
// change without breaking them.
const PREFIX = 'id:';

export function encodeCursor(id: string): string {
  return Buffer.from(PREFIX + id).toString('base64url');
}

export function decodeCursor(cursor: string, field: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(PREFIX))
    throw new InvalidInputError(field, 'is not a cursor returned by this API');
  return decoded.slice(PREFIX.length);
}
