import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from '../../src';

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
