/** Exponential backoff: `initial · 2^attempt`, capped at `max`. Attempt 0 → initial. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

/**
 * {@link backoffDelay} with "equal jitter": half the delay fixed, half
 * random. Many consumers waiting on the same outage then do not all retry in
 * the same instant when it ends, and no wait is shorter than half its step.
 */
export function jitteredBackoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const delay = backoffDelay(attempt, initialMs, maxMs);
  return Math.round(delay / 2 + random() * (delay / 2));
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
