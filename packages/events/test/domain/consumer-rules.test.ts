import { MongoNetworkError } from 'mongodb';
import { InvalidEventError, parseEvent } from '../../src';
import {
  MAX_ERROR_HEADER_LENGTH,
  chunksOf,
  deadLetterHeaders,
  decideRetry,
  triage,
} from '../../src/consumer-rules';
import type { RetryDecision, RetryState } from '../../src/consumer-rules';
import { committeesMother } from '../fixtures/committeesMother';

// The event consumer's decisions without a broker: src/consumer.ts sleeps,
// pauses partitions and writes dead letters as these rules say.

const policy = {
  deterministicRetries: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  outageInitialDelayMs: 500,
  outageMaxDelayMs: 30_000,
};

/** Follows the decisions for one error until the consumer gives up (or 50 tries). */
function decisionsFor(error: unknown, random = () => 0.5): RetryDecision[] {
  const decisions: RetryDecision[] = [];
  let state: RetryState = { failures: 0, outageAttempts: 0 };
  while (decisions.length < 50) {
    const decision = decideRetry(error, state, policy, random);
    decisions.push(decision);
    if (decision.kind === 'give-up') break;
    state = decision.next;
  }
  return decisions;
}

describe('what the consumer does after a failed try', () => {
  it('retries a handler’s own error with backoff (200 ms doubling), then gives up for the DLQ', () => {
    const decisions = decisionsFor(new Error('duplicate seat'));
    expect(decisions).toEqual([
      expect.objectContaining({ kind: 'retry', delayMs: 200 }),
      expect.objectContaining({ kind: 'retry', delayMs: 400 }),
      expect.objectContaining({ kind: 'retry', delayMs: 800 }),
      { kind: 'give-up', attempts: 4 },
    ]);
  });

  it('never gives up on an outage: waits with jittered backoff capped at 30 s, for as long as it lasts', () => {
    const outage = new MongoNetworkError('connection refused');
    const decisions = decisionsFor(outage, () => 1);
    expect(decisions).toHaveLength(50);
    expect(decisions.every((d) => d.kind === 'wait-out-outage')).toBe(true);
    const delays = decisions.map((d) => (d.kind === 'give-up' ? 0 : d.delayMs));
    expect(delays.slice(0, 4)).toEqual([500, 1_000, 2_000, 4_000]);
    expect(Math.max(...delays)).toBe(30_000);
    // Equal jitter: never less than half the step.
    const low = decisionsFor(outage, () => 0).map((d) =>
      d.kind === 'give-up' ? 0 : d.delayMs,
    );
    expect(low.slice(0, 3)).toEqual([250, 500, 1_000]);
  });

  it('counts an outage apart from the handler’s own failures', () => {
    const afterOutage = decideRetry(
      new Error('bad data'),
      { failures: 0, outageAttempts: 7 },
      policy,
    );
    expect(afterOutage).toEqual({
      kind: 'retry',
      delayMs: 200,
      next: { failures: 1, outageAttempts: 7 },
    });
  });
});

describe('which messages are handled, skipped or dead-lettered', () => {
  const registered = committeesMother.organizationRegistered();
  const valid = Buffer.from(JSON.stringify(registered));
  const handlesOrganizations = (type: string) =>
    type === 'committees.OrganizationRegistered';

  it('hands a valid event of a handled type to the handler', () => {
    expect(triage(valid, parseEvent, handlesOrganizations)).toEqual({
      kind: 'handle',
      event: expect.objectContaining({ id: registered.id }),
    });
  });

  it('skips a known type it does not handle, and an unknown type it does not handle', () => {
    expect(triage(valid, parseEvent, () => false)).toEqual({ kind: 'skip' });
    const future = Buffer.from(
      JSON.stringify({ ...registered, type: 'committees.SomethingNew' }),
    );
    expect(triage(future, parseEvent, handlesOrganizations)).toEqual({
      kind: 'skip',
    });
  });

  it('dead-letters what cannot be read, and a handled type that does not validate', () => {
    const garbage = triage(Buffer.from('{not json'), parseEvent, () => true);
    expect(garbage).toEqual({
      kind: 'dead-letter',
      error: expect.any(InvalidEventError),
    });
    const broken = Buffer.from(
      JSON.stringify({
        ...registered,
        data: { ...registered.data, taxId: 'X' },
      }),
    );
    expect(triage(broken, parseEvent, handlesOrganizations).kind).toBe(
      'dead-letter',
    );
  });

  it('lets any other failure of the parser through', () => {
    expect(() =>
      triage(
        valid,
        () => {
          throw new TypeError('registry bug');
        },
        () => true,
      ),
    ).toThrow('registry bug');
  });

  it('cuts a fetched batch into chunks of at most maxEvents, in order', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([1, 2], 0)).toEqual([[1], [2]]);
    expect(chunksOf([], 3)).toEqual([]);
  });
});

describe('what a dead letter carries', () => {
  it('keeps the message’s headers and adds the error, the reason, where it came from and the tries', () => {
    const headers = deadLetterHeaders(
      { offset: '42', headers: { 'event-id': 'e-1' } },
      {
        topic: 'conecta.committees.events',
        partition: 2,
        groupId: 'outcomes',
        reason: 'handler',
        error: new Error('x'.repeat(5_000)),
        attempts: 6,
        failedAt: new Date('2026-12-07T01:00:00Z'),
      },
    );
    expect(headers).toEqual({
      'event-id': 'e-1',
      'dlq-error': 'x'.repeat(MAX_ERROR_HEADER_LENGTH),
      'dlq-reason': 'handler',
      'dlq-original-topic': 'conecta.committees.events',
      'dlq-original-partition': '2',
      'dlq-original-offset': '42',
      'dlq-consumer-group': 'outcomes',
      'dlq-attempts': '6',
      'dlq-failed-at': '2026-12-07T01:00:00.000Z',
    });
  });
});
