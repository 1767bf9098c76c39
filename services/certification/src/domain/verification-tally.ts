// Public verifications counted per standard and per body (issue 15, item 6):
// how credentials are used, with no personal data — no code, no CURP, no
// person, no address; only what was verified (a standard, a body), how (by
// code or a credential) and the UTC day. Pure: the counter in memory that a
// store flushes in batches (README: Verification counts).

/** How a certificate was verified: its public code, or an exported credential (JWT). */
export type VerificationChannel = 'CODE' | 'CREDENTIAL';

/** One counter: a day, a standard, a body, a channel. */
export interface VerificationKey {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  standardId: string;
  certifyingBodyId: string;
  channel: VerificationChannel;
}

/** What a flush adds to one counter. */
export interface VerificationIncrement extends VerificationKey {
  count: number;
}

/** The UTC day of an instant, YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The stable id of a counter (one document per counter). */
export const verificationCountId = (key: VerificationKey): string =>
  `${key.day}|${key.standardId}|${key.certifyingBodyId}|${key.channel}`;

/**
 * Increments held in memory until drained: `record` costs a map update (no
 * I/O on the verification path); `drain` hands over everything counted so
 * far and starts again; `restore` puts back increments a flush could not
 * write, added to whatever was counted meanwhile.
 */
export function createVerificationTally() {
  let pending = new Map<string, VerificationIncrement>();
  const add = (key: VerificationKey, count: number) => {
    const id = verificationCountId(key);
    const held = pending.get(id);
    if (held) held.count += count;
    else pending.set(id, { ...key, count });
  };
  return {
    record(key: VerificationKey): void {
      add(key, 1);
    },
    /** Everything counted since the last drain (each counter once), and an empty tally. */
    drain(): VerificationIncrement[] {
      const drained = [...pending.values()];
      pending = new Map();
      return drained;
    },
    restore(increments: readonly VerificationIncrement[]): void {
      for (const { count, ...key } of increments) add(key, count);
    },
    /** How many counters hold increments not yet flushed. */
    size(): number {
      return pending.size;
    },
  };
}

export type VerificationTally = ReturnType<typeof createVerificationTally>;

/** The window of a counts query: days `from` to `to`, inclusive. */
export interface CountWindow {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
/** A year and a day: a window longer than that is refused (a leap year fits). */
export const MAX_COUNT_WINDOW_DAYS = 366;
/** The default window: the last 30 days, today included. */
export const DEFAULT_COUNT_WINDOW_DAYS = 30;

/**
 * The window asked for, defaults filled in from `now`: `to` today, `from`
 * 29 days before `to`.
 *
 * @returns a problem (the argument and why) instead when it is reversed or
 *   longer than {@link MAX_COUNT_WINDOW_DAYS}
 */
export function countWindow(
  asked: { from?: string | null; to?: string | null },
  now: Date,
): CountWindow | { field: 'from' | 'to'; problem: string } {
  const to = asked.to ?? utcDay(now);
  const from =
    asked.from ??
    utcDay(new Date(Date.parse(to) - (DEFAULT_COUNT_WINDOW_DAYS - 1) * DAY_MS));
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) return { field: 'from', problem: 'must not be after to' };
  if (days > MAX_COUNT_WINDOW_DAYS)
    return {
      field: 'from',
      problem: `the window must be at most ${MAX_COUNT_WINDOW_DAYS} days`,
    };
  return { from, to };
}
