import { InvalidInputError } from '@conecta/service-kit/errors';
import type { TargetKey } from './scope';
import {
  disclose,
  NOT_RECORDED,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/** Demand against supply for one target, as a caller sees it. */
export interface SkillGap {
  standard: { id: string } | null;
  credential: { id: string } | null;
  demand: OutcomeCount;
  trained: OutcomeCount;
  certified: OutcomeCount;
  supply: OutcomeCount;
  /** demand − supply; null when either is withheld. */
  gap: number | null;
}

/** Per-target totals over a span; null when the metric cannot be filtered so. */
export interface GapTotals {
  demand: ReadonlyMap<TargetKey, number> | null;
  trained: ReadonlyMap<TargetKey, number> | null;
  /** Certificates (not revoked), per standard; null under a state filter. */
  certified: ReadonlyMap<TargetKey, number> | null;
}

/** Rows a caller may ask for at once. */
export const MAX_GAPS = 500;

/**
 * The skill gaps of every target with demand or supply, largest gap first.
 *
 * supply = trained + certified. Certificates are issued against standards
 * only, and carry no state: for a vendor credential, or under a state filter,
 * `certified` is NOT_RECORDED and supply is the trained alone. A supply or gap
 * computed from a withheld count is withheld too (it would reveal it). The
 * order uses only what the caller sees — gap, then demand (withheld last),
 * then the target's id — so it cannot leak a withheld value.
 *
 * @throws InvalidInputError when `first` is not 1 … 500
 */
export function skillGaps(
  totals: GapTotals,
  policy: DisclosurePolicy,
  first: number,
): SkillGap[] {
  if (!Number.isInteger(first) || first < 1 || first > MAX_GAPS)
    throw new InvalidInputError(
      'first',
      `first must be a whole number from 1 to ${MAX_GAPS}`,
    );
  const targets = new Set<TargetKey>([
    ...(totals.demand?.keys() ?? []),
    ...(totals.trained?.keys() ?? []),
    ...(totals.certified?.keys() ?? []),
  ]);
  const rows: Array<SkillGap & { key: TargetKey }> = [];
  for (const key of targets) {
    const demand = totals.demand?.get(key) ?? 0;
    const trained = totals.trained?.get(key) ?? 0;
    const isStandard = key.startsWith('STANDARD:');
    const certifiedRecorded = isStandard && totals.certified !== null;
    const certified = certifiedRecorded ? (totals.certified?.get(key) ?? 0) : 0;
    if (demand === 0 && trained === 0 && certified === 0) continue;
    rows.push({
      key,
      ...gapOf(
        key,
        { demand, trained, certified },
        {
          demand: totals.demand !== null,
          trained: totals.trained !== null,
          certified: certifiedRecorded,
        },
        policy,
      ),
    });
  }
  rows.sort(byShownValues);
  return rows.slice(0, first).map(({ key: _key, ...row }) => row);
}

function gapOf(
  key: TargetKey,
  counts: { demand: number; trained: number; certified: number },
  recorded: { demand: boolean; trained: boolean; certified: boolean },
  policy: DisclosurePolicy,
): SkillGap {
  const show = (value: number, isRecorded: boolean) =>
    isRecorded ? disclose(value, policy) : NOT_RECORDED;
  const demand = show(counts.demand, recorded.demand);
  const trained = show(counts.trained, recorded.trained);
  const certified = show(counts.certified, recorded.certified);
  const parts = recorded.certified ? [trained, certified] : [trained];
  const supply: OutcomeCount = !recorded.trained
    ? NOT_RECORDED
    : parts.some((p) => p.suppressed === 'BELOW_THRESHOLD')
      ? { value: null, suppressed: 'BELOW_THRESHOLD' }
      : disclose(
          counts.trained + (recorded.certified ? counts.certified : 0),
          policy,
        );
  const gap =
    demand.value !== null && supply.value !== null
      ? demand.value - supply.value
      : null;
  const id = key.slice(key.indexOf(':') + 1);
  return {
    standard: key.startsWith('STANDARD:') ? { id } : null,
    credential: key.startsWith('CREDENTIAL:') ? { id } : null,
    demand,
    trained,
    certified,
    supply,
    gap,
  };
}

/** Larger first, withheld (null) last. */
const descendingShown = (a: number | null, b: number | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a;

function byShownValues(
  a: SkillGap & { key: TargetKey },
  b: SkillGap & { key: TargetKey },
): number {
  return (
    descendingShown(a.gap, b.gap) ||
    descendingShown(a.demand.value, b.demand.value) ||
    a.key.localeCompare(b.key)
  );
}
