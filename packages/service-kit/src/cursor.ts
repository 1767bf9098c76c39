import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { InvalidInputError } from './errors';

// One cursor connection for every paginated list (issue 16, item 2).
// Cursors are opaque to clients: base64url of the JSON of the last item's
// sort values (dates tagged, so they come back as dates), so the ordering
// can change without clients depending on it. A list ordered by id has one
// value, the id (encodeCursor / decodeCursor); a keyset over several sort
// keys, one per key, its last `_id` making the order total.

/** Items per page when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** The most items one page returns (bounds the cost of one request). */
export const MAX_PAGE_SIZE = 100;

/** `first` (1–100, default 20) and `after` of a paginated list, as zod shapes. */
export const pageArgs = {
  first: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .nullish()
    .transform((v) => v ?? DEFAULT_PAGE_SIZE),
  after: z.string().max(1_000).nullish(),
};

/** A connection as the schemas return it. */
export interface PageConnection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

export const emptyConnection = <T>(): PageConnection<T> => ({
  nodes: [],
  totalCount: 0,
  pageInfo: { endCursor: null, hasNextPage: false },
});

/**
 * The connection of a page of a list ordered by id (`pageById`'s answer):
 * its end cursor is the last node's id ({@link encodeCursor}), null on an
 * empty page.
 */
export function connectionById<T extends { id: string }>(page: {
  nodes: T[];
  totalCount: number;
  hasNextPage: boolean;
}): PageConnection<T> {
  const last = page.nodes.at(-1);
  return {
    nodes: page.nodes,
    totalCount: page.totalCount,
    pageInfo: {
      endCursor: last ? encodeCursor(last.id) : null,
      hasNextPage: page.hasNextPage,
    },
  };
}

type CursorValue = string | number | { d: string };

/** The cursor after an item whose sort values are `values` (strings, numbers, dates). */
export function encodeKeysetCursor(values: readonly unknown[]): string {
  const tagged = values.map((v): CursorValue => {
    if (v instanceof Date) return { d: v.toISOString() };
    if (typeof v === 'string' || typeof v === 'number') return v;
    throw new Error(`cannot put ${typeof v} in a cursor`);
  });
  return Buffer.from(JSON.stringify(tagged)).toString('base64url');
}

const refuse = (field: string) =>
  new InvalidInputError(
    field,
    'is not a cursor returned by this API',
    'INVALID_CURSOR',
  );

/**
 * The `arity` sort values inside a cursor.
 *
 * @throws InvalidInputError `INVALID_CURSOR` naming `field` for anything this API did not return
 */
export function decodeKeysetCursor(
  cursor: string,
  arity: number,
  field = 'after',
): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse(field);
  }
  if (!Array.isArray(parsed) || parsed.length !== arity) throw refuse(field);
  return parsed.map((v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') return v;
    if (
      v &&
      typeof v === 'object' &&
      typeof (v as { d?: unknown }).d === 'string'
    ) {
      const date = new Date((v as { d: string }).d);
      if (!Number.isNaN(date.getTime())) return date;
    }
    throw refuse(field);
  });
}

/** The cursor after the item `id` (a list ordered by id: UUID v7, creation order). */
export function encodeCursor(id: string): string {
  return encodeKeysetCursor([id]);
}

/** The id inside a cursor, or BAD_USER_INPUT `INVALID_CURSOR` naming `field`. */
export function decodeCursor(cursor: string, field: string): string {
  const [id] = decodeKeysetCursor(cursor, 1, field);
  if (typeof id !== 'string' || !entityId.safeParse(id).success)
    throw refuse(field);
  return id;
}
