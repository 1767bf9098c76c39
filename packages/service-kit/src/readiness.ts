/**
 * A readiness probe: resolves when the dependency is usable, throws otherwise.
 * It may resolve to details worth showing while healthy (e.g. consumer lag).
 */
export type ReadinessCheck = () => unknown;

/**
 * A check with its weight. A `critical` check (the default) failing means the
 * service cannot serve its API: `/ready` answers 503. A non-critical one
 * failing (Kafka, the outbox relay, a consumer: writes go on, their events
 * wait in the outbox) only degrades it: 200 with `status: "degraded"`.
 */
export interface WeightedReadinessCheck {
  check: ReadinessCheck;
  /** Default true. */
  critical?: boolean;
}

/** Checks by name, for `GET /ready`. */
export type ReadinessChecks = Record<
  string,
  ReadinessCheck | WeightedReadinessCheck
>;

/**
 * Thrown by a check that fails with details worth showing (a consumer's
 * state, the relay's last error); they go to the report's `details`.
 */
export class ReadinessProblem extends Error {
  override readonly name = 'ReadinessProblem';

  constructor(
    message: string,
    readonly detail: unknown,
  ) {
    super(message);
  }
}

/** `ready`: every check passed; `degraded`: only non-critical ones failed; `not_ready`: a critical one failed. */
export type ReadinessStatus = 'ready' | 'degraded' | 'not_ready';

export interface ReadinessReport {
  status: ReadinessStatus;
  /** Whether the service can serve its API: `status` is not `not_ready`. */
  ready: boolean;
  /** `'ok'` or `'error: <message>'` per check name. */
  checks: Record<string, string>;
  /** What checks resolved to (when not undefined), or a {@link ReadinessProblem}'s detail, per check name. */
  details: Record<string, unknown>;
  /** Names of the failed checks that only degrade the service. */
  degraded: string[];
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs` so one hung
 * dependency cannot hold the probe past the orchestrator's own timeout.
 */
export async function runReadinessChecks(
  checks: ReadinessChecks,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const details: Record<string, unknown> = {};
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, spec]) => {
      const { check, critical = true } =
        typeof spec === 'function' ? { check: spec } : spec;
      try {
        const detail = await withTimeout(
          Promise.resolve().then(check),
          timeoutMs,
        );
        if (detail !== undefined) details[name] = detail;
        return { name, result: 'ok', critical };
      } catch (error) {
        if (error instanceof ReadinessProblem && error.detail !== undefined)
          details[name] = error.detail;
        const message = error instanceof Error ? error.message : String(error);
        return { name, result: `error: ${message}`, critical };
      }
    }),
  );
  const failed = entries.filter((e) => e.result !== 'ok');
  const status: ReadinessStatus = failed.some((e) => e.critical)
    ? 'not_ready'
    : failed.length > 0
      ? 'degraded'
      : 'ready';
  return {
    status,
    ready: status !== 'not_ready',
    checks: Object.fromEntries(entries.map((e) => [e.name, e.result])),
    details,
    degraded: failed.filter((e) => !e.critical).map((e) => e.name),
  };
}

/** `promise`, or a rejection after `timeoutMs`. */
export async function withTimeout<T>(
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
