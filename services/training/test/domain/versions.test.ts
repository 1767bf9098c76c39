import { ConflictError } from '@conecta/service-kit/errors';
import { retryOnVersionConflict } from '../../src/commands/retry';
import {
  VersionConflictError,
  versionFilter,
  versionOf,
} from '../../src/store/versions';

const lostRace = () =>
  new VersionConflictError(
    'ENROLLMENT_CHANGED_CONCURRENTLY',
    'changed',
    'input.enrollmentId',
  );

describe('versions of stored aggregates', () => {
  it('reads a document written before versions existed as version 0, and matches it by the missing field', () => {
    expect(versionOf({ _id: 'a' })).toBe(0);
    expect(versionOf({ _id: 'a', version: 7 })).toBe(7);
    expect(versionFilter(0)).toBeNull();
    expect(versionFilter(7)).toBe(7);
  });
});

describe('retrying a command that lost the race', () => {
  it('runs it again from the start until its save wins', async () => {
    let runs = 0;
    const result = await retryOnVersionConflict(5, async () => {
      runs += 1;
      if (runs < 3) throw lostRace();
      return 'saved';
    });
    expect(result).toBe('saved');
    expect(runs).toBe(3);
  });

  it('answers the CONFLICT after the last attempt, naming the field', async () => {
    let runs = 0;
    const attempt = retryOnVersionConflict(3, async () => {
      runs += 1;
      throw lostRace();
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'ENROLLMENT_CHANGED_CONCURRENTLY',
      field: 'input.enrollmentId',
    });
    expect(runs).toBe(3);
  });

  it('does not retry a refusal of the rules', async () => {
    let runs = 0;
    const refusal = new ConflictError('VOUCHER_ALREADY_ISSUED', 'issued');
    await expect(
      retryOnVersionConflict(5, async () => {
        runs += 1;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(runs).toBe(1);
  });
});
