import {
  afterFailure,
  DEFAULT_GIVE_UP_AFTER_MS,
  DEFAULT_RETRY_SCHEDULE_MS,
  retryDelayMs,
} from '../../src/domain/retry';
import {
  newDelivery,
  recordAttempt,
  replay,
  type DeliveryAttempt,
} from '../../src/domain/delivery';

const policy = {
  scheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
  giveUpAfterMs: DEFAULT_GIVE_UP_AFTER_MS,
};
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the retry schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h, each within ± 20 %', () => {
    const expected = [5_000, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR];
    expected.forEach((base, i) => {
      expect(retryDelayMs(i + 1, policy.scheduleMs, () => 0.5)).toBe(base);
      expect(retryDelayMs(i + 1, policy.scheduleMs, () => 0)).toBe(base * 0.8);
      expect(
        retryDelayMs(i + 1, policy.scheduleMs, () => 0.999_999),
      ).toBeLessThanOrEqual(base * 1.2);
    });
    expect(retryDelayMs(9, policy.scheduleMs, () => 0.5)).toBe(10 * HOUR);
  });

  it('spreads retries that failed together (jitter)', () => {
    const delays = new Set(
      Array.from({ length: 20 }, () => retryDelayMs(2, policy.scheduleMs)),
    );
    expect(delays.size).toBeGreaterThan(1);
  });
});

describe('dead-lettering', () => {
  const first = new Date('2026-11-20T00:00:00.000Z');
  const at = (ms: number) => new Date(first.getTime() + ms);

  it('retries a failure while the first attempt is less than a day old', () => {
    expect(
      afterFailure(
        { firstAttemptAt: first, failures: 1, now: first },
        policy,
        () => 0.5,
      ),
    ).toEqual({ status: 'PENDING', nextAttemptAt: at(5_000) });
  });

  it('makes the last attempt right when the day is up, then gives up', () => {
    const late = afterFailure(
      { firstAttemptAt: first, failures: 6, now: at(20 * HOUR) },
      policy,
      () => 0.5,
    );
    expect(late).toEqual({ status: 'PENDING', nextAttemptAt: at(24 * HOUR) });
    expect(
      afterFailure(
        { firstAttemptAt: first, failures: 7, now: at(24 * HOUR) },
        policy,
      ),
    ).toEqual({ status: 'DEAD_LETTERED' });
  });

  it('follows a delivery that never succeeds through its attempts to the dead letters, a day after the first', () => {
    let delivery = newDelivery({
      id: 'd',
      subscriptionId: 's',
      organizationId: 'o',
      eventId: 'e',
      type: 'standard.published',
      body: '{}',
      now: first,
    });
    const times: number[] = [];
    while (delivery.status === 'PENDING') {
      const attempt: DeliveryAttempt = {
        at: delivery.nextAttemptAt!,
        outcome: 'FAILED',
        httpStatus: 503,
        error: null,
        durationMs: 12,
      };
      times.push(attempt.at.getTime() - first.getTime());
      const result = recordAttempt(delivery, attempt, policy, () => 0.5);
      delivery = {
        ...delivery,
        ...result,
        attempts: [...delivery.attempts, attempt],
      };
    }
    expect(delivery.status).toBe('DEAD_LETTERED');
    expect(times).toEqual([
      0,
      5_000,
      5_000 + 5 * MIN,
      5_000 + 35 * MIN,
      5_000 + 155 * MIN,
      5_000 + 455 * MIN,
      5_000 + 1_055 * MIN,
      24 * HOUR,
    ]);
    expect(delivery.deadLetteredAt).toEqual(at(24 * HOUR));
  });

  it('honours a shorter give-up (tests use seconds)', () => {
    const short = { scheduleMs: [500], giveUpAfterMs: 2_000 };
    expect(
      afterFailure(
        { firstAttemptAt: first, failures: 3, now: at(2_000) },
        short,
      ),
    ).toEqual({ status: 'DEAD_LETTERED' });
  });

  it('marks a 2xx delivered, and a replay makes a finished delivery due again with a new clock', () => {
    const delivery = newDelivery({
      id: 'd',
      subscriptionId: 's',
      organizationId: 'o',
      eventId: 'e',
      type: 'webhook.ping',
      body: '{}',
      now: first,
    });
    const ok = recordAttempt(
      delivery,
      {
        at: first,
        outcome: 'SUCCEEDED',
        httpStatus: 204,
        error: null,
        durationMs: 3,
      },
      policy,
    );
    expect(ok).toMatchObject({ status: 'DELIVERED', deliveredAt: first });
    const later = at(HOUR);
    expect(replay({ status: 'DEAD_LETTERED', replayCount: 0 }, later)).toEqual({
      status: 'PENDING',
      nextAttemptAt: later,
      firstAttemptAt: null,
      replayCount: 1,
      deliveredAt: null,
      deadLetteredAt: null,
    });
    expect(() => replay({ status: 'PENDING', replayCount: 0 }, later)).toThrow(
      expect.objectContaining({ code: 'DELIVERY_PENDING' }),
    );
  });
});
