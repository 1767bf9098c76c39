import type { IHeaders, KafkaMessage } from 'kafkajs';
import { backoffDelay, errorMessage, jitteredBackoffDelay } from './backoff';
import { DLQ_HEADERS } from './dlq';
import type { EventEnvelope } from './envelope';
import { InvalidEventError } from './errors';
import { isInfrastructureError } from './failures';

// The event consumer's decisions, pure: what to do with a failed try, which
// messages of a chunk are handled, skipped or poison, and what a dead letter
// carries. `consumer.ts` does the I/O (kafkajs, sleeping with heartbeats, the
// DLQ producer) and applies these; test/domain/consumer-rules.test.ts tests
// them with no broker.

/** The retry policy (see `ConsumerRetryOptions` and `ConsumerOutageOptions`). */
export interface RetryPolicy {
  /** Retries of a deterministic failure after the first try. */
  deterministicRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  outageInitialDelayMs: number;
  outageMaxDelayMs: number;
}

/** Tries so far of one piece of work. */
export interface RetryState {
  /** Deterministic failures so far. */
  failures: number;
  /** Infrastructure failures so far. */
  outageAttempts: number;
}

/** What to do after a try failed. */
export type RetryDecision =
  /** Infrastructure: pause the partition and try again after `delayMs`, for as long as it lasts. */
  | { kind: 'wait-out-outage'; delayMs: number; next: RetryState }
  /** Deterministic, retries left: try again after `delayMs`. */
  | { kind: 'retry'; delayMs: number; next: RetryState }
  /** Deterministic, no retries left: dead-letter after `attempts` tries. */
  | { kind: 'give-up'; attempts: number };

/**
 * Infrastructure failures (database unreachable, not primary, timeouts, a
 * retriable Kafka error: `classifyFailure`) are never given up on: capped,
 * jittered backoff. Anything else is retried `deterministicRetries` times
 * with exponential backoff, then given up (the caller dead-letters it).
 */
export function decideRetry(
  error: unknown,
  state: RetryState,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (isInfrastructureError(error))
    return {
      kind: 'wait-out-outage',
      delayMs: jitteredBackoffDelay(
        state.outageAttempts,
        policy.outageInitialDelayMs,
        policy.outageMaxDelayMs,
        random,
      ),
      next: { ...state, outageAttempts: state.outageAttempts + 1 },
    };
  if (state.failures >= policy.deterministicRetries)
    return { kind: 'give-up', attempts: state.failures + 1 };
  return {
    kind: 'retry',
    delayMs: backoffDelay(
      state.failures,
      policy.initialDelayMs,
      policy.maxDelayMs,
    ),
    next: { ...state, failures: state.failures + 1 },
  };
}

/**
 * An event whose type this build does not know and does not handle is not
 * poison, only none of its business. A producer may publish a new type before
 * its consumers are redeployed; they skip it, as they skip known types they do
 * not handle. A type they handle but cannot read still goes to the DLQ.
 */
export function isUnknownTypeNotHandled(
  error: InvalidEventError,
  handles: (type: string) => boolean,
): boolean {
  return (
    error.code === 'UNKNOWN_EVENT' &&
    error.eventType !== undefined &&
    !handles(error.eventType)
  );
}

/** What becomes of one message. */
export type Triage =
  | { kind: 'handle'; event: EventEnvelope }
  | { kind: 'skip' }
  | { kind: 'dead-letter'; error: InvalidEventError };

/**
 * Parses a message with the registry: an event of a handled type is handled;
 * of a type not handled, or unknown and not handled, skipped; a message that
 * cannot be read as an event (or a handled type that does not validate) is
 * poison, dead-lettered at once — retrying cannot help.
 *
 * @throws whatever `parse` throws that is not an {@link InvalidEventError}
 */
export function triage(
  value: Buffer | null,
  parse: (value: Buffer | null) => EventEnvelope,
  handles: (type: string) => boolean,
): Triage {
  let event: EventEnvelope;
  try {
    event = parse(value);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return isUnknownTypeNotHandled(error, handles)
      ? { kind: 'skip' }
      : { kind: 'dead-letter', error };
  }
  return handles(event.type) ? { kind: 'handle', event } : { kind: 'skip' };
}

/** Consecutive slices of at most `size` (at least 1) messages, in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, size);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += step)
    chunks.push(items.slice(i, i + step));
  return chunks;
}

// A DLQ header is for humans and tools; a full stack trace belongs in the logs.
export const MAX_ERROR_HEADER_LENGTH = 2_000;

/** Where a dead letter comes from and why. */
export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  groupId: string;
  reason: 'invalid' | 'handler';
  error: unknown;
  attempts: number;
  failedAt: Date;
}

/**
 * The headers of a dead letter: the message's own, plus the error (cut to
 * {@link MAX_ERROR_HEADER_LENGTH}), the reason, where it was read and by whom,
 * the tries and when — what `npm run dlq` shows and redrives from.
 */
export function deadLetterHeaders(
  message: Pick<KafkaMessage, 'headers' | 'offset'>,
  origin: DeadLetterOrigin,
): IHeaders {
  return {
    ...message.headers,
    [DLQ_HEADERS.error]: errorMessage(origin.error).slice(
      0,
      MAX_ERROR_HEADER_LENGTH,
    ),
    [DLQ_HEADERS.reason]: origin.reason,
    [DLQ_HEADERS.originalTopic]: origin.topic,
    [DLQ_HEADERS.originalPartition]: String(origin.partition),
    [DLQ_HEADERS.originalOffset]: message.offset,
    [DLQ_HEADERS.consumerGroup]: origin.groupId,
    [DLQ_HEADERS.attempts]: String(origin.attempts),
    [DLQ_HEADERS.failedAt]: origin.failedAt.toISOString(),
  };
}
