/** MongoDB's duplicate-key error code (E11000), raised by unique indexes. */
const DUPLICATE_KEY = 11_000;

export function isDuplicateKeyError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === DUPLICATE_KEY
  );
}
