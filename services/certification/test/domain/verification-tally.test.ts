import {
  countWindow,
  createVerificationTally,
  utcDay,
} from '../../src/domain/verification-tally';

const key = {
  day: '2026-03-10',
  standardId: 's-1',
  certifyingBodyId: 'b-1',
  channel: 'CODE' as const,
};

describe('the verification tally', () => {
  it('adds up verifications per day, standard, body and channel, and hands them over once', () => {
    const tally = createVerificationTally();
    tally.record(key);
    tally.record(key);
    tally.record({ ...key, channel: 'CREDENTIAL' });
    tally.record({ ...key, certifyingBodyId: 'b-2' });
    expect(tally.size()).toBe(3);
    const drained = tally.drain();
    expect(drained).toEqual(
      expect.arrayContaining([
        { ...key, count: 2 },
        { ...key, channel: 'CREDENTIAL', count: 1 },
        { ...key, certifyingBodyId: 'b-2', count: 1 },
      ]),
    );
    expect(drained).toHaveLength(3);
    expect(tally.drain()).toEqual([]);
  });

  it('takes back what a failed flush could not write, added to what was counted meanwhile', () => {
    const tally = createVerificationTally();
    tally.record(key);
    const failed = tally.drain();
    tally.record(key);
    tally.restore(failed);
    expect(tally.drain()).toEqual([{ ...key, count: 2 }]);
  });

  it('dates a verification by its UTC day', () => {
    expect(utcDay(new Date('2026-03-10T23:59:59.999-06:00'))).toBe(
      '2026-03-11',
    );
  });
});

describe('the window of a counts query', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');
  it('defaults to the last 30 days, today included', () => {
    expect(countWindow({}, now)).toEqual({
      from: '2026-02-09',
      to: '2026-03-10',
    });
    expect(countWindow({ to: '2026-01-31' }, now)).toEqual({
      from: '2026-01-02',
      to: '2026-01-31',
    });
  });

  it('refuses a reversed window and one longer than 366 days', () => {
    expect(countWindow({ from: '2026-03-11', to: '2026-03-10' }, now)).toEqual({
      field: 'from',
      problem: 'must not be after to',
    });
    expect(countWindow({ from: '2024-01-01', to: '2024-12-31' }, now)).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
    });
    expect(countWindow({ from: '2024-01-01', to: '2025-01-01' }, now)).toEqual(
      expect.objectContaining({ field: 'from' }),
    );
  });
});
