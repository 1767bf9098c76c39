/** Exponential backoff: `initial · 2^attempt`, capped at `max`. Attempt 0 → initial. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

/** Sleeps `ms`, waking early (resolving `false`) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A message for logs, DLQ headers and readiness, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
