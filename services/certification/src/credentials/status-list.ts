import { gunzipSync, gzipSync } from 'node:zlib';
import { STATUS_LIST_SIZE } from '../domain/certificate';

// W3C Bitstring Status List v1.0: the list is a bitstring of at least
// 131,072 entries of `statusSize` bits each; entry i is the bits
// [i × statusSize, i × statusSize + statusSize), bit 0 being the left-most
// (most significant) bit of the first byte, and its value those bits read
// big-endian. The bitstring is GZIP-compressed, then multibase-encoded as
// base64url without padding, prefixed with "u".

/** The bits of `size` entries of `statusSize` bits each, all 0. */
export function emptyStatusBits(
  statusSize: number,
  size = STATUS_LIST_SIZE,
): Uint8Array {
  if (!Number.isInteger(statusSize) || statusSize < 1 || statusSize > 8)
    throw new RangeError(`statusSize ${statusSize} is not 1 to 8`);
  return new Uint8Array(Math.ceil((size * statusSize) / 8));
}

function checkIndex(bits: Uint8Array, index: number, statusSize: number) {
  if (
    !Number.isInteger(index) ||
    index < 0 ||
    (index + 1) * statusSize > bits.length * 8
  )
    throw new RangeError(`statusListIndex ${index} is outside the list`);
}

/**
 * Writes `value` into entry `index` of a bitstring of `statusSize`-bit entries.
 *
 * @throws RangeError when the index is outside the list or the value does not fit in statusSize bits
 */
export function writeStatus(
  bits: Uint8Array,
  index: number,
  statusSize: number,
  value: number,
): void {
  checkIndex(bits, index, statusSize);
  if (!Number.isInteger(value) || value < 0 || value >= 1 << statusSize)
    throw new RangeError(`status ${value} does not fit in ${statusSize} bits`);
  for (let b = 0; b < statusSize; b += 1) {
    const at = index * statusSize + b;
    const mask = 0x80 >> (at & 7);
    // Bit b of the entry is bit (statusSize − 1 − b) of the value: big-endian.
    if ((value >> (statusSize - 1 - b)) & 1) bits[at >> 3]! |= mask;
    else bits[at >> 3]! &= ~mask;
  }
}

/**
 * The value of entry `index` of a bitstring of `statusSize`-bit entries.
 *
 * @throws RangeError when the index is outside the list
 */
export function readStatus(
  bits: Uint8Array,
  index: number,
  statusSize: number,
): number {
  checkIndex(bits, index, statusSize);
  let value = 0;
  for (let b = 0; b < statusSize; b += 1) {
    const at = index * statusSize + b;
    value = (value << 1) | ((bits[at >> 3]! >> (7 - (at & 7))) & 1);
  }
  return value;
}

/**
 * Encodes a list of {@link STATUS_LIST_SIZE} entries of `statusSize` bits
 * (default 1) where each `[index, value]` of `statuses` is set and every
 * other entry is 0.
 *
 * @throws RangeError for an index outside the list or a value that does not fit
 */
export function encodeStatuses(
  statuses: Iterable<readonly [number, number]>,
  statusSize = 1,
  size = STATUS_LIST_SIZE,
): string {
  const bits = emptyStatusBits(statusSize, size);
  for (const [index, value] of statuses)
    writeStatus(bits, index, statusSize, value);
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** Encodes the 1-bit list in which exactly the `set` indexes are set (those outside the list ignored). */
export function encodeStatusList(
  set: Iterable<number>,
  size = STATUS_LIST_SIZE,
): string {
  const inside: [number, number][] = [];
  for (const index of set)
    if (Number.isInteger(index) && index >= 0 && index < size)
      inside.push([index, 1]);
  return encodeStatuses(inside, 1, size);
}

/**
 * The bitstring of an encoded list.
 *
 * @throws Error when the list is not multibase base64url GZIP
 */
export function decodeStatusList(encodedList: string): Uint8Array {
  if (!encodedList.startsWith('u')) {
    throw new Error('encodedList must be multibase base64url (prefix "u")');
  }
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}

/**
 * The value of entry `index` in an encoded list of `statusSize`-bit entries.
 *
 * @throws Error when the list is not multibase base64url GZIP, or the index is outside it
 */
export function statusInList(
  encodedList: string,
  index: number,
  statusSize = 1,
): number {
  return readStatus(decodeStatusList(encodedList), index, statusSize);
}

/**
 * Whether bit `index` is set in an encoded 1-bit list.
 *
 * @throws Error when the list is not multibase base64url GZIP, or the index is outside it
 */
export function isSetInStatusList(encodedList: string, index: number): boolean {
  return statusInList(encodedList, index, 1) !== 0;
}
