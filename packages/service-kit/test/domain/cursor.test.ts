import { randomUUID } from 'node:crypto';
import {
  connectionById,
  decodeCursor,
  decodeKeysetCursor,
  encodeCursor,
  encodeKeysetCursor,
} from '../../src';

describe('id cursors', () => {
  it('give back the id they were made from', () => {
    const id = randomUUID();
    expect(decodeCursor(encodeCursor(id), 'after')).toBe(id);
  });

  it.each([
    ['not base64 of a cursor', 'garbage'],
    ['a cursor of something that is not an id', encodeCursor('42')],
    [
      'an id without the cursor prefix',
      Buffer.from(randomUUID()).toString('base64url'),
    ],
  ])('refuse %s with INVALID_CURSOR naming the argument', (_label, cursor) => {
    expect(() => decodeCursor(cursor, 'after')).toThrow(
      expect.objectContaining({
        kind: 'BAD_USER_INPUT',
        code: 'INVALID_CURSOR',
        field: 'after',
      }),
    );
  });
});

describe('keyset cursors (lists sorted by several keys)', () => {
  it('give back the sort values they were made from, dates as dates', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const values = decodeKeysetCursor(
      encodeKeysetCursor(['MX-JAL', 40, at, 'a-1']),
      4,
    );
    expect(values).toEqual(['MX-JAL', 40, at, 'a-1']);
    expect(values[2]).toBeInstanceOf(Date);
  });

  it.each([
    ['not base64 of JSON', 'garbage'],
    ['a cursor of another arity', encodeKeysetCursor(['a', 1])],
    [
      'a value no sort key has',
      Buffer.from(JSON.stringify([{ x: 1 }])).toString('base64url'),
    ],
  ])('refuse %s with INVALID_CURSOR on after', (_label, cursor) => {
    expect(() => decodeKeysetCursor(cursor, 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR', field: 'after' }),
    );
  });

  it('are the one format: an id cursor is a keyset of one value', () => {
    const id = randomUUID();
    expect(decodeKeysetCursor(encodeCursor(id), 1)).toEqual([id]);
  });
});

describe('a page of a list ordered by id as a connection', () => {
  it('ends at the last node, whose cursor reads back as its id', () => {
    const nodes = [{ id: randomUUID() }, { id: randomUUID() }];
    const connection = connectionById({
      nodes,
      totalCount: 7,
      hasNextPage: true,
    });
    expect(connection).toMatchObject({
      nodes,
      totalCount: 7,
      pageInfo: { hasNextPage: true },
    });
    expect(decodeCursor(connection.pageInfo.endCursor!, 'after')).toBe(
      nodes[1]!.id,
    );
  });

  it('has no end cursor when the page is empty', () => {
    expect(
      connectionById({ nodes: [], totalCount: 0, hasNextPage: false }),
    ).toEqual({
      nodes: [],
      totalCount: 0,
      pageInfo: { endCursor: null, hasNextPage: false },
    });
  });
});
