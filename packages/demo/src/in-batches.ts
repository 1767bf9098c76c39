// Requests in flight at once: the gateway and the subgraphs share 2 cores with
// the rest, and more only queues.
const CONCURRENCY = 4;

/**
 * Runs `task` over `items`, CONCURRENCY at a time, and returns the results in
 * the items' order (the order of completion may vary; the data does not).
 */
export async function inBatches<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}
