import { ConflictError, stateMachine } from '../../src/errors';

// The one state machine every service's domain builds its lifecycles on.
type Status = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

const lifecycle = stateMachine<Status>(
  {
    PENDING: ['ACTIVE', 'REVOKED'],
    ACTIVE: ['SUSPENDED', 'REVOKED'],
    SUSPENDED: ['ACTIVE', 'REVOKED'],
    REVOKED: [],
  },
  (from, to) => ({
    code: to === 'ACTIVE' ? 'NOT_PENDING_OR_SUSPENDED' : 'MOVE_NOT_ALLOWED',
    message: `${from} cannot become ${to}`,
  }),
);

describe('a lifecycle as a table', () => {
  it('allows exactly the moves in the table', () => {
    const statuses = Object.keys(lifecycle.moves) as Status[];
    const allowed = statuses.flatMap((from) =>
      statuses
        .filter((to) => lifecycle.can(from, to))
        .map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'PENDING→ACTIVE',
      'PENDING→REVOKED',
      'ACTIVE→SUSPENDED',
      'ACTIVE→REVOKED',
      'SUSPENDED→ACTIVE',
      'SUSPENDED→REVOKED',
    ]);
    expect(() => lifecycle.assert('ACTIVE', 'SUSPENDED')).not.toThrow();
  });

  it('refuses any other move with a CONFLICT carrying the table’s reason for it', () => {
    const refusal = (from: Status, to: Status) => {
      try {
        lifecycle.assert(from, to);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(refusal('REVOKED', 'ACTIVE')).toEqual(
      expect.objectContaining({
        kind: 'CONFLICT',
        code: 'NOT_PENDING_OR_SUSPENDED',
        message: 'REVOKED cannot become ACTIVE',
      }),
    );
    expect(refusal('PENDING', 'SUSPENDED')).toBeInstanceOf(ConflictError);
    expect(refusal('ACTIVE', 'ACTIVE')).toEqual(
      expect.objectContaining({ code: 'NOT_PENDING_OR_SUSPENDED' }),
    );
  });
});
