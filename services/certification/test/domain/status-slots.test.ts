import { STATUS_LIST_SIZE } from '../../src/domain/certificate';
import {
  parseStatusListId,
  parseStatusListRef,
  statusListRefId,
  suspensionEntryOf,
  statusEntriesOf,
  statusEntryAt,
  statusListIndexAt,
  statusListOf,
  statusListsInUse,
} from '../../src/domain/status-slots';

const SIZE = STATUS_LIST_SIZE;
const KEY = 'deployment-key';
const indexesOf = (start: number, count: number, key = KEY) =>
  statusEntriesOf({ start, count, key }).map((e) => e.statusListIndex);

describe('status-list entries of reserved positions', () => {
  it('gives every reserved position its own index inside the list, in no guessable order', () => {
    const first = indexesOf(0, 2_000, 'k1');
    const next = indexesOf(2_000, 2_000, 'k1');
    const all = [...first, ...next];
    expect(new Set(all).size).toBe(4_000);
    expect(all.every((i) => i >= 0 && i < SIZE)).toBe(true);
    // Issue order must not show: consecutive positions are not consecutive indexes.
    const ascending = first.filter((v, i) => i > 0 && v > first[i - 1]!);
    expect(ascending.length).toBeGreaterThan(800);
    expect(ascending.length).toBeLessThan(1_200);
    // Another deployment's key, another order.
    expect(indexesOf(0, 10, 'k2')).not.toEqual(first.slice(0, 10));
  });

  it('uses every entry of list 1 exactly once', () => {
    expect(new Set(indexesOf(0, SIZE, 'k')).size).toBe(SIZE);
  });

  it('puts positions across a list boundary in the right list', () => {
    const lists = [SIZE - 1, SIZE, SIZE + 1, 3 * SIZE + 7].map(
      (p) => statusEntryAt(p, KEY).statusList,
    );
    expect(lists).toEqual([1, 2, 2, 4]);
    expect(
      [0, 1, SIZE - 1, SIZE, 2 * SIZE - 1, 2 * SIZE].map(statusListOf),
    ).toEqual([1, 1, 1, 2, 2, 3]);
    for (const p of [SIZE - 1, SIZE, SIZE + 1, 3 * SIZE + 7]) {
      const { statusListIndex } = statusEntryAt(p, KEY);
      expect(Number.isInteger(statusListIndex)).toBe(true);
      expect(statusListIndex).toBeGreaterThanOrEqual(0);
      expect(statusListIndex).toBeLessThan(SIZE);
    }
  });

  it('maps a range that spans two lists position by position', () => {
    const entries = statusEntriesOf({ start: SIZE - 3, count: 6, key: KEY });
    expect(entries.map((e) => e.statusList)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(entries).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => statusEntryAt(SIZE - 3 + i, KEY)),
    );
  });

  it('uses every entry of list 2 exactly once, and of list 4 on a sample', () => {
    expect(new Set(indexesOf(SIZE, SIZE)).size).toBe(SIZE);
    const sample = indexesOf(3 * SIZE, 5_000);
    expect(new Set(sample).size).toBe(5_000);
  });

  it('gives each list its own pattern', () => {
    const list1 = indexesOf(0, 1_000);
    const list2 = indexesOf(SIZE, 1_000);
    const list3 = indexesOf(2 * SIZE, 1_000);
    const same = (a: number[], b: number[]) =>
      a.filter((v, i) => v === b[i]).length;
    // Independent permutations agree at a position with probability 1/SIZE.
    expect(same(list1, list2)).toBeLessThan(5);
    expect(same(list2, list3)).toBeLessThan(5);
  });

  it('keeps list 1 as it was, so positions reserved before lists were numbered keep their indexes', () => {
    for (const p of [0, 1, 777, SIZE - 1])
      expect(statusEntryAt(p, KEY)).toEqual({
        statusList: 1,
        statusListIndex: statusListIndexAt(p, KEY),
      });
  });

  it('refuses a position that is negative or not an integer', () => {
    expect(() => statusEntryAt(-1, KEY)).toThrow(RangeError);
    expect(() => statusEntryAt(1.5, KEY)).toThrow(RangeError);
    expect(() => statusListIndexAt(SIZE, KEY)).toThrow(RangeError);
  });
});

describe('the lists in use', () => {
  it('is list 1 until a position past it is reserved, then the list of the last one', () => {
    expect(
      [0, 1, SIZE, SIZE + 1, 2 * SIZE, 3 * SIZE + 8].map(statusListsInUse),
    ).toEqual([1, 1, 1, 2, 2, 4]);
  });

  it('reads list ids as the API and credentials write them, and nothing else', () => {
    expect(['1', '2', '17'].map(parseStatusListId)).toEqual([1, 2, 17]);
    for (const id of [
      '0',
      '-1',
      '01',
      '1.5',
      '1e3',
      ' 1',
      'abc',
      '',
      '1234567890',
    ])
      expect(parseStatusListId(id)).toBeNull();
  });

  it('names message and suspension lists apart from the revocation lists, which keep their bare numbers', () => {
    expect(parseStatusListRef('3')).toEqual({ purpose: 'revocation', list: 3 });
    expect(parseStatusListRef('suspension-3')).toEqual({
      purpose: 'suspension',
      list: 3,
    });
    expect(parseStatusListRef('status-3')).toEqual({
      purpose: 'message',
      list: 3,
    });
    for (const id of [
      'suspension-0',
      'suspension-',
      'status-0',
      'status-',
      'status-01',
      'message-1',
      'revocation-1',
      'x-1',
    ])
      expect(parseStatusListRef(id)).toBeNull();
    for (const ref of [
      { purpose: 'revocation', list: 7 },
      { purpose: 'suspension', list: 7 },
      { purpose: 'message', list: 7 },
    ] as const)
      expect(parseStatusListRef(statusListRefId(ref))).toEqual(ref);
    expect(statusListRefId({ purpose: 'message', list: 7 })).toBe('status-7');
  });
});

describe('suspension entries', () => {
  it('give each certificate its own index in the suspension list of its number: every entry once, in another order', () => {
    const indexes = Array.from({ length: SIZE }, (_, i) => i);
    const suspension = indexes.map(
      (i) =>
        suspensionEntryOf({ statusList: 2, statusListIndex: i }, KEY)
          .statusListIndex,
    );
    expect(new Set(suspension).size).toBe(SIZE);
    expect(suspension.every((i) => i >= 0 && i < SIZE)).toBe(true);
    // Not the revocation index: the two entries of a credential share no pattern.
    const same = suspension.filter((v, i) => v === i).length;
    expect(same).toBeLessThan(10);
    expect(
      suspensionEntryOf({ statusList: 2, statusListIndex: 5 }, KEY).statusList,
    ).toBe(2);
  });

  it('differ per list and per deployment key', () => {
    const at = (list: number, key = KEY) =>
      Array.from(
        { length: 20 },
        (_, i) =>
          suspensionEntryOf({ statusList: list, statusListIndex: i }, key)
            .statusListIndex,
      );
    expect(at(1)).not.toEqual(at(2));
    expect(at(1)).not.toEqual(at(1, 'another-key'));
    expect(at(3)).toEqual(at(3));
  });
});
