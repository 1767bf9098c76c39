// Requests in flight at once: the gateway and the subgraphs share 2 cores with
// the rest, and more only queues.
const CONCURRENCY = 4;

/** Progress lines of a long phase: `<label>: <done>/<total>`, about ten in all. */
export interface Progress {
  log: (line: string) => void;
  label: string;
}

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
  progress?: Progress,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  // About ten lines in all: a long phase at scale 100 says how far it is.
  const every = Math.ceil(items.length / 10);
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i]!);
      } catch (error) {
        failed = true;
        throw error;
      }
      done += 1;
      if (progress && done < items.length && done % every === 0)
        progress.log(`${progress.label}: ${done}/${items.length}`);
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: CONCURRENCY }, worker),
  );
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
