import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import {
  DEFAULT_LANGUAGE,
  ERROR_KINDS,
  GENERIC_MESSAGES,
  InvalidInputError,
  isDomainError,
  localizeError,
} from './errors';
import type { DomainError, Language, MessageCatalogue } from './errors';

/** What the error formatter knows about the request being answered. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
  /** The language negotiated from the request's `Accept-Language`; defaults to Spanish. */
  language?: Language;
}

export interface FormatErrorOptions {
  /** Used when no request scope is known. */
  logger: Logger;
  /** The current request's id and logger, when the error belongs to one. */
  requestScope?: () => RequestScope | undefined;
  /**
   * The service's Spanish messages by reason code (its `domain/messages.ts`);
   * service-kit's generic ones apply after it. Defaults to none.
   */
  messages?: MessageCatalogue;
}

/** `extensions.code` of an unexpected error. */
export const INTERNAL_ERROR_CODE = 'INTERNAL';

// Codes whose message is safe and useful to the caller: Apollo's own request
// errors (parse, validation, variable coercion...) and our domain kinds when a
// resolver threw a GraphQLError carrying one. Anything else is unexpected.
const PASS_THROUGH_CODES: ReadonlySet<string> = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ...ERROR_KINDS,
]);

// graphql-js and Apollo wrap thrown errors (located errors, context failures);
// a few levels is plenty and guards against cycles.
const MAX_UNWRAP_DEPTH = 5;

/**
 * Builds Apollo's `formatError`:
 * - a {@link DomainError} (wrapped or not) becomes
 *   `{ message, extensions: { code: kind, reason: code, field?, fields? } }`;
 * - Apollo's request errors (parse, validation, variable coercion) keep their
 *   codes and messages;
 * - anything else becomes `{ message: 'Internal server error', extensions:
 *   { code: 'INTERNAL', requestId } }` and is logged with its stack.
 *
 * No stack trace is ever included (set `includeStacktraceInErrorResponses:
 * false` on the server as well).
 */
export function createFormatError({
  logger,
  requestScope,
  messages = {},
}: FormatErrorOptions): (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError {
  return (formatted, error) => {
    const location = {
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };

    const language = requestScope?.()?.language ?? DEFAULT_LANGUAGE;
    const domainError = findDomainError(error);
    if (domainError) {
      return {
        message: localizeError(domainError, language, messages).message,
        ...location,
        extensions: domainExtensions(domainError, language, messages),
      };
    }

    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } =
        formatted.extensions ?? {};
      return { ...formatted, extensions };
    }

    const scope = requestScope?.();
    (scope?.logger ?? logger).error(
      { err: unwrap(error), path: formatted.path, requestId: scope?.requestId },
      'unexpected error while resolving a GraphQL request',
    );
    return {
      message: INTERNAL_ERROR_MESSAGES[language],
      ...location,
      extensions: {
        code: INTERNAL_ERROR_CODE,
        ...(scope ? { requestId: scope.requestId } : {}),
      },
    };
  };
}

/** The message of an unexpected error in each language. */
export const INTERNAL_ERROR_MESSAGES: Readonly<Record<Language, string>> = {
  es: GENERIC_MESSAGES.INTERNAL,
  en: 'Internal server error',
};

/**
 * The GraphQL `extensions` of a domain error; `fields` carry their messages in
 * `language` (default English). `code`, `reason` and `field` never depend on
 * the language.
 */
export function domainExtensions(
  error: DomainError,
  language: Language = 'en',
  messages: MessageCatalogue = {},
): Record<string, unknown> {
  return {
    ...error.details,
    code: error.kind,
    reason: error.code,
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error instanceof InvalidInputError
      ? { fields: localizeError(error, language, messages).fields }
      : {}),
  };
}

function findDomainError(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_UNWRAP_DEPTH && current; depth += 1) {
    if (isDomainError(current)) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

function unwrap(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_UNWRAP_DEPTH; depth += 1) {
    const inner = (current as { originalError?: unknown } | null)
      ?.originalError;
    if (!inner) return current;
    current = inner;
  }
  return current;
}
