import {
  DEFAULT_COMMAND_ATTEMPTS,
  authorizedBeforeLoad,
  isVersionConflict,
  runCommand,
  type CommandSteps,
} from '../../src/command';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/errors';

// The shape every command runs, against an in-memory store of one counter
// aggregate: a version per write, and a conditional save like the services'
// outbox writes (refused when the version moved since load).

interface Counter {
  id: string;
  owner: string;
  value: number;
  version: number;
}

interface Written {
  counter: Counter;
  events: string[];
}

function memoryStore(initial: Counter) {
  let stored = initial;
  const log: Written[] = [];
  let interference: (() => void) | undefined;
  return {
    log,
    current: () => stored,
    /** Another writer commits right after the next `times` loads. */
    interfere(times: number) {
      let left = times;
      interference = () => {
        if (left === 0) return;
        left -= 1;
        stored = {
          ...stored,
          value: stored.value + 100,
          version: stored.version + 1,
        };
      };
    },
    async load(id: string): Promise<Counter> {
      if (id !== stored.id) throw new NotFoundError('Counter', id);
      const read = { ...stored };
      interference?.();
      return read;
    },
    async save(
      read: Counter,
      next: Counter,
      events: string[],
    ): Promise<Counter> {
      if (stored.version !== read.version)
        throw new ConflictError(
          'COUNTER_CHANGED_CONCURRENTLY',
          'The counter changed while this request was processed',
        );
      stored = { ...next, version: read.version + 1 };
      log.push({ counter: stored, events });
      return stored;
    },
  };
}

type Input = { id: string; by: number; caller: string };

/** The pure rule: only the owner adds, and never a negative amount. */
function add(counter: Counter, by: number) {
  if (by < 0)
    throw new ConflictError('NEGATIVE_AMOUNT', 'Add a positive amount');
  const next = { ...counter, value: counter.value + by };
  return { next, events: [`Added ${by}`] };
}

function incrementSteps(
  store: ReturnType<typeof memoryStore>,
  calls: string[] = [],
): CommandSteps<Input, Counter, ReturnType<typeof add>, Counter, number> {
  return {
    load: (input) => {
      calls.push('load');
      return store.load(input.id);
    },
    authorize: (counter, input) => {
      calls.push('authorize');
      if (counter.owner !== input.caller)
        throw new ForbiddenError('Only the owner adds', 'NOT_THE_OWNER');
    },
    decide: (counter, input) => {
      calls.push('decide');
      return add(counter, input.by);
    },
    save: (counter, { next, events }) => {
      calls.push('save');
      return store.save(counter, next, events);
    },
    answer: (saved) => saved.value,
  };
}

const counter = (): Counter => ({
  id: 'c1',
  owner: 'ana',
  value: 1,
  version: 1,
});
const input = (overrides: Partial<Input> = {}): Input => ({
  id: 'c1',
  by: 2,
  caller: 'ana',
  ...overrides,
});

describe('a command run', () => {
  it('loads, authorizes, decides, saves the change with its events, and answers', async () => {
    const store = memoryStore(counter());
    const calls: string[] = [];
    await expect(
      runCommand(input(), incrementSteps(store, calls)),
    ).resolves.toBe(3);
    expect(calls).toEqual(['load', 'authorize', 'decide', 'save']);
    expect(store.log).toEqual([
      { counter: { ...counter(), value: 3, version: 2 }, events: ['Added 2'] },
    ]);
  });

  it('answers the saved value when no answer step is given', async () => {
    const store = memoryStore(counter());
    const { answer: _answer, ...steps } = incrementSteps(store);
    await expect(runCommand(input(), steps)).resolves.toMatchObject({
      value: 3,
      version: 2,
    });
  });

  it('stops at a refused caller: nothing is decided or saved', async () => {
    const store = memoryStore(counter());
    const calls: string[] = [];
    await expect(
      runCommand(input({ caller: 'eve' }), incrementSteps(store, calls)),
    ).rejects.toMatchObject({ kind: 'FORBIDDEN', code: 'NOT_THE_OWNER' });
    expect(calls).toEqual(['load', 'authorize']);
    expect(store.log).toEqual([]);
  });

  it('saves nothing when the rule refuses the change, and does not retry a refusal', async () => {
    const store = memoryStore(counter());
    const calls: string[] = [];
    await expect(
      runCommand(input({ by: -1 }), incrementSteps(store, calls)),
    ).rejects.toMatchObject({ kind: 'CONFLICT', code: 'NEGATIVE_AMOUNT' });
    expect(calls).toEqual(['load', 'authorize', 'decide']);
    expect(store.log).toEqual([]);
    expect(store.current()).toEqual(counter());
  });

  it('answers NOT_FOUND for an absent aggregate without retrying', async () => {
    const store = memoryStore(counter());
    const calls: string[] = [];
    await expect(
      runCommand(input({ id: 'c2' }), incrementSteps(store, calls)),
    ).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'COUNTER_NOT_FOUND' });
    expect(calls).toEqual(['load']);
  });

  it('lets authorizedBeforeLoad stand for a check made before loading', async () => {
    const store = memoryStore(counter());
    const steps = { ...incrementSteps(store), authorize: authorizedBeforeLoad };
    await expect(runCommand(input({ caller: 'eve' }), steps)).resolves.toBe(3);
  });
});

describe("authorize's grant", () => {
  /** A delegate adds for the owner, at most 10: what authorize found is what decide uses. */
  function delegatedSteps(store: ReturnType<typeof memoryStore>) {
    const asked: string[] = [];
    const steps: CommandSteps<
      Input,
      Counter,
      ReturnType<typeof add>,
      Counter,
      number,
      'owner' | 'delegate'
    > = {
      load: (input) => store.load(input.id),
      authorize: (counter, input) => {
        asked.push(input.caller);
        if (input.caller === counter.owner) return 'owner';
        if (input.caller === 'bea') return 'delegate';
        throw new ForbiddenError('Only the owner adds', 'NOT_THE_OWNER');
      },
      decide: (counter, input, role) => {
        if (role === 'delegate' && input.by > 10)
          throw new ConflictError(
            'OVER_DELEGATED',
            'A delegate adds at most 10',
          );
        return add(counter, input.by);
      },
      save: (counter, { next, events }) => store.save(counter, next, events),
      answer: (saved) => saved.value,
    };
    return { steps, asked };
  }

  it('hands what authorize returned to decide, asking the rule once a run', async () => {
    const store = memoryStore(counter());
    const { steps, asked } = delegatedSteps(store);
    await expect(
      runCommand(input({ caller: 'bea', by: 11 }), steps),
    ).rejects.toMatchObject({ kind: 'CONFLICT', code: 'OVER_DELEGATED' });
    await expect(
      runCommand(input({ caller: 'ana', by: 11 }), steps),
    ).resolves.toBe(12);
    expect(asked).toEqual(['bea', 'ana']);
  });

  it('asks authorize again on a retry, and decides with the new grant', async () => {
    const store = memoryStore(counter());
    store.interfere(1);
    const { steps, asked } = delegatedSteps(store);
    await expect(
      runCommand(input({ caller: 'bea', by: 5 }), steps),
    ).resolves.toBe(106);
    expect(asked).toEqual(['bea', 'bea']);
  });
});

describe('a command that loses a race', () => {
  it('runs the whole shape again on the state that won, and saves once', async () => {
    const store = memoryStore(counter());
    store.interfere(2);
    const calls: string[] = [];
    // 1 + 100 + 100 from the other writer, then + 2.
    await expect(
      runCommand(input(), incrementSteps(store, calls)),
    ).resolves.toBe(203);
    expect(calls).toEqual([
      ...['load', 'authorize', 'decide', 'save'],
      ...['load', 'authorize', 'decide', 'save'],
      ...['load', 'authorize', 'decide', 'save'],
    ]);
    expect(store.log).toHaveLength(1);
  });

  it('asks the rules again on the retry: a change the winner made refusable is refused', async () => {
    const store = memoryStore(counter());
    store.interfere(1);
    const steps = incrementSteps(store);
    let loads = 0;
    const ownerChanges: typeof steps = {
      ...steps,
      load: async (i) => {
        loads += 1;
        const read = await steps.load(i);
        // The winner handed the counter to someone else.
        return loads > 1 ? { ...read, owner: 'bob' } : read;
      },
    };
    await expect(runCommand(input(), ownerChanges)).rejects.toMatchObject({
      code: 'NOT_THE_OWNER',
    });
    expect(store.log).toEqual([]);
  });

  it(`gives up after ${DEFAULT_COMMAND_ATTEMPTS} runs by default with the store's CONFLICT`, async () => {
    const store = memoryStore(counter());
    store.interfere(Infinity);
    const calls: string[] = [];
    await expect(
      runCommand(input(), incrementSteps(store, calls)),
    ).rejects.toMatchObject({
      kind: 'CONFLICT',
      code: 'COUNTER_CHANGED_CONCURRENTLY',
    });
    expect(calls.filter((c) => c === 'save')).toHaveLength(
      DEFAULT_COMMAND_ATTEMPTS,
    );
    expect(store.log).toEqual([]);
  });

  it('gives up after the attempts it is given', async () => {
    const store = memoryStore(counter());
    store.interfere(Infinity);
    const calls: string[] = [];
    await expect(
      runCommand(input(), incrementSteps(store, calls), { attempts: 2 }),
    ).rejects.toMatchObject({ code: 'COUNTER_CHANGED_CONCURRENTLY' });
    expect(calls.filter((c) => c === 'load')).toHaveLength(2);
  });

  it('answers CONFLICT CONCURRENT_MODIFICATION when the lost race was not a domain error', async () => {
    const store = memoryStore(counter());
    const stale = new Error('version moved');
    const steps = {
      ...incrementSteps(store),
      save: async () => {
        throw stale;
      },
    };
    await expect(
      runCommand(input(), steps, {
        attempts: 3,
        isVersionConflict: (error) => error === stale,
      }),
    ).rejects.toMatchObject({
      kind: 'CONFLICT',
      code: 'CONCURRENT_MODIFICATION',
    });
  });

  it('does not retry any other failure of save', async () => {
    const store = memoryStore(counter());
    const calls: string[] = [];
    const down = new Error('connection closed');
    const steps = {
      ...incrementSteps(store, calls),
      save: async () => {
        calls.push('save');
        throw down;
      },
    };
    await expect(runCommand(input(), steps)).rejects.toBe(down);
    expect(calls.filter((c) => c === 'save')).toHaveLength(1);
  });

  it('refuses fewer than one attempt', async () => {
    const store = memoryStore(counter());
    await expect(
      runCommand(input(), incrementSteps(store), { attempts: 0 }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});

describe('what counts as a version conflict', () => {
  it('is a CONFLICT named CONCURRENT_MODIFICATION or …_CONCURRENTLY, nothing else', () => {
    expect(
      isVersionConflict(
        new ConflictError('STANDARD_CHANGED_CONCURRENTLY', 'x'),
      ),
    ).toBe(true);
    expect(
      isVersionConflict(new ConflictError('CONCURRENT_MODIFICATION', 'x')),
    ).toBe(true);
    expect(
      isVersionConflict(new ConflictError('COMMITTEE_NAME_TAKEN', 'x')),
    ).toBe(false);
    expect(
      isVersionConflict(new ForbiddenError('x', 'CHANGED_CONCURRENTLY')),
    ).toBe(false);
    expect(isVersionConflict(new Error('CONCURRENT_MODIFICATION'))).toBe(false);
  });
});
