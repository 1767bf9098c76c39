import { InvalidInputError } from '@conecta/service-kit/errors';
import type { TargetKey } from './scope';
import { spanTotal, type SeriesSpan } from './series';
import {
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
  /** demand − supply; null when either is partial. */
  gap: number | null;
}

/** Per-target sums per period label (over the span's whole rows); null when the metric cannot be filtered so. */
export interface GapSums {
  demand: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null;
  trained: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null;
  /** Certificates (not revoked), per standard; null under a state filter. */
  certified: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null;
}

/** Rows a caller may ask for at once. */
export const MAX_GAPS = 500;

const EMPTY: ReadonlyMap<string, number> = new Map();

/**
 * The skill gaps of every target with demand or supply in the span, largest
 * gap first.
 *
 * Each of demand, trained and certified is the target's total over the span
 * as the sum of its released periods (see `spanTotal`): a period from 1 to
 * threshold − 1 is withheld and complemented within its row, and the total
 * then says `partial`. supply = trained + certified, the sum of the two
 * totals shown (so it reveals nothing they do not). Certificates are issued
 * against standards only, and carry no state: for a vendor credential, or
 * under a state filter, `certified` is NOT_RECORDED and supply is the trained
 * alone. gap = demand − supply, null when either is partial. The order uses
 * only what the caller sees — gap, then demand (withheld last), then the
 * target's id — so it cannot leak a withheld value.
 *
 * @throws InvalidInputError when `first` is not 1 … 500
 */
export function skillGaps(
  sums: GapSums,
  span: SeriesSpan,
  policy: DisclosurePolicy,
  first: number,
): SkillGap[] {
  if (!Number.isInteger(first) || first < 1 || first > MAX_GAPS)
    throw new InvalidInputError(
      'first',
      `first must be a whole number from 1 to ${MAX_GAPS}`,
    );
  const targets = new Set<TargetKey>([
    ...(sums.demand?.keys() ?? []),
    ...(sums.trained?.keys() ?? []),
    ...(sums.certified?.keys() ?? []),
  ]);
  const inSpan = (periods: ReadonlyMap<string, number> | undefined) =>
    span.periods.some(({ label }) => (periods?.get(label) ?? 0) !== 0);
  const rows: Array<SkillGap & { key: TargetKey }> = [];
  for (const key of targets) {
    const isStandard = key.startsWith('STANDARD:');
    const certified = isStandard ? sums.certified : null;
    if (
      !inSpan(sums.demand?.get(key)) &&
      !inSpan(sums.trained?.get(key)) &&
      !inSpan(certified?.get(key))
    )
      continue;
    const total = (
      of: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null,
    ) => spanTotal(of ? (of.get(key) ?? EMPTY) : null, span, policy);
    rows.push({
      key,
      ...gapOf(key, {
        demand: total(sums.demand),
        trained: total(sums.trained),
        certified: total(certified),
      }),
    });
  }
  rows.sort(byShownValues);
  return rows.slice(0, first).map(({ key: _key, ...row }) => row);
}

function gapOf(
  key: TargetKey,
  {
    demand,
    trained,
    certified,
  }: Record<'demand' | 'trained' | 'certified', OutcomeCount>,
): SkillGap {
  const parts =
    certified.suppressed === 'NOT_RECORDED' ? [trained] : [trained, certified];
  const supply: OutcomeCount =
    trained.suppressed === 'NOT_RECORDED'
      ? NOT_RECORDED
      : {
          value: parts.reduce((sum, p) => sum + (p.value ?? 0), 0),
          suppressed: null,
          partial: parts.some((p) => p.partial),
        };
  const gap =
    demand.value !== null &&
    supply.value !== null &&
    !demand.partial &&
    !supply.partial
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
