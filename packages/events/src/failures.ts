import { KafkaJSError } from 'kafkajs';
import {
  MongoClientClosedError,
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/**
 * Why a handler failed, which decides what the consumer does:
 * - `infrastructure`: a dependency is unreachable or unavailable for now
 *   (database down, failover, timeouts, a broker gone). The event is fine and
 *   will succeed later: the partition waits and retries for as long as it
 *   takes, nothing is dead-lettered, the offset is not committed.
 * - `deterministic`: anything else (a bug, a rule the event breaks). Retried
 *   a few times, then dead-lettered.
 */
export type FailureKind = 'infrastructure' | 'deterministic';

/**
 * Thrown (or used as a `cause`) by a handler to say "a dependency of mine is
 * unavailable, try me again later", for dependencies this module does not
 * recognise by itself (an HTTP service, a lock). The consumer then treats
 * the failure like a database outage: wait, never dead-letter.
 */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/**
 * MongoDB server error codes that mean "this server cannot serve you right
 * now" rather than "your operation is wrong": the driver's own retryable
 * codes (its `RETRYABLE_ERROR_CODES`), i.e. failover, shutdown and network
 * trouble seen by the server.
 */
const TRANSIENT_MONGO_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Labels the driver puts on errors it would retry itself, or that reset its pool. */
const TRANSIENT_MONGO_LABELS: readonly string[] = [
  MongoErrorLabel.RetryableWriteError,
  MongoErrorLabel.TransientTransactionError,
  MongoErrorLabel.ResetPool,
  MongoErrorLabel.PoolRequstedRetry, // (sic: the driver's spelling)
  MongoErrorLabel.InterruptInUseConnections,
];

/** Node socket errors: the peer is not there (yet). */
const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * Error class names of the driver's infrastructure errors. `instanceof`
 * comes first; the names catch the same classes from a second copy of the
 * driver (a dependency bundling its own `mongodb`), where `instanceof` fails.
 * `MongoPoolClearedError` is not exported by the driver (it extends
 * `MongoNetworkError`). Mongoose raises its own `MongooseServerSelectionError`
 * when it cannot (re)connect.
 */
const INFRASTRUCTURE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoOperationTimeoutError',
  'MongooseServerSelectionError',
  'InfrastructureError',
]);

// Mongoose queues commands while its connection is down and fails them with
// a plain MongooseError after `bufferTimeoutMS`: the message is all it gives.
const MONGOOSE_BUFFERING = /buffering timed out/i;

// Causes are followed this deep (an error wrapping an error wrapping …).
const MAX_CAUSE_DEPTH = 5;

/**
 * Classifies a handler failure (see {@link FailureKind}). Follows `cause`,
 * kafkajs' `originalError` and an AggregateError's `errors`: a domain error
 * wrapping a network error is still an outage.
 *
 * Infrastructure: the MongoDB driver's network, server-selection,
 * not-connected, closed-topology and operation-timeout errors; server errors
 * with a retryable code (not primary, shutting down, stepped down…) or a
 * retryable/pool-reset label; mongoose's server-selection and
 * buffering-timeout errors; kafkajs errors marked `retriable`; Node socket
 * errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT…); {@link InfrastructureError}.
 */
export function classifyFailure(error: unknown): FailureKind {
  return isInfrastructureError(error) ? 'infrastructure' : 'deterministic';
}

/** Whether `error` (or one of its causes) means a dependency is unavailable for now. */
export function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (depth > MAX_CAUSE_DEPTH || error === null || typeof error !== 'object')
    return false;
  if (isInfrastructureItself(error)) return true;
  const { cause, originalError, errors } = error as {
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  if (cause !== undefined && isInfrastructureError(cause, depth + 1))
    return true;
  if (
    originalError !== undefined &&
    isInfrastructureError(originalError, depth + 1)
  )
    return true;
  // An AggregateError (Promise.any, happy eyeballs' connect attempts): an
  // outage when every attempt failed for infrastructure reasons.
  if (error instanceof AggregateError && Array.isArray(errors)) {
    return (
      errors.length > 0 &&
      errors.every((inner) => isInfrastructureError(inner, depth + 1))
    );
  }
  return false;
}

function isInfrastructureItself(error: object): boolean {
  if (
    error instanceof InfrastructureError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoClientClosedError ||
    error instanceof MongoOperationTimeoutError
  )
    return true;
  if (error instanceof MongoError) {
    if (TRANSIENT_MONGO_LABELS.some((label) => error.hasErrorLabel(label)))
      return true;
    if (typeof error.code === 'number' && TRANSIENT_MONGO_CODES.has(error.code))
      return true;
    return false;
  }
  // kafkajs decides per error which ones are worth retrying.
  if (error instanceof KafkaJSError) return error.retriable;
  const { name, code, message } = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof name === 'string') {
    if (INFRASTRUCTURE_ERROR_NAMES.has(name)) return true;
    if (
      name === 'MongooseError' &&
      typeof message === 'string' &&
      MONGOOSE_BUFFERING.test(message)
    )
      return true;
  }
  if (typeof code === 'string' && TRANSIENT_SYSTEM_CODES.has(code)) return true;
  // The same codes on a MongoServerError from a second driver copy.
  if (
    typeof name === 'string' &&
    name.startsWith('Mongo') &&
    typeof code === 'number' &&
    TRANSIENT_MONGO_CODES.has(code)
  )
    return true;
  return false;
}
