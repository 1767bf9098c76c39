import { isStateCode } from '@conecta/mexico';
import {
  ConflictError,
  InvalidInputError,
  type FieldProblem,
} from '@conecta/service-kit/errors';
import { periodOf } from './periods';
import { protectedCells, type SeriesSpan } from './series';
import {
  SALARY_STEP_CENTAVOS,
  disclose,
  roundTo,
  totalOfShown,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/** A person hired by an employer organization. Salaries are monthly centavos. */
export interface Placement {
  id: string;
  personId: string;
  employerId: string;
  jobTitle: string;
  sectorId: string;
  state: string;
  /** UTC midnight of the first day of work. */
  startDate: Date;
  salaryBeforeCentavos: number;
  salaryAfterCentavos: number;
  recordedAt: Date;
}

/**
 * A placement's natural key (issue 13, item 5): one person starts one job
 * with one employer on one day. A second record of it — a retry after a
 * gateway timeout, a double click, a loader run twice — is the same fact,
 * however its title or salaries are spelled; the same person starting with
 * the same employer on another day (a return, a second contract) is a new
 * placement. Enforced by a unique index on these three fields, so two
 * concurrent records cannot both pass.
 */
export const PLACEMENT_NATURAL_KEY = [
  'personId',
  'employerId',
  'startDate',
] as const satisfies ReadonlyArray<keyof Placement>;

/**
 * A second record of a recorded placement (same person, employer and start
 * day): `CONFLICT` with reason `PLACEMENT_EXISTS`, naming the existing
 * placement in `extensions.existingId` so a client that retried can read it.
 */
export class PlacementExistsError extends ConflictError {
  constructor(readonly existingId: string) {
    super(
      'PLACEMENT_EXISTS',
      `This placement is already recorded as ${existingId} (the same person, employer and start date); read it instead of recording it again`,
    );
  }

  override get details(): Readonly<Record<string, unknown>> {
    return { existingId: this.existingId };
  }
}

/** What a caller asks to record. */
export interface PlacementInput {
  personId: string;
  employerId: string;
  jobTitle: string;
  sectorId: string;
  state: string;
  startDate: Date;
  salaryBefore: number;
  salaryAfter: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TITLE = 200;

/**
 * A new placement from `input`, every bad field reported at once.
 *
 * @throws InvalidInputError naming each bad field
 */
export function newPlacement(
  id: string,
  input: PlacementInput,
  now: Date,
): Placement {
  const problems: FieldProblem[] = [];
  for (const field of ['personId', 'employerId', 'sectorId'] as const)
    if (!UUID.test(input[field]))
      problems.push({ field, message: `${field} must be a UUID` });
  const jobTitle = input.jobTitle.trim();
  if (jobTitle.length === 0 || jobTitle.length > MAX_TITLE)
    problems.push({
      field: 'jobTitle',
      message: `jobTitle must have 1 to ${MAX_TITLE} characters`,
    });
  if (!isStateCode(input.state))
    problems.push({
      field: 'state',
      message: 'state must be an ISO 3166-2:MX code, e.g. MX-JAL',
    });
  if (problems.length > 0) throw InvalidInputError.fromProblems(problems);
  return {
    id,
    personId: input.personId,
    employerId: input.employerId,
    jobTitle,
    sectorId: input.sectorId,
    state: input.state,
    startDate: input.startDate,
    salaryBeforeCentavos: input.salaryBefore,
    salaryAfterCentavos: input.salaryAfter,
    recordedAt: now,
  };
}

/** Salary change statistics as a caller sees them. */
export interface SalaryUplift {
  placements: OutcomeCount;
  medianChange: number | null;
  meanChange: number | null;
}

type Salaries = Pick<Placement, 'salaryBeforeCentavos' | 'salaryAfterCentavos'>;

/**
 * Median (the mean of the two middle ones for an even count) and mean (sum ÷
 * count) of `values` (centavos), exact for admins; for everyone else rounded
 * to the nearest 500 MXN ({@link SALARY_STEP_CENTAVOS}) and given only over at
 * least the threshold's count. Both null over nothing.
 */
export function salaryStats(
  values: readonly number[],
  policy: DisclosurePolicy,
): { median: number | null; mean: number | null } {
  if (
    values.length === 0 ||
    (!policy.revealAll && values.length < policy.threshold)
  )
    return { median: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? sorted[middle]!
      : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const mean = sorted.reduce((total, c) => total + c, 0) / sorted.length;
  const shown = (value: number) =>
    policy.revealAll ? value : roundTo(value, SALARY_STEP_CENTAVOS);
  return { median: shown(median), mean: shown(mean) };
}

/**
 * Median and mean of (after − before) over `placements` (nominal), by
 * {@link salaryStats}' rules.
 */
function changeStats(
  placements: readonly Salaries[],
  policy: DisclosurePolicy,
): Pick<SalaryUplift, 'medianChange' | 'meanChange'> {
  const { median, mean } = salaryStats(
    placements.map((p) => p.salaryAfterCentavos - p.salaryBeforeCentavos),
    policy,
  );
  return { medianChange: median, meanChange: mean };
}

/**
 * An employer's hiring (all its placements, one released figure): the count
 * as {@link disclose} shows it, and the salary change statistics only when it
 * is shown (rounded, see `changeStats`).
 */
export function salaryUplift(
  placements: readonly Salaries[],
  policy: DisclosurePolicy,
): SalaryUplift {
  const count = disclose(placements.length, policy);
  if (count.value === null || count.value === 0)
    return { placements: count, medianChange: null, meanChange: null };
  return { placements: count, ...changeStats(placements, policy) };
}

/**
 * The salary uplift over a span of whole periods. Placements are counted per
 * period of `span.granularity` like the supply series (withheld from 1 to
 * threshold − 1, complemented per row, rounded); `placements` is the sum of
 * the periods shown (`partial` when some are withheld) and the median and
 * mean are over the placements of those periods only. So two answers can only
 * differ by whole released periods — each of at least the threshold's people
 * — never by one person, and the rounding keeps even those sums unreadable.
 */
export function salaryUpliftOver(
  placements: ReadonlyArray<Salaries & Pick<Placement, 'startDate'>>,
  span: SeriesSpan,
  policy: DisclosurePolicy,
): SalaryUplift {
  const byPeriod = new Map<string, Array<Salaries>>();
  for (const placement of placements) {
    const { label } = periodOf(placement.startDate, span.granularity);
    byPeriod.set(label, [...(byPeriod.get(label) ?? []), placement]);
  }
  const counts = new Map(
    [...byPeriod].map(([label, list]) => [label, list.length]),
  );
  const cells = protectedCells(counts, span, policy);
  const shown = span.periods.flatMap(({ label }) =>
    cells.get(label)?.value === null ? [] : (byPeriod.get(label) ?? []),
  );
  const count = totalOfShown(
    span.periods.map(({ label }) => cells.get(label)!),
  );
  return { placements: count, ...changeStats(shown, policy) };
}
