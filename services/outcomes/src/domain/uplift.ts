import { InvalidInputError } from '@conecta/service-kit/errors';
import {
  INPC_FIRST_MONTH,
  INPC_LAST_MONTH,
  deflate,
  inpcOf,
  monthOf,
  previousMonth,
  type Deflation,
} from './inpc';
import { periodOf, rowOf, type Period } from './periods';
import {
  salaryStats,
  salaryUpliftOver,
  type Placement,
  type SalaryUplift,
} from './placement';
import { protectedCells, type SeriesSpan } from './series';
import {
  disclose,
  totalOfShown,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

// Salary uplift in nominal and in real pesos, and newly employed people apart
// from people whose salary changed (issue 14, item 1). Pure; README, "Salary
// uplift".
//
// What the data says: a placement records the monthly salary of the new job
// (`salaryAfterCentavos`, paid from `startDate`) and the monthly salary the
// person had before it (`salaryBeforeCentavos`, 0 when unemployed), with no
// date of its own. "Before" is read as the salary of the month before the
// job started: each amount is in pesos of its own month — the after-salary
// of the start month, the before-salary of the month before — and both are
// expressed in pesos of one base month with Mexico's INPC (`inpc.ts`).

/** The salaries of a placement and when its job started. */
export type UpliftPlacement = Pick<
  Placement,
  'startDate' | 'salaryBeforeCentavos' | 'salaryAfterCentavos'
>;

/** One placement's salaries in pesos of the base month. */
export interface RealSalaries {
  /** The before-salary (of the month before the start) in pesos of the base month. */
  before: number;
  /** The after-salary (of the start month) in pesos of the base month. */
  after: number;
  /** after − before, both already in pesos of the base month. */
  change: number;
  /**
   * Whether the salary rose in real terms: after ÷ INPC(start month) >
   * before ÷ INPC(month before), compared exactly (integers), so it does not
   * depend on the base month or on rounding.
   */
  realRaise: boolean;
  deflatedWith: Deflation;
}

/**
 * A placement's salaries in pesos of `pricesOf` (`YYYY-MM`): the
 * after-salary deflated from the start month, the before-salary from the
 * month before it, each to the nearest centavo ({@link deflate}). Null when
 * a month it needs precedes the INPC table (a job starting before January
 * 2018 with a salary before it, or before December 2017 at all). A newly
 * employed person's before-salary is 0 in any month's pesos.
 */
export function realSalariesOf(
  placement: UpliftPlacement,
  pricesOf: string,
): RealSalaries | null {
  const start = monthOf(placement.startDate);
  const before = previousMonth(start);
  const after = deflate(placement.salaryAfterCentavos, start, pricesOf);
  const prior =
    placement.salaryBeforeCentavos === 0
      ? { centavos: 0, deflatedWith: 'PUBLISHED' as const }
      : deflate(placement.salaryBeforeCentavos, before, pricesOf);
  if (!after || !prior) return null;
  const startIndex = inpcOf(start)!;
  const beforeIndex =
    placement.salaryBeforeCentavos === 0 ? startIndex : inpcOf(before)!;
  return {
    before: prior.centavos,
    after: after.centavos,
    change: after.centavos - prior.centavos,
    realRaise:
      BigInt(placement.salaryAfterCentavos) * BigInt(beforeIndex.thousandths) >
      BigInt(placement.salaryBeforeCentavos) * BigInt(startIndex.thousandths),
    deflatedWith:
      after.deflatedWith === 'CARRIED_FORWARD' ||
      prior.deflatedWith === 'CARRIED_FORWARD'
        ? 'CARRIED_FORWARD'
        : 'PUBLISHED',
  };
}

/**
 * The base month of real figures: `asked`'s month (any day of it), or the
 * last month of the INPC table when none is asked.
 *
 * @throws InvalidInputError on `pricesOf` for a month before the table
 */
export function pricesMonth(asked: Date | null | undefined): string {
  if (!asked) return INPC_LAST_MONTH;
  const month = monthOf(asked);
  if (month < INPC_FIRST_MONTH)
    throw new InvalidInputError(
      'pricesOf',
      `pricesOf must be in ${INPC_FIRST_MONTH} or later (the INPC table starts there)`,
    );
  return month;
}

/** Median and mean in real pesos, and how they were deflated. */
export interface RealStats {
  median: number | null;
  mean: number | null;
  /** Null when no figure is given. */
  deflatedWith: Deflation | null;
}

/**
 * Median and mean of `pick(real salaries)` over `placements`, by the rules of
 * {@link salaryStats} (exact for admins, else over at least the threshold's
 * count and rounded to 500 MXN); all null when one of them cannot be
 * deflated (a month before the table): a real figure over part of the
 * people would not be the figure asked for.
 */
function realStats(
  placements: readonly UpliftPlacement[],
  pricesOf: string,
  pick: (real: RealSalaries) => number,
  policy: DisclosurePolicy,
): RealStats {
  const real = placements.map((p) => realSalariesOf(p, pricesOf));
  if (real.some((r) => r === null))
    return { median: null, mean: null, deflatedWith: null };
  const known = real as RealSalaries[];
  const { median, mean } = salaryStats(known.map(pick), policy);
  if (median === null) return { median, mean, deflatedWith: null };
  const carried =
    inpcOf(pricesOf)!.deflatedWith === 'CARRIED_FORWARD' ||
    known.some((r) => r.deflatedWith === 'CARRIED_FORWARD');
  return {
    median,
    mean,
    deflatedWith: carried ? 'CARRIED_FORWARD' : 'PUBLISHED',
  };
}

/** The salary change of placed people, nominal and real: what a project's or program's returns show. */
export interface SalaryChangeFigures {
  median: number | null;
  mean: number | null;
  realMedian: number | null;
  realMean: number | null;
  /** The month whose pesos the real figures are in (`YYYY-MM`). */
  pricesOf: string;
  /** Null when no real figure is given. */
  deflatedWith: Deflation | null;
}

/**
 * Median and mean of after − before over `placements`, in nominal pesos and
 * in pesos of `pricesOf` (default the INPC table's last month), by the rules
 * of {@link salaryStats}.
 */
export function salaryChangeFigures(
  placements: readonly UpliftPlacement[],
  policy: DisclosurePolicy,
  pricesOf: string = INPC_LAST_MONTH,
): SalaryChangeFigures {
  const nominal = salaryStats(
    placements.map((p) => p.salaryAfterCentavos - p.salaryBeforeCentavos),
    policy,
  );
  const real = realStats(placements, pricesOf, (r) => r.change, policy);
  return {
    ...nominal,
    realMedian: real.median,
    realMean: real.mean,
    pricesOf,
    deflatedWith: real.deflatedWith,
  };
}

// ---------------------------------------------------------------------------
// Newly employed apart from people whose salary changed, protected per period.

/**
 * The parts a period's placements are split into: newly employed (no salary
 * before) and previously employed (a salary before), and the latter into
 * those whose salary rose in real terms and the rest.
 */
export type UpliftPart = 'newly' | 'previously' | 'raised' | 'notRaised';
const PARTS: readonly UpliftPart[] = [
  'newly',
  'previously',
  'raised',
  'notRaised',
];
const PARENT: Record<UpliftPart, UpliftPart | 'total'> = {
  newly: 'total',
  previously: 'total',
  raised: 'previously',
  notRaised: 'previously',
};
const SIBLING: Record<UpliftPart, UpliftPart> = {
  newly: 'previously',
  previously: 'newly',
  raised: 'notRaised',
  notRaised: 'raised',
};

/** Which part a placement is in, besides newly/previously: null when its real raise is unknown. */
function partsOf(
  placement: UpliftPlacement,
  pricesOf: string,
): UpliftPart[] | null {
  if (placement.salaryBeforeCentavos === 0) return ['newly'];
  const real = realSalariesOf(placement, pricesOf);
  if (!real) return null;
  return ['previously', real.realRaise ? 'raised' : 'notRaised'];
}

const withheldCell = (
  value: number,
  policy: DisclosurePolicy,
): OutcomeCount => ({
  value: null,
  suppressed:
    value > 0 && value < policy.threshold ? 'BELOW_THRESHOLD' : 'COMPLEMENTARY',
  partial: false,
});
const NOT_KNOWN: OutcomeCount = {
  value: null,
  suppressed: 'NOT_RECORDED',
  partial: false,
};

/**
 * The released cell of every part in every period of `span.rows`, given the
 * total's cells (`protectedCells`, unchanged) and each part's exact counts.
 * Every part is a count like any other (withheld from 1 to threshold − 1,
 * rounded to 5), and two kinds of sums are released, so each gets the
 * complementary rule of `protectRow`:
 *
 * - a period's parts add up to its total (newly + previously = placements,
 *   raised + not raised = previously): when exactly one part is withheld,
 *   the other is too; when the whole is withheld, so is every non-zero part
 *   (else a part could show what the whole hides);
 * - a part's periods add up to the part of the coarser period (the months of
 *   a quarter, asked by QUARTER): when exactly one is withheld, the smallest
 *   other non-zero one is too — preferring one whose sibling is non-zero, so
 *   that withholding it does not leave its whole equal to the sibling shown.
 *
 * Applied one withholding at a time until none applies (cells are only ever
 * withheld, so it ends).
 * Admins see every count exactly. A period where the real raise of some
 * placement is unknown (a month before the INPC table) has its raised and
 * not-raised cells NOT_RECORDED and out of these rules.
 */
export function upliftPartCells(
  totals: ReadonlyMap<string, OutcomeCount>,
  counts: Record<UpliftPart, ReadonlyMap<string, number>>,
  unknownRaise: ReadonlySet<string>,
  span: SeriesSpan,
  policy: DisclosurePolicy,
): Record<UpliftPart, Map<string, OutcomeCount>> {
  const count = (part: UpliftPart, label: string) =>
    counts[part].get(label) ?? 0;
  const known = (part: UpliftPart, label: string) =>
    !((part === 'raised' || part === 'notRaised') && unknownRaise.has(label));
  const cells = Object.fromEntries(
    PARTS.map((part) => [part, new Map<string, OutcomeCount>()]),
  ) as Record<UpliftPart, Map<string, OutcomeCount>>;
  const cell = (part: UpliftPart | 'total', label: string): OutcomeCount =>
    (part === 'total' ? totals.get(label) : cells[part].get(label)) ??
    NOT_KNOWN;
  const isWithheld = (part: UpliftPart, label: string) =>
    known(part, label) && cell(part, label).value === null;
  const withhold = (part: UpliftPart, label: string) =>
    cells[part].set(label, withheldCell(count(part, label), policy));

  // Primary: each part as any count, parents before their children.
  for (const { label } of span.rows)
    for (const part of PARTS) {
      if (!known(part, label)) cells[part].set(label, NOT_KNOWN);
      else if (
        !policy.revealAll &&
        cell(PARENT[part], label).value === null &&
        count(part, label) > 0
      )
        withhold(part, label);
      else cells[part].set(label, disclose(count(part, label), policy));
    }
  if (policy.revealAll) return cells;

  const rows = new Map<string, Period[]>();
  for (const period of span.rows) {
    const row = rowOf(period, span.granularity);
    rows.set(row, [...(rows.get(row) ?? []), period]);
  }
  // One change at a time, the rules within a period first: a complement is
  // then chosen knowing every cell the periods' own sums already withhold.
  const step = (): boolean => {
    // A period's parts against their whole.
    for (const { label } of span.rows)
      for (const part of PARTS) {
        if (!known(part, label) || isWithheld(part, label)) continue;
        if (count(part, label) === 0) continue;
        if (
          cell(PARENT[part], label).value === null ||
          isWithheld(SIBLING[part], label)
        ) {
          withhold(part, label);
          return true;
        }
      }
    // A shown sub-whole (previously) whose only non-zero part is withheld
    // would show that part: withhold it too (the total's cells stay as
    // `protectedCells` released them).
    for (const { label } of span.rows) {
      if (!known('raised', label) || isWithheld('previously', label)) continue;
      const hidden = (['raised', 'notRaised'] as const).filter((p) =>
        isWithheld(p, label),
      );
      if (hidden.length === 1 && count(SIBLING[hidden[0]!], label) === 0) {
        withhold('previously', label);
        return true;
      }
    }
    // A part's periods against the coarser period's part.
    for (const periods of rows.values())
      for (const part of PARTS) {
        const labels = periods
          .map((p) => p.label)
          .filter((label) => known(part, label));
        if (labels.filter((label) => isWithheld(part, label)).length !== 1)
          continue;
        const candidates = labels.filter(
          (label) => !isWithheld(part, label) && count(part, label) > 0,
        );
        const safe = candidates.filter(
          (label) => count(SIBLING[part], label) > 0,
        );
        let partner: string | undefined;
        for (const label of safe.length > 0 ? safe : candidates)
          if (
            partner === undefined ||
            count(part, label) < count(part, partner)
          )
            partner = label;
        if (partner !== undefined) {
          withhold(part, partner);
          return true;
        }
      }
    return false;
  };
  while (step());
  return cells;
}

/** Newly employed people: their new salary, nominal and real. */
export interface NewlyEmployedFigures {
  /** Placements of people with no salary before, over the periods where this part is shown. */
  placements: OutcomeCount;
  medianSalary: number | null;
  meanSalary: number | null;
  realMedianSalary: number | null;
  realMeanSalary: number | null;
}

/** People who had a salary before: its change, nominal and real, and how many rose in real terms. */
export interface PreviouslyEmployedFigures {
  placements: OutcomeCount;
  medianChange: number | null;
  meanChange: number | null;
  realMedianChange: number | null;
  realMeanChange: number | null;
  /** Of them, those whose salary rose in real terms (periods where shown). */
  realRaises: OutcomeCount;
  /** realRaises ÷ (realRaises + the others), of the shown counts; null when either is withheld or partial. */
  realRaiseShare: number | null;
}

/** What `salaryUplift` answers. */
export interface SalaryUpliftReport extends SalaryUplift {
  realMedianChange: number | null;
  realMeanChange: number | null;
  /** The month whose pesos real figures are in (`YYYY-MM`). */
  pricesOf: string;
  /** How the real figures given were deflated; null when none is given. */
  deflatedWith: Deflation | null;
  newlyEmployed: NewlyEmployedFigures;
  previouslyEmployed: PreviouslyEmployedFigures;
}

/**
 * The salary uplift over a span of whole periods (README, "Salary uplift"):
 * the nominal figures of {@link salaryUpliftOver}, unchanged; the same in
 * real pesos of `pricesOf`; and the placements split into newly employed
 * (no salary before: their new salary) and previously employed (a salary
 * before: its change, and how many rose in real terms), each part protected
 * per period (`upliftPartCells`) and its statistics computed over the
 * placements of the periods where it is shown. Pure.
 */
export function salaryUpliftReport(
  placements: readonly UpliftPlacement[],
  span: SeriesSpan,
  policy: DisclosurePolicy,
  pricesOf: string = INPC_LAST_MONTH,
): SalaryUpliftReport {
  const nominal = salaryUpliftOver(placements, span, policy);
  const byPeriod = new Map<string, UpliftPlacement[]>();
  for (const placement of placements) {
    const { label } = periodOf(placement.startDate, span.granularity);
    byPeriod.set(label, [...(byPeriod.get(label) ?? []), placement]);
  }
  const totals = protectedCells(
    new Map([...byPeriod].map(([label, list]) => [label, list.length])),
    span,
    policy,
  );
  const counts = Object.fromEntries(
    PARTS.map((part) => [part, new Map<string, number>()]),
  ) as Record<UpliftPart, Map<string, number>>;
  const members = Object.fromEntries(
    PARTS.map((part) => [part, new Map<string, UpliftPlacement[]>()]),
  ) as Record<UpliftPart, Map<string, UpliftPlacement[]>>;
  const unknownRaise = new Set<string>();
  for (const [label, list] of byPeriod)
    for (const placement of list) {
      const parts = partsOf(placement, pricesOf);
      if (!parts) unknownRaise.add(label);
      for (const part of parts ?? ['previously' as const]) {
        counts[part].set(label, (counts[part].get(label) ?? 0) + 1);
        members[part].set(label, [
          ...(members[part].get(label) ?? []),
          placement,
        ]);
      }
    }
  const cells = upliftPartCells(totals, counts, unknownRaise, span, policy);
  const shownOf = (part: UpliftPart | 'total') => {
    const partCells = part === 'total' ? totals : cells[part];
    return span.periods.flatMap(({ label }) =>
      partCells.get(label)?.value === null
        ? []
        : ((part === 'total' ? byPeriod : members[part]).get(label) ?? []),
    );
  };
  const totalOf = (part: UpliftPart) =>
    totalOfShown(span.periods.map(({ label }) => cells[part].get(label)!));

  const all = shownOf('total');
  const real = realStats(all, pricesOf, (r) => r.change, policy);

  const newly = shownOf('newly');
  const newSalary = salaryStats(
    newly.map((p) => p.salaryAfterCentavos),
    policy,
  );
  const realNewSalary = realStats(newly, pricesOf, (r) => r.after, policy);

  const previously = shownOf('previously');
  const change = salaryStats(
    previously.map((p) => p.salaryAfterCentavos - p.salaryBeforeCentavos),
    policy,
  );
  const realChange = realStats(previously, pricesOf, (r) => r.change, policy);
  const raised = totalOf('raised');
  const notRaised = totalOf('notRaised');

  const flags = [real, realNewSalary, realChange].map((r) => r.deflatedWith);
  return {
    ...nominal,
    realMedianChange: real.median,
    realMeanChange: real.mean,
    pricesOf,
    deflatedWith: flags.includes('CARRIED_FORWARD')
      ? 'CARRIED_FORWARD'
      : flags.includes('PUBLISHED')
        ? 'PUBLISHED'
        : null,
    newlyEmployed: {
      placements: totalOf('newly'),
      medianSalary: newSalary.median,
      meanSalary: newSalary.mean,
      realMedianSalary: realNewSalary.median,
      realMeanSalary: realNewSalary.mean,
    },
    previouslyEmployed: {
      placements: totalOf('previously'),
      medianChange: change.median,
      meanChange: change.mean,
      realMedianChange: realChange.median,
      realMeanChange: realChange.mean,
      realRaises: raised,
      realRaiseShare: shareOf(raised, notRaised),
    },
  };
}

/** `part ÷ (part + rest)` of two shown, whole counts; null when either is withheld or partial, or both are 0. */
function shareOf(part: OutcomeCount, rest: OutcomeCount): number | null {
  if (part.value === null || rest.value === null) return null;
  if (part.partial || rest.partial) return null;
  const whole = part.value + rest.value;
  return whole === 0 ? null : part.value / whole;
}

/**
 * The answer for a filter placements cannot honour (a standard or a
 * credential: placements record a state and a sector, not a target): every
 * count NOT_RECORDED, no figure.
 */
export function notRecordedUplift(pricesOf: string): SalaryUpliftReport {
  return {
    placements: NOT_KNOWN,
    medianChange: null,
    meanChange: null,
    realMedianChange: null,
    realMeanChange: null,
    pricesOf,
    deflatedWith: null,
    newlyEmployed: {
      placements: NOT_KNOWN,
      medianSalary: null,
      meanSalary: null,
      realMedianSalary: null,
      realMeanSalary: null,
    },
    previouslyEmployed: {
      placements: NOT_KNOWN,
      medianChange: null,
      meanChange: null,
      realMedianChange: null,
      realMeanChange: null,
      realRaises: NOT_KNOWN,
      realRaiseShare: null,
    },
  };
}
