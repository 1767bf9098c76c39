/**
 * Domain errors: the expected failures of a service, each with a stable code.
 *
 * This module is PURE on purpose (no graphql, mongoose or express): services'
 * `domain/` layers import it through `@conecta/service-kit/errors`, and the
 * ESLint boundary rule only lets them import this subpath. The conversion to a
 * GraphQLError happens at the API boundary (`formatError` in the main entry).
 */

/**
 * The category of a domain failure. It becomes `extensions.code` in a GraphQL
 * response, so it uses the codes the gateway documents (DESIGN.md §4).
 */
export type ErrorKind =
  'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED';

/** Every {@link ErrorKind}, for exhaustive checks and allow-lists. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
];

import { composeMessage } from './messages';
import type { Language } from './messages';

export * from './messages';

/** One bad input field: a dotted path such as `input.taxId` and what is wrong. */
export interface FieldProblem {
  field: string;
  /** What is wrong, in English (the Spanish comes from the catalogue). */
  message: string;
  /**
   * The problem's own reason code when it has one apart from the error's
   * (a zod custom issue's `params.code`); never shown, used to translate.
   */
  reason?: string | undefined;
  /** The message in other languages when already known (zod's Spanish); never shown. */
  localized?: Partial<Record<Language, string>> | undefined;
}

// A registry-wide brand, so a DomainError is recognised even when two copies of
// this package end up in node_modules (instanceof would then fail).
const DOMAIN_ERROR_BRAND = Symbol.for('conecta.service-kit.DomainError');

/**
 * Base of every expected failure. `code` is the stable, domain-specific reason
 * (`INVALID_RFC`, `COMMITTEE_NOT_INSTALLED`) that clients may switch on; `kind` is
 * the coarse category that becomes `extensions.code`.
 */
export abstract class DomainError extends Error {
  /** The coarse category, exposed as `extensions.code`. */
  abstract readonly kind: ErrorKind;
  /** The input field this error is about, when there is one. */
  readonly field: string | undefined;

  /**
   * Extra facts a client can act on, merged into `extensions` (e.g.
   * `{ unmetConditions: ['NO_CHAIR'] }`). Subclasses override; default none.
   */
  get details(): Readonly<Record<string, unknown>> | undefined {
    return undefined;
  }

  protected constructor(
    /** Stable domain code, exposed as `extensions.reason`. */
    readonly code: string,
    message: string,
    field?: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.field = field;
    Object.defineProperty(this, DOMAIN_ERROR_BRAND, { value: true });
  }
}

/**
 * Whether a CONFLICT's reason says the aggregate changed between load and
 * save (a lost optimistic-concurrency race, worth retrying), as every store
 * names it: `CONCURRENT_MODIFICATION` or `<AGGREGATE>_CHANGED_CONCURRENTLY`.
 * Other CONFLICTs (a state machine's refusal, a taken name) are answers.
 * Read by runCommand (retry) and the idempotency plugin (never stored).
 */
export const isVersionConflictReason = (reason: string): boolean =>
  reason === 'CONCURRENT_MODIFICATION' || reason.endsWith('_CONCURRENTLY');

/** True for any {@link DomainError}, including one from another copy of this package. */
export function isDomainError(value: unknown): value is DomainError {
  return (
    value instanceof DomainError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[DOMAIN_ERROR_BRAND] === true)
  );
}

/**
 * The input is malformed or breaks a rule about its shape (`BAD_USER_INPUT`).
 * Carries every bad field in `fields`, so a form can show all problems at once.
 *
 * @param field   dotted path of the (first) bad field, e.g. `input.taxId`
 * @param message what is wrong with it
 * @param code    stable reason; defaults to `INVALID_INPUT`
 * @param fields  every bad field; defaults to just `{ field, message }`
 */
export class InvalidInputError extends DomainError {
  readonly kind = 'BAD_USER_INPUT';
  readonly fields: readonly FieldProblem[];

  constructor(
    field: string,
    message: string,
    code = 'INVALID_INPUT',
    fields: readonly FieldProblem[] = [{ field, message }],
  ) {
    super(code, message, field);
    this.fields = fields;
  }

  /**
   * Builds one error from several field problems (at least one). The message
   * lists them all; `field` is the first one.
   */
  static fromProblems(
    problems: readonly FieldProblem[],
    code = 'INVALID_INPUT',
  ): InvalidInputError {
    const [first] = problems;
    if (!first) {
      throw new Error(
        'InvalidInputError.fromProblems needs at least one problem',
      );
    }
    return new InvalidInputError(
      first.field,
      composeMessage(problems),
      code,
      problems,
    );
  }
}

/**
 * The entity does not exist (`NOT_FOUND`). The code is derived from the entity
 * name: `NotFoundError('CompetencyStandard', id)` has code
 * `COMPETENCY_STANDARD_NOT_FOUND`.
 */
export class NotFoundError extends DomainError {
  readonly kind = 'NOT_FOUND';

  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${toConstantCase(entity)}_NOT_FOUND`, `${entity} ${id} not found`);
  }
}

/**
 * The request is valid but clashes with the current state (`CONFLICT`): a state
 * machine refuses the transition, a unique value is taken, and so on.
 *
 * @param code    stable reason, e.g. `COMMITTEE_NOT_INSTALLED`
 * @param message human-readable explanation
 * @param field   the input field involved, if any
 */
export class ConflictError extends DomainError {
  readonly kind = 'CONFLICT';

  constructor(code: string, message: string, field?: string) {
    super(code, message, field);
  }
}

/**
 * The caller is known but may not do this (`FORBIDDEN`).
 *
 * @param code stable reason; defaults to `FORBIDDEN`
 */
export class ForbiddenError extends DomainError {
  readonly kind = 'FORBIDDEN';

  constructor(message: string, code = 'FORBIDDEN') {
    super(code, message);
  }
}

/**
 * The caller is not (validly) identified (`UNAUTHENTICATED`): a missing,
 * tampered or expired identity header, or an anonymous caller asking for
 * something that needs a signed-in one.
 *
 * @param code stable reason; defaults to `UNAUTHENTICATED`
 */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'UNAUTHENTICATED';

  constructor(message: string, code = 'UNAUTHENTICATED') {
    super(code, message);
  }
}

/**
 * Ends an exhaustive `switch`: the compiler refuses the call unless every case
 * was handled, and at run time it is a bug (so it is NOT a DomainError and
 * becomes `INTERNAL`).
 */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
    this.name = 'UnreachableCaseError';
  }
}

function toConstantCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** Why a move is refused: the CONFLICT's stable reason and its message. */
export interface MoveRefusal {
  code: string;
  message: string;
}

/**
 * An aggregate's lifecycle: its statuses and the moves between them, as one
 * table. The one state machine of the house: each service keeps its own
 * table and its own refusal reasons in its `domain/`, and this does the
 * lookup and the refusing.
 */
export interface StateMachine<S extends string> {
  /** For each status, the statuses it may move to (none: final). */
  readonly moves: Readonly<Record<S, readonly S[]>>;
  /** Whether `from` may move to `to`. */
  can(from: S, to: S): boolean;
  /**
   * Passes when `from` may move to `to`.
   *
   * @throws ConflictError with the table's refusal for that move
   */
  assert(from: S, to: S): void;
}

/**
 * Builds a {@link StateMachine} from its table and its refusal: what a
 * refused move answers, e.g. `() => ({ code: 'X_TRANSITION_NOT_ALLOWED', … })`
 * or a reason that names the status the move needs.
 */
export function stateMachine<S extends string>(
  moves: Readonly<Record<S, readonly S[]>>,
  refusal: (from: S, to: S) => MoveRefusal,
): StateMachine<S> {
  const can = (from: S, to: S) => moves[from].includes(to);
  return {
    moves,
    can,
    assert(from, to) {
      if (can(from, to)) return;
      const { code, message } = refusal(from, to);
      throw new ConflictError(code, message);
    },
  };
}
