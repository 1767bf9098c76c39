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
  const periods: Period[] = [];
  for (let m = 0; m <= months; m += STEP_MONTHS[granularity]) {
    const start = new Date(
      Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1),
    );
    periods.push(periodOf(start, granularity));
  }
  return periods;
}

/** The 12 calendar months ending with the month of `asOf`, oldest first. */
export function last12Months(asOf: Date): Period[] {
  const from = new Date(
    Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 11, 1),
  );
  return periodsBetween(from, asOf, 'MONTH');
}
