import { createHmac } from 'node:crypto';
import { STATUS_LIST_SIZE } from './certificate';

// Status-list indexes for bulk imports without reading the used ones: an
// import reserves a range of positions on a counter (one round trip) and each
// position maps to an index through a keyed permutation of the list. Distinct
// positions give distinct indexes, so a batch never clashes with itself or
// with earlier imports; the order of indexes says nothing about the order of
// issue (herd privacy, as random draws gave) without the deployment's key.

// The list has 2^17 entries; the permutation works on 18 bits (two halves of
// 9) and walks the cycle until it lands inside the list.
const HALF_BITS = 9;
const HALF_MASK = (1 << HALF_BITS) - 1;
// Four Feistel rounds make a keyed pseudo-random permutation (Luby–Rackoff).
const ROUNDS = 4;

/** The round function as a table per key: ROUNDS × 2^9 HMACs once, not per index. */
function roundTable(key: string): Uint16Array {
  const table = new Uint16Array(ROUNDS << HALF_BITS);
  for (let r = 0; r < ROUNDS; r += 1)
    for (let half = 0; half <= HALF_MASK; half += 1)
      table[(r << HALF_BITS) | half] =
        createHmac('sha256', key)
          .update(`${r}:${half}`)
          .digest()
          .readUInt16BE(0) & HALF_MASK;
  return table;
}

// One deployment has one key; a tiny cache keeps tests with several keys cheap.
const tables = new Map<string, Uint16Array>();
function tableOf(key: string): Uint16Array {
  let table = tables.get(key);
  if (!table) {
    if (tables.size >= 8) tables.clear();
    table = roundTable(key);
    tables.set(key, table);
  }
  return table;
}

function feistel(table: Uint16Array, x: number): number {
  let left = x >> HALF_BITS;
  let right = x & HALF_MASK;
  for (let r = 0; r < ROUNDS; r += 1) {
    [left, right] = [right, left ^ table[(r << HALF_BITS) | right]!];
  }
  return (left << HALF_BITS) | right;
}

/**
 * The status-list index of reserved position `position` (0 ≤ position <
 * {@link STATUS_LIST_SIZE}) under the deployment's `key`: a bijection of the
 * list onto itself, so distinct positions never share an index.
 *
 * @throws RangeError when the position is outside the list
 */
export function statusListIndexAt(position: number, key: string): number {
  if (
    !Number.isInteger(position) ||
    position < 0 ||
    position >= STATUS_LIST_SIZE
  ) {
    throw new RangeError(`position ${position} is outside the status list`);
  }
  // Cycle walking: a permutation of 2^18 restricted to [0, 2^17) by
  // re-applying it until the value falls inside (on average twice).
  const table = tableOf(key);
  let index = feistel(table, position);
  while (index >= STATUS_LIST_SIZE) index = feistel(table, index);
  return index;
}
