import { z } from 'zod';
import { InvalidInputError } from '@conecta/service-kit/errors';
import type { Page, SortKeys } from '../store/aggregate';

/** Items per page when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** The most items one page returns (bounds the cost of one request). */
export const MAX_PAGE_SIZE = 100;

/** `first` (1–100, default 20) and `after` of every paginated list. */
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

/** A connection as the schema returns it. */
export interface Connection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

export const emptyConnection = <T>(): Connection<T> => ({
  nodes: [],
  totalCount: 0,
  pageInfo: { endCursor: null, hasNextPage: false },
});

// Cursors are opaque to clients: base64url of the last item's sort values
// (dates tagged so they come back as dates), so the ordering can change
// without clients depending on it.
type CursorValue = string | number | { d: string };

function encodeCursor(values: readonly unknown[]): string {
  const tagged = values.map((v): CursorValue => {
    if (v instanceof Date) return { d: v.toISOString() };
    if (typeof v === 'string' || typeof v === 'number') return v;
    throw new Error(`cannot put ${typeof v} in a cursor`);
  });
  return Buffer.from(JSON.stringify(tagged)).toString('base64url');
}

/** @throws InvalidInputError `INVALID_CURSOR` (field `after`) for anything this API did not return. */
function decodeCursor(cursor: string, arity: number): unknown[] {
  const refuse = () =>
    new InvalidInputError(
      'after',
      'is not a cursor returned by this API',
      'INVALID_CURSOR',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== arity) throw refuse();
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
    throw refuse();
  });
}

/**
 * One page of a store's `filter` matches in `sort` order, as a connection.
 * The last sort key is `_id`, so the order is total and cursors never skip.
 */
export async function paginate<T extends { id: string }>(
  store: {
    page(
      filter: Record<string, unknown>,
      sort: SortKeys,
      first: number,
      after: readonly unknown[] | null,
    ): Promise<Page<T>>;
  },
  filter: Record<string, unknown>,
  sort: SortKeys,
  args: { first: number; after?: string | null },
): Promise<Connection<T>> {
  const after = args.after ? decodeCursor(args.after, sort.length) : null;
  const page = await store.page(filter, sort, args.first, after);
  const last = page.nodes.at(-1);
  return {
    nodes: page.nodes,
    totalCount: page.totalCount,
    pageInfo: {
      endCursor: last
        ? encodeCursor(
            sort.map(([key]) =>
              key === '_id' ? last.id : (last as Record<string, unknown>)[key],
            ),
          )
        : null,
      hasNextPage: page.hasNextPage,
    },
  };
}
