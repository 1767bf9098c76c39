import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  isDomainError,
  isVersionConflictReason,
} from './errors';

/**
 * One use case on one aggregate, in the shape every service's `commands/`
 * follows (issue 16, item 1; STYLE.md): load → authorize → decide → save
 * with its events → answer. Pure: the steps bring the infrastructure, so the
 * shape is tested without it (`test/domain/command.test.ts`).
 *
 * @typeParam TInput     the command's parsed input (`parseInput` ran before)
 * @typeParam TAggregate what `load` reads: the aggregate, or it with the
 *                       reference data its rules need (`{ standard, committee }`)
 * @typeParam TDecision  what `decide` returns: the next state and its events
 * @typeParam TSaved     what `save` returns (often the stored aggregate)
 * @typeParam TResult    what the caller gets
 * @typeParam TGrant     what `authorize` found out and `decide` needs (the
 *                       caller's role on the aggregate, say); default none
 */
export interface CommandSteps<
  TInput,
  TAggregate,
  TDecision,
  TSaved,
  TResult,
  TGrant = void,
> {
  /**
   * Reads the aggregate fresh from the store (not a request cache: a retry
   * must see the write it lost to). Throws `NotFoundError` when it is absent.
   */
  load(input: TInput): Promise<TAggregate>;
  /**
   * The access rule, a function of `domain/` (e.g. `domain/permissions.ts`):
   * throws `ForbiddenError`/`UnauthenticatedError` to refuse; nothing is
   * decided or saved then. When the roles are fixed and were checked before
   * loading (so the answer is FORBIDDEN whatever the id), pass
   * {@link authorizedBeforeLoad}. What it returns (its grant: the staff
   * membership it checked, say) is handed to `decide`, so the rule is asked
   * once; commands that return nothing keep `decide(aggregate, input)`.
   */
  authorize(aggregate: TAggregate, input: TInput): TGrant | Promise<TGrant>;
  /**
   * What changes: calls the pure rules of `domain/`, which throw a
   * `DomainError` to refuse (nothing is saved then). May first read
   * reference data the rule needs (an organization's kind): that read comes
   * after `authorize`, so a refused caller learns nothing from it.
   */
  decide(
    aggregate: TAggregate,
    input: TInput,
    grant: TGrant,
  ): TDecision | Promise<TDecision>;
  /**
   * Writes the decision with its events in ONE conditional write on the
   * version `load` read; when another write changed the aggregate meanwhile
   * it throws a version conflict (see {@link isVersionConflict}) and writes
   * nothing.
   */
  save(
    aggregate: TAggregate,
    decision: TDecision,
    input: TInput,
  ): Promise<TSaved>;
  /** What the caller gets; the saved value when absent. */
  answer?(saved: TSaved, decision: TDecision, aggregate: TAggregate): TResult;
}

/** How {@link runCommand} treats lost races. */
export interface CommandOptions {
  /**
   * Runs of the whole shape before giving up (first run included); default
   * {@link DEFAULT_COMMAND_ATTEMPTS}.
   */
  attempts?: number;
  /** Which errors of `save` mean "the aggregate changed since load"; default {@link isVersionConflict}. */
  isVersionConflict?: (error: unknown) => boolean;
}

/**
 * Runs of a command before it answers CONFLICT. Each run that loses a race
 * loses it to a writer that committed, so five runs outlast five writers
 * racing on one aggregate (training's COMMUTING_ATTEMPTS had the same
 * reasoning); more would keep a request waiting on a hot aggregate.
 */
export const DEFAULT_COMMAND_ATTEMPTS = 5;

/**
 * Whether `error` says the aggregate changed between load and save: a
 * CONFLICT whose reason is `CONCURRENT_MODIFICATION` or ends in
 * `_CONCURRENTLY` (`COMMITTEE_CHANGED_CONCURRENTLY`). Other CONFLICTs (a
 * state machine's refusal, a taken name) are answers, not races.
 */
export function isVersionConflict(error: unknown): boolean {
  return (
    isDomainError(error) &&
    error.kind === 'CONFLICT' &&
    isVersionConflictReason(error.code)
  );
}

/**
 * What a command's `load` (or a read by id) found, or NOT_FOUND
 * `<ENTITY>_NOT_FOUND` for `id` when there is nothing.
 *
 * @throws NotFoundError when `found` resolves to null or undefined
 */
export async function orNotFound<T>(
  found: Promise<T | null | undefined>,
  entity: string,
  id: string,
): Promise<T> {
  const value = await found;
  if (value === null || value === undefined)
    throw new NotFoundError(entity, id);
  return value;
}

/**
 * The record an input names (a reference a command checks), or
 * BAD_USER_INPUT `code` naming `field`: "is not `what`" ("is not a
 * registered organization").
 *
 * @throws InvalidInputError when `found` resolves to null or undefined
 */
export async function orInvalidReference<T>(
  found: Promise<T | null | undefined>,
  field: string,
  what: string,
  code: string,
): Promise<T> {
  const value = await found;
  if (value === null || value === undefined)
    throw new InvalidInputError(field, `is not ${what}`, code);
  return value;
}

/**
 * `authorize` of a command whose roles are fixed and were checked before
 * `load` (so an unknown id answers FORBIDDEN too, revealing nothing).
 */
export function authorizedBeforeLoad(): void {}

/**
 * Runs one command: load → authorize → decide → save → answer; what
 * `authorize` returns is `decide`'s third argument. When `save`
 * loses to a concurrent write (a version conflict) the WHOLE shape runs
 * again from a fresh load — the rules are asked again about the state that
 * won, so a retry never saves a decision made on a stale read — at most
 * `attempts` runs in all, with no pause (the winner has committed: the next
 * load sees it). Then the last conflict is thrown: a CONFLICT whose reason
 * is the store's (`STANDARD_CHANGED_CONCURRENTLY`), or
 * `CONCURRENT_MODIFICATION` when the store's error was not a domain error.
 * Any other error (a refusal of `authorize` or `decide`, NOT_FOUND, an
 * infrastructure failure) propagates at once; nothing was saved.
 *
 * @returns `answer(saved, decision, aggregate)`, or the saved value
 */
export async function runCommand<
  TInput,
  TAggregate,
  TDecision,
  TSaved = TAggregate,
  TResult = TSaved,
  TGrant = void,
>(
  input: TInput,
  steps: CommandSteps<TInput, TAggregate, TDecision, TSaved, TResult, TGrant>,
  options: CommandOptions = {},
): Promise<TResult> {
  const attempts = options.attempts ?? DEFAULT_COMMAND_ATTEMPTS;
  const lostRace = options.isVersionConflict ?? isVersionConflict;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`runCommand: attempts must be ≥ 1, got ${attempts}`);
  for (let run = 1; ; run += 1) {
    const aggregate = await steps.load(input);
    const grant = await steps.authorize(aggregate, input);
    const decision = await steps.decide(aggregate, input, grant);
    let saved: TSaved;
    try {
      saved = await steps.save(aggregate, decision, input);
    } catch (error) {
      if (!lostRace(error)) throw error;
      if (run >= attempts) throw givenUp(error, attempts);
      continue;
    }
    return steps.answer
      ? steps.answer(saved, decision, aggregate)
      : (saved as unknown as TResult);
  }
}

/** The CONFLICT a command answers after its last lost race. */
function givenUp(error: unknown, attempts: number): Error {
  if (isDomainError(error) && error.kind === 'CONFLICT') return error;
  return new ConflictError(
    'CONCURRENT_MODIFICATION',
    `The data changed while this request was processed (${attempts} attempts): read it again and retry`,
  );
}
