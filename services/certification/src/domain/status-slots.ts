import { createHmac } from 'node:crypto';
import { STATUS_LIST_SIZE } from './certificate';

// Status-list entries without reading the used ones: every certificate, live
// or imported, takes the next position(s) of one counter (one round trip for a
// whole batch). Position p is in list 1 + ⌊p / STATUS_LIST_SIZE⌋, and its
// index there comes from a keyed permutation of the list. Distinct positions
// give distinct entries, so no certificate clashes with another one placed
// this way; the order of indexes says nothing about the order of issue (herd
// privacy, as random draws gave) without the deployment's key.

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
 * The index of offset `position` inside one list (0 ≤ position <
 * {@link STATUS_LIST_SIZE}) under that list's `key`: a bijection of the list
 * onto itself, so distinct offsets never share an index.
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

/** Where a certificate's revocation bit is: which list, which bit in it. */
export interface StatusListEntry {
  /** 1, 2, …: the list (W3C Bitstring Status List) the certificate is in. */
  statusList: number;
  /** Its bit in that list, 0 ≤ index < {@link STATUS_LIST_SIZE}. */
  statusListIndex: number;
}

/**
 * The first list. Certificates stored before lists were numbered (no
 * `statusList` field) are in it: their indexes were drawn at random in it or
 * taken from its first positions.
 */
export const FIRST_STATUS_LIST = 1;

/** The list global position `position` falls in: 1 + ⌊position / STATUS_LIST_SIZE⌋. */
export function statusListOf(position: number): number {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`position ${position} is not a status-list position`);
  }
  return FIRST_STATUS_LIST + Math.floor(position / STATUS_LIST_SIZE);
}

/**
 * The permutation key of one list: the deployment's key with the list number,
 * so lists do not share a pattern. List 1 keeps the bare key: positions
 * reserved before lists were numbered used it, and keeping it means the
 * positions still to come in list 1 map to indexes those never took.
 */
function listKey(key: string, list: number): string {
  return list === FIRST_STATUS_LIST ? key : `${key}:list-${list}`;
}

/**
 * The entry of global position `position` (0, 1, 2, … on the one counter)
 * under the deployment's `key`: list 1 + ⌊position / STATUS_LIST_SIZE⌋, and in
 * it the index of `position mod STATUS_LIST_SIZE` through that list's
 * permutation. Distinct positions never share an entry.
 *
 * @throws RangeError when the position is negative or not an integer
 */
export function statusEntryAt(position: number, key: string): StatusListEntry {
  const statusList = statusListOf(position);
  return {
    statusList,
    statusListIndex: statusListIndexAt(
      position % STATUS_LIST_SIZE,
      listKey(key, statusList),
    ),
  };
}

/** The entries of a reserved range of positions [start, start + count), in order; it may span lists. */
export function statusEntriesOf(slots: {
  start: number;
  count: number;
  key: string;
}): StatusListEntry[] {
  return Array.from({ length: slots.count }, (_, i) =>
    statusEntryAt(slots.start + i, slots.key),
  );
}

/**
 * How many lists are in use once `reserved` positions have been handed out:
 * the list of the last one, and at least list 1 (which holds the certificates
 * stored before the counter served live issuance too).
 */
export function statusListsInUse(reserved: number): number {
  return reserved > 0 ? statusListOf(reserved - 1) : FIRST_STATUS_LIST;
}

/** A list id as the API and credentials name it ("1", "2", …), or null when it names no list. */
export function parseStatusListId(id: string): number | null {
  // Up to 9 digits: far beyond any registry, and always a safe integer.
  return /^[1-9][0-9]{0,8}$/.test(id) ? Number(id) : null;
}

/**
 * What a status list says about its entries (W3C Bitstring Status List
 * `statusPurpose`): revoked for good, suspended until reinstated (one bit
 * each: the lists older credentials name), or `message`, one 2-bit status
 * per entry (valid, suspended, revoked: what credentials name since Open
 * Badges 3.0 conformance; README: Suspension).
 */
export type StatusPurpose = 'revocation' | 'suspension' | 'message';

/** Every purpose: `message` for credentials exported now, the other two for those exported before. */
export const STATUS_PURPOSES: readonly StatusPurpose[] = [
  'revocation',
  'suspension',
  'message',
];

/**
 * Bits per entry in a list of `purpose` (W3C `statusSize`): 2 for the
 * message list (three statuses need two bits), 1 for the others.
 */
export function statusSizeOf(purpose: StatusPurpose): 1 | 2 {
  return purpose === 'message' ? 2 : 1;
}

/**
 * The statuses of a message list entry, their values the bits of the entry
 * read as a big-endian number. Unset entries read 0: valid.
 */
export const MESSAGE_STATUS = { valid: 0, suspended: 1, revoked: 2 } as const;

/** What one message entry says; `unknown` for a value no status message names (3). */
export type MessageStatus = keyof typeof MESSAGE_STATUS | 'unknown';

/**
 * The entry's `statusMessage` (W3C Bitstring Status List §2.1: required when
 * `statusSize` > 1, one per value named): each value in hexadecimal with its
 * message, in value order. 0x3 is not used.
 */
export const STATUS_MESSAGES: readonly { status: string; message: string }[] = [
  { status: '0x0', message: 'valid' },
  { status: '0x1', message: 'suspended' },
  { status: '0x2', message: 'revoked' },
];

/** The status a message entry's value names ("unknown" for 3 or anything else). */
export function messageStatusOf(value: number): MessageStatus {
  switch (value) {
    case MESSAGE_STATUS.valid:
      return 'valid';
    case MESSAGE_STATUS.suspended:
      return 'suspended';
    case MESSAGE_STATUS.revoked:
      return 'revoked';
    default:
      return 'unknown';
  }
}

/**
 * The set entries of one message list: index → value, from the indexes
 * of that list's revoked and suspended certificates. Revoked wins: a
 * certificate in both (a revocation ends a suspension, so only a record
 * written half-way could be) reads revoked, the final status.
 */
export function messageStatuses(
  revoked: Iterable<number>,
  suspended: Iterable<number>,
): Map<number, number> {
  const statuses = new Map<number, number>();
  for (const index of suspended) statuses.set(index, MESSAGE_STATUS.suspended);
  for (const index of revoked) statuses.set(index, MESSAGE_STATUS.revoked);
  return statuses;
}

/**
 * One list of one purpose: revocation lists "1", "2", …; suspension lists
 * "suspension-1", …; message lists "status-1", …
 */
export interface StatusListRef {
  purpose: StatusPurpose;
  list: number;
}

// Revocation lists keep their bare numbers (credentials already name them).
const PREFIXES: readonly [Exclude<StatusPurpose, 'revocation'>, string][] = [
  ['suspension', 'suspension-'],
  ['message', 'status-'],
];

/** The id of a list as URLs and the API name it. */
export function statusListRefId({ purpose, list }: StatusListRef): string {
  const prefix = PREFIXES.find(([p]) => p === purpose)?.[1] ?? '';
  return `${prefix}${list}`;
}

/** The list an id names ("3", "suspension-3", "status-3"), or null when it names none. */
export function parseStatusListRef(id: string): StatusListRef | null {
  for (const [purpose, prefix] of PREFIXES) {
    if (!id.startsWith(prefix)) continue;
    const list = parseStatusListId(id.slice(prefix.length));
    return list === null ? null : { purpose, list };
  }
  const list = parseStatusListId(id);
  return list === null ? null : { purpose: 'revocation', list };
}

/**
 * A certificate's suspension entry, derived from its revocation entry: the
 * suspension list of the same number, at the index a keyed permutation of
 * that suspension list gives the revocation index. Revocation entries are
 * unique and the permutation is a bijection of the list, so suspension
 * entries are unique too, with no reservation, no stored field and no
 * migration (certificates stored before suspension existed, those without a
 * numbered list included, have one at once). Its own key per list, so the
 * two indexes of one credential do not share a pattern; without the
 * deployment's key neither says anything about the other. Credentials
 * exported now name their message entry instead; the suspension lists stay
 * served (built through this) for the credentials exported before, which
 * name them.
 *
 * @throws RangeError when the revocation index is outside the list
 */
export function suspensionEntryOf(
  revocation: StatusListEntry,
  key: string,
): StatusListEntry {
  return {
    statusList: revocation.statusList,
    statusListIndex: statusListIndexAt(
      revocation.statusListIndex,
      `${key}:suspension:list-${revocation.statusList}`,
    ),
  };
}
