// Requests in flight at once: the gateway and the subgraphs share 2 cores with
// the rest, and more only queues.
const CONCURRENCY = 4;

/**
 * Runs `task` over `items`, CONCURRENCY at a time, and returns the results in
 * the items' order (the order of completion may vary; the data does not).
 * When a task fails, no new one starts, and the error is thrown once those
 * in flight have settled: a load interrupted or failing here has recorded
 * every answer it got before it gives up (progress.ts), so a resumed load
 * never sends one of them again.
 */
export async function inBatches<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: CONCURRENCY }, worker),
  );
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
