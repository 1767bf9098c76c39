import { InvalidInputError } from '@conecta/service-kit/errors';
import type { TargetKey } from './scope';
import { spanTotal, type SeriesSpan } from './series';
import type { DisclosurePolicy, OutcomeCount } from './suppression';

/** Demand against supply for one target, as a caller sees it. */
export interface SkillGap {
  standard: { id: string } | null;
  credential: { id: string } | null;
  demand: OutcomeCount;
  trained: OutcomeCount;
  certified: OutcomeCount;
  /** Distinct people who became supply of the target in the span (`supplyEntries`). */
  supply: OutcomeCount;
  /** demand − supply; null when either is partial. */
  gap: number | null;
}

/** Per-target sums per period label (over the span's whole rows); null when the metric cannot be filtered so. */
export interface GapSums {
  demand: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null;
  trained: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null;
  /** Certificates (not revoked), per standard (in the state they were evaluated in, under a state filter). */
  certified: ReadonlyMap<TargetKey, ReadonlyMap<string, number>> | null;
  /** Distinct people per target, each in the period they first became supply of it (`supplyEntries`). */
  supply: ReadonlyMap<TargetKey, ReadonlyMap<string, number>>;
}

/** Rows a caller may ask for at once. */
export const MAX_GAPS = 500;

const EMPTY: ReadonlyMap<string, number> = new Map();

/**
 * The skill gaps of every target with demand or supply in the span, largest
 * gap first.
 *
 * Each of demand, trained, certified and supply is the target's total over
 * the span as the sum of its released periods (see `spanTotal`): a period
 * from 1 to threshold − 1 is withheld and complemented within its row, and
 * the total then says `partial`. supply counts distinct people: each person
 * once per target, in the period of their first enrollment for it or first
 * certificate on it (`supplyEntries`), so someone trained and then certified
 * is one person of supply, not two (issue 14, item 2). trained and certified
 * are still the facts (enrollments, certificates) of the span. Certificates
 * are issued against standards only: for a vendor credential `certified` is
 * NOT_RECORDED and supply is its trained people. gap = demand − supply, null
 * when either is partial. The order uses only what the caller sees — gap,
 * then demand (withheld last), then the target's id — so it cannot leak a
 * withheld value.
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
    ...sums.supply.keys(),
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
      !inSpan(certified?.get(key)) &&
      !inSpan(sums.supply.get(key))
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
        supply: total(sums.supply),
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
    supply,
  }: Record<'demand' | 'trained' | 'certified' | 'supply', OutcomeCount>,
): SkillGap {
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
