import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  type PageConnection,
} from '@conecta/service-kit';
import type { Page, SortKeys } from '../store/aggregate';

// Training's lists are sorted by several keys: service-kit's keyset cursors
// (the one cursor connection, with its pageArgs) over its stores' pages.

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
): Promise<PageConnection<T>> {
  const after = args.after ? decodeKeysetCursor(args.after, sort.length) : null;
  const page = await store.page(filter, sort, args.first, after);
  const last = page.nodes.at(-1);
  return {
    nodes: page.nodes,
    totalCount: page.totalCount,
    pageInfo: {
      endCursor: last
        ? encodeKeysetCursor(
            sort.map(([key]) =>
              key === '_id' ? last.id : (last as Record<string, unknown>)[key],
            ),
          )
        : null,
      hasNextPage: page.hasNextPage,
    },
  };
}
