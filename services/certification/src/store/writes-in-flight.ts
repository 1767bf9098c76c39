/**
 * Which standards have a certificate write in flight in this process — begun
 * and not yet followed by its counter write — and how many have begun so far.
 *
 * Why: a recount of one standard reads its counter, counts its certificates
 * and writes the count back only if the counter is unchanged. A write whose
 * certificate lands before the count but whose counter update lands after
 * that compare-and-set would be counted twice; the counter alone cannot show
 * it. This process can: a recount waits until the standard has no write in
 * flight, notes how many have begun, and throws its count away if another
 * one began before it finished counting (README: Certificate counts).
 */
export function createWritesInFlight() {
  const inFlight = new Map<string, number>();
  const begun = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();

  const finish = (id: string) => {
    const left = (inFlight.get(id) ?? 0) - 1;
    if (left > 0) {
      inFlight.set(id, left);
      return;
    }
    inFlight.delete(id);
    const waiters = waiting.get(id) ?? [];
    waiting.delete(id);
    for (const wake of waiters) wake();
  };

  return {
    /**
     * Marks a write of certificates of `standardIds` as begun.
     *
     * @returns `end`, to call once the counter write that follows is done
     *   (or failed); calling it again does nothing
     */
    begin(standardIds: Iterable<string>): () => void {
      const ids = [...new Set(standardIds)];
      for (const id of ids) {
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        begun.set(id, (begun.get(id) ?? 0) + 1);
      }
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        for (const id of ids) finish(id);
      };
    },

    /** Whether a write of this standard's certificates is in flight. */
    busy: (standardId: string): boolean => inFlight.has(standardId),

    /** How many writes of this standard's certificates have begun in this process. */
    begunSoFar: (standardId: string): number => begun.get(standardId) ?? 0,

    /**
     * Resolves once no write of the standard is in flight, or after
     * `timeoutMs` (the caller checks {@link busy} again).
     */
    idle(standardId: string, timeoutMs: number): Promise<void> {
      if (!inFlight.has(standardId)) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          const rest = (waiting.get(standardId) ?? []).filter(
            (w) => w !== wake,
          );
          if (rest.length > 0) waiting.set(standardId, rest);
          else waiting.delete(standardId);
          resolve();
        }, timeoutMs);
        waiting.set(standardId, [...(waiting.get(standardId) ?? []), wake]);
      });
    },
  };
}

export type WritesInFlight = ReturnType<typeof createWritesInFlight>;
