import { ConflictError } from '@conecta/service-kit/errors';
import { authorizedBeforeLoad, runCommand } from '@conecta/service-kit';
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

// Training's commands run through service-kit's runCommand: a lost race is
// the store's VersionConflictError (`*_CHANGED_CONCURRENTLY`), which
// runCommand reads as a version conflict and runs the command again on.

/** A command whose save loses `losses` races, counting its runs. */
function commandLosing(losses: number, options?: { attempts?: number }) {
  let runs = 0;
  const result = runCommand(
    { enrollmentId: 'e-1' },
    {
      load: async () => {
        runs += 1;
        return { version: runs };
      },
      authorize: authorizedBeforeLoad,
      decide: (read) => read.version,
      save: async () => {
        if (runs <= losses) throw lostRace();
        return 'saved';
      },
    },
    options,
  );
  return { result, runs: () => runs };
}

describe('retrying a command that lost the race', () => {
  it('runs it again from the start until its save wins', async () => {
    const command = commandLosing(2);
    await expect(command.result).resolves.toBe('saved');
    expect(command.runs()).toBe(3);
  });

  it('answers the CONFLICT after the last attempt, naming the field', async () => {
    const command = commandLosing(Infinity, { attempts: 3 });
    await expect(command.result).rejects.toMatchObject({
      code: 'ENROLLMENT_CHANGED_CONCURRENTLY',
      field: 'input.enrollmentId',
    });
    expect(command.runs()).toBe(3);
  });

  it('does not retry a refusal of the rules', async () => {
    let runs = 0;
    const refusal = new ConflictError('VOUCHER_ALREADY_ISSUED', 'issued');
    await expect(
      runCommand(
        {},
        {
          load: async () => {
            runs += 1;
          },
          authorize: authorizedBeforeLoad,
          decide: () => {
            throw refusal;
          },
          save: async () => 'saved',
        },
      ),
    ).rejects.toBe(refusal);
    expect(runs).toBe(1);
  });
});
