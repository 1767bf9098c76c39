// When a failed delivery is tried again, and when it is given up.

/**
 * The pause after the 1st, 2nd, … failed attempt: 5 s, 5 min, 30 min, 2 h,
 * 5 h, then 10 h for every later one (the schedule Standard Webhooks' authors
 * publish; `WEBHOOK_RETRY_SCHEDULE_MS`).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000,
];

/** A delivery is dead-lettered once its first attempt is a day old (`WEBHOOK_GIVE_UP_AFTER_MS`). */
export const DEFAULT_GIVE_UP_AFTER_MS = 86_400_000;

/** Each pause is its scheduled length ± 20 %, so failed deliveries do not come back in step. */
const JITTER = 0.2;

export interface RetryPolicy {
  scheduleMs: readonly number[];
  giveUpAfterMs: number;
}

/**
 * The pause after the `failures`-th failed attempt (1-based): the schedule's
 * entry (its last one once past its end), jittered by ± 20 %.
 *
 * @param random a number in [0, 1) (Math.random by default)
 */
export function retryDelayMs(
  failures: number,
  scheduleMs: readonly number[],
  random: () => number = Math.random,
): number {
  const base =
    scheduleMs[Math.min(Math.max(failures, 1), scheduleMs.length) - 1] ?? 0;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** What follows a failed attempt. */
export type AfterFailure =
  { status: 'PENDING'; nextAttemptAt: Date } | { status: 'DEAD_LETTERED' };

/**
 * After a failed attempt at `now`: dead-lettered when the first attempt is
 * `giveUpAfterMs` old or more; otherwise the next attempt after the backoff,
 * but never later than the give-up moment, so the last attempt is made right
 * at it (a day after the first, by default).
 */
export function afterFailure(
  {
    firstAttemptAt,
    failures,
    now,
  }: { firstAttemptAt: Date; failures: number; now: Date },
  policy: RetryPolicy,
  random: () => number = Math.random,
): AfterFailure {
  const giveUpAt = firstAttemptAt.getTime() + policy.giveUpAfterMs;
  if (now.getTime() >= giveUpAt) return { status: 'DEAD_LETTERED' };
  const next =
    now.getTime() + retryDelayMs(failures, policy.scheduleMs, random);
  return {
    status: 'PENDING',
    nextAttemptAt: new Date(Math.min(next, giveUpAt)),
  };
}
