import { gunzipSync, gzipSync } from 'node:zlib';
import { STATUS_LIST_SIZE } from '../domain/certificate';

// W3C Bitstring Status List v1.0: the list is a bitstring where index 0 is the
// left-most (most significant) bit of the first byte, GZIP-compressed, then
// multibase-encoded as base64url without padding, prefixed with "u".

/** Encodes the list in which exactly the `revoked` indexes are set. */
export function encodeStatusList(
  revoked: Iterable<number>,
  size = STATUS_LIST_SIZE,
): string {
  const bytes = Buffer.alloc(size / 8);
  for (const index of revoked) {
    if (!Number.isInteger(index) || index < 0 || index >= size) continue;
    bytes[index >> 3]! |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/**
 * Whether bit `index` is set in an encoded list.
 *
 * @throws Error when the list is not multibase base64url GZIP, or the index is outside it
 */
export function isSetInStatusList(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) {
    throw new Error('encodedList must be multibase base64url (prefix "u")');
  }
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if (!Number.isInteger(index) || index < 0 || index >= bytes.length * 8) {
    throw new Error(`statusListIndex ${index} is outside the list`);
  }
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
