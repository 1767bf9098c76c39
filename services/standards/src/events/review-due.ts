import type { Logger } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import { announceReviewDueCommand } from '../commands/announce-review-due';
import { reviewDueToAnnounce } from '../domain/periodic-review';
import type { Stores } from '../store';
import type { StandardsEvents } from '.';

export interface ReviewDueCheckOptions {
  stores: Stores;
  events: StandardsEvents;
  logger: Logger;
  /** Pause between passes after the first; 0: only the pass at start. */
  intervalMs: number;
}

/**
 * The periodic check of review dates: each pass finds the PUBLISHED
 * standards whose review fell due and were not announced yet, and announces
 * each (`commands/announce-review-due.ts`: the mark with its
 * `StandardReviewDue` event, one conditional update per standard, read
 * fresh). One another instance announced is left alone; one that keeps
 * changing under the command (CONFLICT after its retries) is left to the
 * next pass, which finds it announced or not: one event per due date.
 */
export function createReviewDueCheck({
  stores,
  events,
  logger,
  intervalMs,
}: ReviewDueCheckOptions) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function pass(now: Date): Promise<number> {
    const due = (await stores.standards.findPublished()).filter((s) =>
      reviewDueToAnnounce(s, now),
    );
    let announced = 0;
    for (const standard of due) {
      try {
        if (
          await announceReviewDueCommand({ stores, events }, standard.id, now)
        )
          announced += 1;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Changed meanwhile: the next pass reads it again.
      }
    }
    if (announced > 0)
      logger.info({ announced }, 'standards whose review fell due announced');
    return announced;
  }

  function runOnce(now = new Date()): Promise<number> {
    const current = pass(now).finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  }

  return {
    /** One pass now (tests call it); resolves to the number announced. */
    runOnce,
    /** A pass every `intervalMs` after the previous one ends (none when 0). */
    start(): void {
      if (intervalMs <= 0 || timer) return;
      stopped = false;
      const tick = () => {
        timer = setTimeout(() => {
          void runOnce()
            .catch((err: unknown) =>
              logger.error(
                { err },
                'review-due check failed; the next pass retries',
              ),
            )
            .finally(() => {
              if (!stopped) tick();
            });
        }, intervalMs);
        timer.unref();
      };
      tick();
    },
    /** Stops the timer and waits for a pass in flight. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type ReviewDueCheck = ReturnType<typeof createReviewDueCheck>;
