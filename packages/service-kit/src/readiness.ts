/**
 * A readiness probe: resolves when the dependency is usable, throws otherwise.
 * It may resolve to details worth showing while healthy (e.g. consumer lag).
 */
export type ReadinessCheck = () => unknown;

export interface ReadinessReport {
  ready: boolean;
  /** `'ok'` or `'error: <message>'` per check name. */
  checks: Record<string, string>;
  /** What healthy checks resolved to (when not undefined), per check name. */
  details: Record<string, unknown>;
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs` so one hung
 * dependency cannot hold the probe past the orchestrator's own timeout.
 */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const details: Record<string, unknown> = {};
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        const detail = await withTimeout(
          Promise.resolve().then(check),
          timeoutMs,
        );
        if (detail !== undefined) details[name] = detail;
        return [name, 'ok'] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [name, `error: ${message}`] as const;
      }
    }),
  );
  return {
    ready: entries.every(([, result]) => result === 'ok'),
    checks: Object.fromEntries(entries),
    details,
  };
}

async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
