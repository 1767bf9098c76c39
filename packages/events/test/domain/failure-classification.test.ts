import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import {
  InfrastructureError,
  InvalidEventError,
  classifyFailure,
} from '../../src';

/** A server error as the driver builds it from a reply. */
function serverError(code: number, codeName: string): MongoServerError {
  return new MongoServerError({ ok: 0, code, codeName, errmsg: codeName });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:27017`), { code });
}

describe('which handler failures are an outage (wait) and which are poison (DLQ)', () => {
  it.each([
    ['a MongoDB network error', new MongoNetworkError('connection reset')],
    ['a network timeout', new MongoNetworkTimeoutError('timed out')],
    [
      'a server selection timeout',
      new MongoServerSelectionError(
        'Server selection timed out after 30000 ms',
        // The topology it could not select from; unused by the classification.
        {} as ConstructorParameters<typeof MongoServerSelectionError>[1],
      ),
    ],
    [
      'a client that is not connected',
      new MongoNotConnectedError('not connected'),
    ],
    ['a closed topology', new MongoTopologyClosedError()],
    ['"not primary"', serverError(10107, 'NotWritablePrimary')],
    ['a primary stepping down', serverError(189, 'PrimarySteppedDown')],
    ['a server shutting down', serverError(91, 'ShutdownInProgress')],
    ['a socket refused', systemError('ECONNREFUSED')],
    ['a socket timing out', systemError('ETIMEDOUT')],
    ['a retriable Kafka error', new KafkaJSConnectionError('Connection error')],
    [
      "Kafka's retries exhausted on a connection error",
      new KafkaJSNumberOfRetriesExceeded(
        new KafkaJSConnectionError('Connection error'),
        { retryCount: 5, retryTime: 1_000 },
      ),
    ],
    [
      'a domain error caused by a network error',
      new Error('could not load the cohort', {
        cause: new MongoNetworkError('connection reset'),
      }),
    ],
    [
      "mongoose's buffering timeout",
      Object.assign(
        new Error(
          'Operation `cohorts.findOne()` buffering timed out after 10000ms',
        ),
        { name: 'MongooseError' },
      ),
    ],
    [
      'the same driver class from another copy of the driver',
      Object.assign(new Error('Server selection timed out'), {
        name: 'MongoServerSelectionError',
      }),
    ],
    [
      "a handler's own InfrastructureError",
      new InfrastructureError('the registry service answered 503'),
    ],
  ])('%s is infrastructure', (_what, error) => {
    expect(classifyFailure(error)).toBe('infrastructure');
  });

  it('a server error labelled retryable by the driver is infrastructure', () => {
    const error = serverError(2, 'BadValue');
    error.addErrorLabel('RetryableWriteError');
    expect(classifyFailure(error)).toBe('infrastructure');
  });

  it.each([
    [
      'a plain bug',
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    ],
    ['a duplicate key', serverError(11000, 'DuplicateKey')],
    ['a refused update', serverError(2, 'BadValue')],
    ['an invalid event', new InvalidEventError('Invalid event: not JSON')],
    [
      'a non-retriable Kafka error',
      new KafkaJSNonRetriableError('Invalid topic'),
    ],
    [
      "Kafka's retries exhausted on a non-retriable error",
      new KafkaJSNumberOfRetriesExceeded(new Error('bad request'), {
        retryCount: 5,
        retryTime: 1_000,
      }),
    ],
    [
      'a protocol error Kafka does not retry',
      // kafkajs builds it from its error table: (error, { retriable }).
      new (
        KafkaJSProtocolError as unknown as new (
          e: object,
          options: { retriable: boolean },
        ) => KafkaJSProtocolError
      )(
        {
          type: 'TOPIC_AUTHORIZATION_FAILED',
          code: 29,
          message: 'Not authorized to access topics',
        },
        { retriable: false },
      ),
    ],
    ['a thrown string', 'nope'],
    ['undefined', undefined],
    [
      'a message that merely mentions a timeout',
      new Error('the evaluation timed out per its own rules'),
    ],
  ])('%s is deterministic', (_what, error) => {
    expect(classifyFailure(error)).toBe('deterministic');
  });
});
