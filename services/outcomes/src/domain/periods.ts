import { InvalidInputError } from '@conecta/service-kit/errors';

/** The widths of a time series, narrowest first. */
export const GRANULARITIES = ['MONTH', 'QUARTER', 'YEAR'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** One calendar period (UTC): its label and first instant. */
export interface Period {
  /** `YYYY-MM`, `YYYY-Qn` or `YYYY`. */
  label: string;
  start: Date;
}

// 20 years of months: enough for any program's history, and a bound on the
// work one query may ask for.
const MAX_PERIODS = 240;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The period of `granularity` that contains `at` (UTC calendar). */
export function periodOf(at: Date, granularity: Granularity): Period {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  switch (granularity) {
    case 'MONTH':
      return {
        label: `${year}-${pad(month + 1)}`,
        start: new Date(Date.UTC(year, month, 1)),
      };
    case 'QUARTER': {
      const quarter = Math.floor(month / 3);
      return {
        label: `${year}-Q${quarter + 1}`,
        start: new Date(Date.UTC(year, quarter * 3, 1)),
      };
    }
    case 'YEAR':
      return { label: String(year), start: new Date(Date.UTC(year, 0, 1)) };
    default:
      return unreachable(granularity);
  }
}

function unreachable(value: never): never {
  throw new Error(`Unexpected granularity ${String(value)}`);
}

const STEP_MONTHS: Record<Granularity, number> = {
  MONTH: 1,
  QUARTER: 3,
  YEAR: 12,
};

/**
 * Every period of `granularity` from the one containing `from` to the one
 * containing `to`, in order (empty periods included, so series have no gaps).
 *
 * @throws InvalidInputError when `from` is after `to` or the span exceeds 240 months
 */
export function periodsBetween(
  from: Date,
  to: Date,
  granularity: Granularity,
): Period[] {
  if (from.getTime() > to.getTime())
    throw new InvalidInputError('from', 'from must not be after to');
  const first = periodOf(from, granularity).start;
  const last = periodOf(to, granularity).start;
  const months =
    (last.getUTCFullYear() - first.getUTCFullYear()) * 12 +
    (last.getUTCMonth() - first.getUTCMonth());
  if (months >= MAX_PERIODS)
    throw new InvalidInputError(
      'to',
      `the span may cover at most ${MAX_PERIODS} months`,
    );
  return listPeriods(first, months, granularity);
}

/** The periods of `granularity` from the one starting at `first`, over `months` months. */
function listPeriods(
  first: Date,
  months: number,
  granularity: Granularity,
): Period[] {
  const periods: Period[] = [];
  for (let m = 0; m <= months; m += STEP_MONTHS[granularity]) {
    const start = new Date(
      Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1),
    );
    periods.push(periodOf(start, granularity));
  }
  return periods;
}

const NAMES: Record<Granularity, string> = {
  MONTH: 'month',
  QUARTER: 'quarter',
  YEAR: 'year',
};

/** The first instant after the period of `granularity` that starts at `start`. */
export function endOf(start: Date, granularity: Granularity): Date {
  return new Date(
    Date.UTC(
      start.getUTCFullYear(),
      start.getUTCMonth() + STEP_MONTHS[granularity],
      1,
    ),
  );
}

/**
 * The periods of a public analytics span: `from` must be the first day of a
 * period of `granularity` and `to` the last day of one (2025-01-01 … 2025-06-30
 * for months or quarters, 2024-01-01 … 2025-12-31 for years). Only whole
 * calendar periods are answered, never an arbitrary span of days, so the
 * answers to all filters tile the same fixed grid of periods.
 *
 * @throws InvalidInputError naming `filter.from` or `filter.to` when either is
 *   not aligned, `to` is before `from`, or the span exceeds 240 months
 */
export function alignedPeriods(
  from: Date,
  to: Date,
  granularity: Granularity,
): Period[] {
  const name = NAMES[granularity];
  const first = periodOf(from, granularity);
  if (first.start.getTime() !== from.getTime())
    throw new InvalidInputError(
      'filter.from',
      `from must be the first day of a ${name} (e.g. ${first.start.toISOString().slice(0, 10)})`,
      'PERIOD_NOT_ALIGNED',
    );
  const last = periodOf(to, granularity);
  const lastDay = new Date(endOf(last.start, granularity).getTime() - DAY_MS);
  if (lastDay.getTime() !== to.getTime())
    throw new InvalidInputError(
      'filter.to',
      `to must be the last day of a ${name} (e.g. ${lastDay.toISOString().slice(0, 10)})`,
      'PERIOD_NOT_ALIGNED',
    );
  if (from.getTime() > to.getTime())
    throw new InvalidInputError('filter.to', 'to must not be before from');
  try {
    return periodsBetween(from, to, granularity);
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw new InvalidInputError('filter.to', error.message);
    throw error;
  }
}

const DAY_MS = 86_400_000;

/**
 * The granularity whose periods are the rows of `granularity`'s cells: the
 * months of a quarter, the quarters of a year (both are released on their
 * own, so a row's cells must not be differenced against them). Years have no
 * coarser released period.
 */
export function rowGranularity(granularity: Granularity): Granularity | null {
  switch (granularity) {
    case 'MONTH':
      return 'QUARTER';
    case 'QUARTER':
      return 'YEAR';
    case 'YEAR':
      return null;
    default:
      return unreachable(granularity);
  }
}

/**
 * Every period of `granularity` in the whole rows (quarters, years) that
 * `periods` touch, in order: what must be read to protect `periods`' cells
 * the same way whatever span is asked.
 */
export function rowPeriods(
  periods: readonly Period[],
  granularity: Granularity,
): Period[] {
  const row = rowGranularity(granularity);
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!row || !first || !last) return [...periods];
  const from = periodOf(first.start, row).start;
  const until = endOf(periodOf(last.start, row).start, row);
  const months =
    (until.getUTCFullYear() - from.getUTCFullYear()) * 12 +
    (until.getUTCMonth() - from.getUTCMonth()) -
    STEP_MONTHS[granularity];
  return listPeriods(from, months, granularity);
}

/** The label of the row (quarter, year) a period belongs to; the period's own for years. */
export function rowOf(period: Period, granularity: Granularity): string {
  const row = rowGranularity(granularity);
  return row ? periodOf(period.start, row).label : period.label;
}

/** The 12 calendar months ending with the month of `asOf`, oldest first. */
export function last12Months(asOf: Date): Period[] {
  const from = new Date(
    Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 11, 1),
  );
  return periodsBetween(from, asOf, 'MONTH');
}

const LABELS: Record<Granularity, RegExp> = {
  MONTH: /^(\d{4})-(0[1-9]|1[0-2])$/,
  QUARTER: /^(\d{4})-Q([1-4])$/,
  YEAR: /^(\d{4})$/,
};

/**
 * The period of `granularity` labelled `label` (`2025-05`, `2025-Q2`, `2025`).
 *
 * @throws Error when `label` is not a label of `granularity` (labels come from
 *   {@link periodOf}, never from a caller)
 */
export function parsePeriod(label: string, granularity: Granularity): Period {
  const match = LABELS[granularity].exec(label);
  if (!match) throw new Error(`${label} is not a ${NAMES[granularity]} label`);
  const year = Number(match[1]);
  const month =
    granularity === 'YEAR'
      ? 0
      : granularity === 'QUARTER'
        ? (Number(match[2]) - 1) * 3
        : Number(match[2]) - 1;
  return { label, start: new Date(Date.UTC(year, month, 1)) };
}

/**
 * The labels of the months in the periods of `granularity` labelled `labels`,
 * in order and each once (`2025-Q2` → `2025-04`, `2025-05`, `2025-06`): only
 * MONTH buckets are written, so a quarter or a year is read as its months.
 */
export function monthsOf(
  labels: readonly string[],
  granularity: Granularity,
): string[] {
  const months = new Set<string>();
  for (const label of labels) {
    const { start } = parsePeriod(label, granularity);
    for (const month of listPeriods(
      start,
      STEP_MONTHS[granularity] - 1,
      'MONTH',
    ))
      months.add(month.label);
  }
  return [...months];
}

/** The label of the period of `granularity` that contains the month labelled `month` (`2025-05` → `2025-Q2`, `2025`). */
export function periodOfMonth(month: string, granularity: Granularity): string {
  return periodOf(parsePeriod(month, 'MONTH').start, granularity).label;
}
