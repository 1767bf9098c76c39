import { randomUUID } from 'node:crypto';
import type { Logger } from '@conecta/service-kit';
import {
  recordAttempt,
  type Delivery,
  type DeliveryAttempt,
} from '../domain/delivery';
import type { RetryPolicy } from '../domain/retry';
import { signedHeaders } from '../domain/signature';
import { signingSecrets } from '../domain/subscription';
import type { Stores } from '../store';

/** Sent as `user-agent` on every delivery. */
export const USER_AGENT = 'Conecta-Webhooks/1';

export interface DeliveryWorkerOptions {
  stores: Pick<Stores, 'deliveries' | 'subscriptions'>;
  logger: Logger;
  policy: RetryPolicy;
  /** How long a receiver may take to answer (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Pause between looks for due deliveries when nothing woke the worker (WEBHOOK_POLL_INTERVAL_MS). */
  pollIntervalMs: number;
  /** Deliveries attempted at once. Default 4. */
  concurrency?: number;
}

export interface DeliveryWorker {
  start(): void;
  /** Stops claiming; an attempt in flight is abandoned unrecorded, its lease freed (retried at the next start). */
  stop(): Promise<void>;
  /** Looks for due deliveries now (after a write that made one due). */
  notify(): void;
  /** One pass: attempts every due delivery; answers how many. */
  runOnce(): Promise<number>;
}

/**
 * The delivery worker: claims due deliveries with a lease (the attempt's
 * timeout plus a margin, so a worker that dies mid-attempt loses none: the
 * lease runs out and a worker claims it again), POSTs each with the Standard
 * Webhooks headers, never following a redirect, and records the attempt and
 * what follows (delivered, the next attempt, or dead-lettered) in one update,
 * if it still holds the lease.
 */
export function createDeliveryWorker({
  stores,
  logger,
  policy,
  timeoutMs,
  pollIntervalMs,
  concurrency = 4,
}: DeliveryWorkerOptions): DeliveryWorker {
  const owner = randomUUID();
  const leaseMs = timeoutMs + 20_000;
  const log = logger.child({ component: 'webhook-worker' });
  const inFlight = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<number> | undefined;
  let again = false;
  // Scheduling passes (start … stop).
  let running = false;
  // stop() was called: no more claims; attempts in flight are abandoned.
  let halted = false;

  async function attempt(delivery: Delivery): Promise<void> {
    const subscription = await stores.subscriptions.findById(
      delivery.subscriptionId,
    );
    if (!subscription) {
      // Deleted meanwhile: its log goes with it.
      await stores.deliveries.deleteOfSubscription(delivery.subscriptionId);
      return;
    }
    const at = new Date();
    const started = performance.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          ...signedHeaders(
            signingSecrets(subscription, at),
            delivery.id,
            at,
            delivery.body,
          ),
        },
        body: delivery.body,
        // A redirect could lead anywhere (the SSRF rule): it is a failure.
        redirect: 'manual',
        signal: AbortSignal.any([
          AbortSignal.timeout(timeoutMs),
          inFlight.signal,
        ]),
      });
      httpStatus = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (err) {
      if (halted) {
        await stores.deliveries.release(delivery.id, owner);
        return;
      }
      error = describe(err, timeoutMs);
    }
    const made: DeliveryAttempt = {
      at,
      outcome:
        httpStatus !== null && httpStatus >= 200 && httpStatus < 300
          ? 'SUCCEEDED'
          : 'FAILED',
      httpStatus,
      error,
      durationMs: Math.round(performance.now() - started),
    };
    const result = recordAttempt(delivery, made, policy);
    if (!(await stores.deliveries.recordAttempt(delivery.id, owner, result)))
      log.warn(
        { deliveryId: delivery.id },
        'webhook delivery lease lost before its attempt was recorded',
      );
    else if (result.status === 'DEAD_LETTERED')
      log.warn(
        { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId },
        'webhook delivery dead-lettered',
      );
  }

  async function drain(): Promise<number> {
    let attempted = 0;
    const lane = async () => {
      while (!halted) {
        const now = new Date();
        const due = await stores.deliveries.claimDue(
          owner,
          now,
          new Date(now.getTime() + leaseMs),
        );
        if (!due) return;
        await attempt(due);
        attempted += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return attempted;
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delayMs);
  }

  async function tick(): Promise<void> {
    try {
      await worker.runOnce();
    } catch (err) {
      log.error({ err }, 'webhook delivery pass failed; trying again');
    }
    if (again) {
      again = false;
      schedule(0);
    } else schedule(pollIntervalMs);
  }

  const worker: DeliveryWorker = {
    start() {
      if (running || halted) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      halted = true;
      clearTimeout(timer);
      inFlight.abort();
      await pass?.catch(() => undefined);
    },
    notify() {
      if (!running) return;
      if (pass) again = true;
      else schedule(0);
    },
    runOnce() {
      if (pass) return pass;
      pass = drain().finally(() => {
        pass = undefined;
      });
      return pass;
    },
  };
  return worker;
}

/** A failed attempt's reason, without the URL (which may carry a token). */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
    const cause = (err as { cause?: { code?: unknown; message?: unknown } })
      .cause;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return err.message;
  }
  return String(err);
}
