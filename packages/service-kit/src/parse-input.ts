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

  const problems: FieldProblem[] = result.error.issues.map((issue) => ({
    field: toPath(fieldPrefix, issue.path),
    message: issue.message,
  }));
  const code = result.error.issues
    .map((issue) =>
      issue.code === 'custom' ? (issue.params?.['code'] as unknown) : undefined,
    )
    .find((value): value is string => typeof value === 'string');
  throw InvalidInputError.fromProblems(problems, code);
}

function toPath(prefix: string, path: readonly PropertyKey[]): string {
  let result = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result ? `.${String(segment)}` : String(segment);
  }
  return result;
}
