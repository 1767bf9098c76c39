import { randomInt } from 'node:crypto';

// Test files share the subgraphs' databases (support/global-setup.ts), so
// what the services keep unique is unique per file.

/** A SCIAN-style sector code (6 digits) no other test file registers. */
export const sectorCode = (): string => String(randomInt(100_000, 1_000_000));

/** A day, in milliseconds. */
export const DAY_MS = 86_400_000;

/** The UTC date (YYYY-MM-DD) `offset` days from now (negative: before). */
export const day = (offset: number): string =>
  new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
