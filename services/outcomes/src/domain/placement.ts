import { isStateCode } from '@conecta/mexico';
import {
  InvalidInputError,
  type FieldProblem,
} from '@conecta/service-kit/errors';
import {
  disclose,
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

/**
 * Median and mean of (after − before) over `placements`. Both are null when
 * the count is withheld: a mean of a small group reveals its salaries.
 */
export function salaryUplift(
  placements: ReadonlyArray<
    Pick<Placement, 'salaryBeforeCentavos' | 'salaryAfterCentavos'>
  >,
  policy: DisclosurePolicy,
): SalaryUplift {
  const count = disclose(placements.length, policy);
  if (count.value === null || count.value === 0)
    return { placements: count, medianChange: null, meanChange: null };
  const changes = placements
    .map((p) => p.salaryAfterCentavos - p.salaryBeforeCentavos)
    .sort((a, b) => a - b);
  const middle = Math.floor(changes.length / 2);
  const median =
    changes.length % 2 === 1
      ? changes[middle]
      : (changes[middle - 1] + changes[middle]) / 2;
  const sum = changes.reduce((total, change) => total + change, 0);
  return {
    placements: count,
    medianChange: median,
    meanChange: sum / changes.length,
  };
}
