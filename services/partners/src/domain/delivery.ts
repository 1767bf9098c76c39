import { ConflictError } from '@conecta/service-kit/errors';
import { afterFailure, type RetryPolicy } from './retry';

/** Where a delivery is: waiting for an attempt, delivered, or given up. */
export const DELIVERY_STATUSES = [
  'PENDING',
  'DELIVERED',
  'DEAD_LETTERED',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One POST to the partner's URL. */
export interface DeliveryAttempt {
  at: Date;
  /** 2xx: succeeded; anything else, a timeout or a network error: failed. */
  outcome: 'SUCCEEDED' | 'FAILED';
  /** The HTTP status the receiver answered, if it answered. */
  httpStatus: number | null;
  /** Why it failed without an answer (timeout, connection refused…). */
  error: string | null;
  durationMs: number;
}

/** One notification (or ping) for one subscription, and its log of attempts. */
export interface Delivery {
  /** Also the `webhook-id` header: the same on every attempt and replay. */
  id: string;
  subscriptionId: string;
  organizationId: string;
  /** The domain event it tells of (the delivery's own id for a ping). */
  eventId: string;
  /** The payload's `type`: `standard.published`, …, `webhook.ping`. */
  type: string;
  /** The exact JSON text sent: the signature covers these bytes. */
  body: string;
  status: DeliveryStatus;
  /** When the next attempt is due (PENDING only). */
  nextAttemptAt: Date | null;
  /** First attempt since creation or the last replay: the give-up clock. */
  firstAttemptAt: Date | null;
  attempts: DeliveryAttempt[];
  deliveredAt: Date | null;
  deadLetteredAt: Date | null;
  replayCount: number;
  createdAt: Date;
}

/** A new delivery, due at once. */
export function newDelivery(fields: {
  id: string;
  subscriptionId: string;
  organizationId: string;
  eventId: string;
  type: string;
  body: string;
  now: Date;
}): Delivery {
  const { now, ...rest } = fields;
  return {
    ...rest,
    status: 'PENDING',
    nextAttemptAt: now,
    firstAttemptAt: null,
    attempts: [],
    deliveredAt: null,
    deadLetteredAt: null,
    replayCount: 0,
    createdAt: now,
  };
}

/** What an attempt changes on its delivery. */
export interface AttemptResult {
  attempt: DeliveryAttempt;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  firstAttemptAt: Date;
  deliveredAt: Date | null;
  deadLetteredAt: Date | null;
}

/**
 * The delivery after `attempt`: delivered on a 2xx; otherwise retried after
 * the backoff, or dead-lettered once its first attempt is
 * `policy.giveUpAfterMs` old.
 */
export function recordAttempt(
  delivery: Pick<Delivery, 'firstAttemptAt' | 'attempts'>,
  attempt: DeliveryAttempt,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptResult {
  const firstAttemptAt = delivery.firstAttemptAt ?? attempt.at;
  if (attempt.outcome === 'SUCCEEDED')
    return {
      attempt,
      status: 'DELIVERED',
      nextAttemptAt: null,
      firstAttemptAt,
      deliveredAt: attempt.at,
      deadLetteredAt: null,
    };
  // Failures since the give-up clock started (a replay starts it again).
  const failures =
    delivery.attempts.filter(
      (a) => a.outcome === 'FAILED' && a.at >= firstAttemptAt,
    ).length + 1;
  const next = afterFailure(
    { firstAttemptAt, failures, now: attempt.at },
    policy,
    random,
  );
  return next.status === 'DEAD_LETTERED'
    ? {
        attempt,
        status: 'DEAD_LETTERED',
        nextAttemptAt: null,
        firstAttemptAt,
        deliveredAt: null,
        deadLetteredAt: attempt.at,
      }
    : {
        attempt,
        status: 'PENDING',
        nextAttemptAt: next.nextAttemptAt,
        firstAttemptAt,
        deliveredAt: null,
        deadLetteredAt: null,
      };
}

/**
 * A replay: a delivered or dead-lettered delivery is due again at once, with
 * the same id and body (receivers deduplicate on `webhook-id`) and a new
 * give-up clock; its log keeps every earlier attempt.
 *
 * @throws ConflictError `DELIVERY_PENDING` when it is still waiting for an attempt
 */
export function replay(
  delivery: Pick<Delivery, 'status' | 'replayCount'>,
  now: Date,
): Pick<
  Delivery,
  | 'status'
  | 'nextAttemptAt'
  | 'firstAttemptAt'
  | 'replayCount'
  | 'deliveredAt'
  | 'deadLetteredAt'
> {
  if (delivery.status === 'PENDING')
    throw new ConflictError(
      'DELIVERY_PENDING',
      'The delivery is still waiting for its next attempt',
      'id',
    );
  return {
    status: 'PENDING',
    nextAttemptAt: now,
    firstAttemptAt: null,
    replayCount: delivery.replayCount + 1,
    deliveredAt: null,
    deadLetteredAt: null,
  };
}
