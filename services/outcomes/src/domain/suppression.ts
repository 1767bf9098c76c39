/** Why a count is withheld (the GraphQL enum SuppressionReason). */
export type SuppressionReason = 'BELOW_THRESHOLD' | 'NOT_RECORDED';

/** A count as a caller sees it: `value` is null exactly when `suppressed` says why. */
export interface OutcomeCount {
  value: number | null;
  suppressed: SuppressionReason | null;
}

/** Who sees what: counts in 1 … threshold − 1 are withheld unless `revealAll`. */
export interface DisclosurePolicy {
  /** Smallest count shown to non-admins (SUPPRESSION_THRESHOLD, default 5). */
  threshold: number;
  /** Admins see every value. */
  revealAll: boolean;
}

/**
 * Applies small-group suppression to one count. Zero is shown: it reveals no
 * one (the absence of a group), and hiding it would hide "no demand" signals.
 */
export function disclose(
  value: number,
  policy: DisclosurePolicy,
): OutcomeCount {
  if (!policy.revealAll && value > 0 && value < policy.threshold)
    return { value: null, suppressed: 'BELOW_THRESHOLD' };
  return { value, suppressed: null };
}

/** A count the read models cannot give for the filter asked. */
export const NOT_RECORDED: OutcomeCount = {
  value: null,
  suppressed: 'NOT_RECORDED',
};

/**
 * `part ÷ whole` of two disclosed counts; null when either is withheld or the
 * whole is 0 (a rate computed from a withheld count would reveal it).
 */
export function rate(part: OutcomeCount, whole: OutcomeCount): number | null {
  if (part.value === null || whole.value === null || whole.value === 0)
    return null;
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
