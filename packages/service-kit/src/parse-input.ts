import { locales } from 'zod';
import type { z } from 'zod';
import { InvalidInputError } from './errors';
import type { FieldProblem } from './errors';

/**
 * Validates resolver input with a zod schema.
 *
 * Paths are dotted with array indexes in brackets (`input.elements[0].title`).
 * A zod custom issue may carry a stable domain code in `params.code` (e.g.
 * `INVALID_RFC`); the first such code becomes the error's code, otherwise it is
 * `INVALID_INPUT`.
 *
 * @param fieldPrefix prefix of every reported path; defaults to `input`
 * @returns the parsed (and transformed) value
 * @throws InvalidInputError listing every bad field at once
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fieldPrefix = 'input',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  // The same parse with zod's Spanish messages (only on failure): a schema's
  // own message wins over them, so a custom message stays English here and
  // the service's catalogue translates it (by its code, or INVALID_INPUT).
  const spanish = schema.safeParse(input, { error: SPANISH.localeError });
  const spanishIssues = spanish.success ? [] : spanish.error.issues;
  const problems: FieldProblem[] = result.error.issues.map((issue, i) => {
    const inSpanish = spanishIssues[i];
    const reason =
      issue.code === 'custom' && typeof issue.params?.['code'] === 'string'
        ? (issue.params['code'] as string)
        : undefined;
    return {
      field: toPath(fieldPrefix, issue.path),
      message: issue.message,
      ...(reason ? { reason } : {}),
      // zod's Spanish for its own message; for a custom one, the Spanish of
      // the same check (the limit it names), in case no catalogue reads it.
      ...(inSpanish && inSpanish.code === issue.code
        ? {
            localized: {
              es:
                inSpanish.message !== issue.message
                  ? inSpanish.message
                  : (SPANISH.localeError(issue as never) as string),
            },
          }
        : {}),
    };
  });
  const code = result.error.issues
    .map((issue) =>
      issue.code === 'custom' ? (issue.params?.['code'] as unknown) : undefined,
    )
    .find((value): value is string => typeof value === 'string');
  throw InvalidInputError.fromProblems(problems, code);
}

const SPANISH = locales.es();

function toPath(prefix: string, path: readonly PropertyKey[]): string {
  let result = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result ? `.${String(segment)}` : String(segment);
  }
  return result;
}
