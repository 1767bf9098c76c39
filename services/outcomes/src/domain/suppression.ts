/** Why a count is withheld (the GraphQL enum SuppressionReason). */
export type SuppressionReason =
  'BELOW_THRESHOLD' | 'COMPLEMENTARY' | 'NOT_RECORDED';

/** A count as a caller sees it: `value` is null exactly when `suppressed` says why. */
export interface OutcomeCount {
  value: number | null;
  suppressed: SuppressionReason | null;
  /**
   * A total over several periods that leaves out periods withheld at the
   * query's granularity: `value` is then the sum of the periods shown.
   */
  partial: boolean;
}

/** Who sees what: counts in 1 … threshold − 1 are withheld unless `revealAll`. */
export interface DisclosurePolicy {
  /** Smallest count shown to non-admins (SUPPRESSION_THRESHOLD, default 5). */
  threshold: number;
  /** Admins see every value, exactly. */
  revealAll: boolean;
}

/**
 * Shown counts are multiples of this (for everyone but admins), so the
 * difference of any two answers is a multiple of it too: never 1 … 4.
 */
export const COUNT_BASE = 5;

/**
 * Shown salary means and medians are multiples of 500 MXN: a mean moved by one
 * person's salary is not readable from two answers (count × mean is known only
 * to ± count × 250 MXN, and the count only to ± 2).
 */
export const SALARY_STEP_CENTAVOS = 50_000;

/** Shown survey averages (1–5 scale) have one decimal. */
export const SCORE_STEP = 0.1;

/** `value` to the nearest multiple of `step` (halves away from zero). */
export function roundTo(value: number, step: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value) / step) * step;
  // 0.1 steps: keep 3.4 from printing as 3.4000000000000004.
  return Number(rounded.toFixed(6)) + 0;
}

/**
 * Applies small-group suppression to one count. Zero is shown: it reveals no
 * one (the absence of a group), and hiding it would hide "no demand" signals.
 * Counts from the threshold up are rounded to the nearest multiple of
 * {@link COUNT_BASE} (5, 6, 7 → 5; 8 … 12 → 10), so that no subtraction of two
 * answers gives a small count. Admins see exact values.
 */
export function disclose(
  value: number,
  policy: DisclosurePolicy,
): OutcomeCount {
  if (policy.revealAll || value === 0)
    return { value, suppressed: null, partial: false };
  if (value > 0 && value < policy.threshold) return WITHHELD;
  return {
    value: Math.max(COUNT_BASE, roundTo(value, COUNT_BASE)),
    suppressed: null,
    partial: false,
  };
}

const WITHHELD: OutcomeCount = {
  value: null,
  suppressed: 'BELOW_THRESHOLD',
  partial: false,
};

/** A count the read models cannot give for the filter asked. */
export const NOT_RECORDED: OutcomeCount = {
  value: null,
  suppressed: 'NOT_RECORDED',
  partial: false,
};

/**
 * The cells of one row — counts whose sum is itself released (the months of a
 * quarter, the quarters of a year, the parts of a total) — with primary and
 * complementary suppression. A cell from 1 to threshold − 1 is withheld
 * (BELOW_THRESHOLD); when exactly one cell of the row is, the smallest other
 * non-zero cell is withheld too (COMPLEMENTARY, the first of equals), so the
 * row's total minus the cells shown never gives the withheld one. When every
 * other cell is 0 there is nothing to pair with: the total is then the
 * withheld cell itself, from 1 to threshold − 1, and withheld on its own.
 */
export function protectRow(
  values: readonly number[],
  policy: DisclosurePolicy,
): OutcomeCount[] {
  const cells = values.map((value) => disclose(value, policy));
  const withheld = cells.filter((c) => c.suppressed === 'BELOW_THRESHOLD');
  if (withheld.length !== 1) return cells;
  let partner = -1;
  values.forEach((value, i) => {
    if (cells[i]?.value === null || value === 0) return;
    if (partner === -1 || value < (values[partner] ?? 0)) partner = i;
  });
  if (partner !== -1)
    cells[partner] = {
      value: null,
      suppressed: 'COMPLEMENTARY',
      partial: false,
    };
  return cells;
}

/**
 * The total of released cells: the sum of the values shown, `partial` when a
 * cell was withheld for size. It is computed from what the caller already
 * sees, so a total minus its parts is 0 for every caller and reveals nothing;
 * NOT_RECORDED when the cells are. Admins' cells are exact, so is their total.
 */
export function totalOfShown(cells: readonly OutcomeCount[]): OutcomeCount {
  if (cells.some((c) => c.suppressed === 'NOT_RECORDED')) return NOT_RECORDED;
  let value = 0;
  let partial = false;
  for (const cell of cells) {
    if (cell.value === null) partial = true;
    else value += cell.value;
    if (cell.partial) partial = true;
  }
  return { value, suppressed: null, partial };
}

/**
 * `part ÷ whole` of two disclosed counts; null when either is withheld or
 * partial, or the whole is 0 (a rate computed from a withheld count would
 * reveal it; one of lower bounds means nothing).
 */
export function rate(part: OutcomeCount, whole: OutcomeCount): number | null {
  if (part.value === null || whole.value === null || whole.value === 0)
    return null;
  if (part.partial || whole.partial) return null;
  return part.value / whole.value;
}

/**
 * `(now − before) ÷ before`; null without a previous period, after an empty
 * one, or when either is withheld.
 */
export function growthRate(
  now: OutcomeCount,
  before: OutcomeCount | undefined,
): number | null {
  if (!before || now.value === null || before.value === null) return null;
  if (before.value === 0) return null;
  return (now.value - before.value) / before.value;
}
