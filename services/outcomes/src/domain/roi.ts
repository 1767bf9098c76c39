import { isStateCode } from '@conecta/mexico';
import { InvalidInputError } from '@conecta/service-kit/errors';
import { funnelCells } from './funnel';
import {
  FUNNEL_STAGES,
  funnelStageOf,
  type FunnelCounts,
  type FunnelStage,
  type PersonRecord,
} from './people';
import type { Placement } from './placement';
import type { Catalog } from './scope';
import type { SeriesSpan } from './series';
import { salaryChangeFigures, type SalaryChangeFigures } from './uplift';
import {
  rate,
  totalOfShown,
  type DisclosurePolicy,
  type OutcomeCount,
  type SuppressionReason,
} from './suppression';

// Return on investment of publicly co-funded training (issue 14, item 2):
// what a public fund paid for a training project against the people it
// trained, certified and placed, and their salary change. The people are
// counted by the funnel's own rules (`funnelStageOf`), over the enrollments
// in the project's cohorts; the counts are protected by the funnel's own
// suppression (`cohortFunnel`), each project being one cell. Pure.

/** Where a funded project stands: approved and open, or closed (settled). */
export type FundedStatus = 'APPROVED' | 'CLOSED';

/** What training's Prosoft-style settlement said when the project closed. */
export interface FundingSettlementFacts {
  /** What the fund owes: upfront + per certified trainee, capped at the contribution. */
  owedCentavos: number;
  /** Trainees training counted as certified at close (its own rule: drop-outs excluded, completion not required). */
  certified: number;
}

/** A project a public fund approved, as the `projects` read model holds it. */
export interface FundedProject {
  id: string;
  name: string;
  /** The public fund (program) it applied to: `ProjectDrafted.fundName`. */
  fundName: string;
  approvedAt: Date;
  closedAt: Date | null;
  /** The approved public contribution: `ProjectApproved.fundContributionCentavos`. */
  contributionCentavos: number;
  /** Present when it closed with a funding split (`ProjectClosed.settlement`). */
  settlement: FundingSettlementFacts | null;
  /** Its cohorts (`CohortScheduled.projectId`). */
  cohortIds: readonly string[];
}

/** Public money of one project, exact (before disclosure). */
export interface ProjectFunds {
  status: FundedStatus;
  /** The approved contribution: what the fund committed. */
  committed: number;
  /** What the fund paid out once closed; null while the project is open. */
  spent: number | null;
}

/**
 * The public money of a funded project (README, Return on investment):
 * committed = the approved contribution; spent = what the fund owes at close —
 * the settlement's owed amount with a funding split (upfront + per certified
 * trainee, capped), the whole contribution without one — and null while the
 * project is open: nothing is settled yet, and a split project's payment
 * depends on certifications still to come.
 */
export function fundsOf(project: FundedProject): ProjectFunds {
  if (!project.closedAt)
    return {
      status: 'APPROVED',
      committed: project.contributionCentavos,
      spent: null,
    };
  return {
    status: 'CLOSED',
    committed: project.contributionCentavos,
    spent: project.settlement
      ? project.settlement.owedCentavos
      : project.contributionCentavos,
  };
}

/** A project's people at each funnel stage, and the jobs that placed them. */
export interface ProjectTally {
  counts: Record<FunnelStage, number>;
  /** The placement (job) of each PLACED person: the earliest that counts. */
  placementIds: string[];
}

/**
 * The people of one project, by the funnel's rules (`funnelStageOf`) applied
 * to each person's enrollments in the project's cohorts: ENROLLED — enrolled
 * in one of them; COMPLETED — completed one; CERTIFIED — holds a certificate
 * (not revoked) on the target standard of a completed one, issued on or after
 * it began; PLACED — started a job within `withinMonths` calendar months of
 * such a certificate. Each person counts once per project, whatever the
 * number of its cohorts they enrolled in; a person of two projects counts in
 * each. `people` may hold anyone: those with no enrollment in the project's
 * cohorts are left out. Pure.
 */
export function tallyProject(
  project: Pick<FundedProject, 'cohortIds'>,
  people: readonly PersonRecord[],
  catalog: Catalog,
  withinMonths: number,
): ProjectTally {
  const cohorts = new Set(project.cohortIds);
  const counts: Record<FunnelStage, number> = {
    ENROLLED: 0,
    COMPLETED: 0,
    CERTIFIED: 0,
    PLACED: 0,
  };
  const placementIds: string[] = [];
  for (const person of people) {
    const own: PersonRecord = {
      ...person,
      enrollments: person.enrollments.filter(
        (e) => e.cohortId !== null && cohorts.has(e.cohortId),
      ),
    };
    const position = funnelStageOf(own, {}, catalog, withinMonths);
    if (!position) continue;
    const last = FUNNEL_STAGES.indexOf(position.reached);
    for (const stage of FUNNEL_STAGES.slice(0, last + 1)) counts[stage] += 1;
    if (position.placementId) placementIds.push(position.placementId);
  }
  return { counts, placementIds };
}

/** An amount of public money as a caller sees it: `value` is null exactly when `suppressed` says why. */
export interface OutcomeAmount {
  value: number | null;
  suppressed: SuppressionReason | null;
  /** A sum that leaves out amounts withheld: `value` is then the sum of those shown. */
  partial: boolean;
}

/**
 * The salary change of the people placed (monthly centavos, after − before):
 * nominal, and real in pesos of the INPC table's last month (`uplift.ts`).
 */
export type SalaryChange = SalaryChangeFigures;

/** The figures common to a project and a program. */
export interface Returns {
  placementWithinMonths: number;
  committed: number;
  /** Null while nothing is settled (an open project; a program with no closed project). */
  spent: OutcomeAmount | null;
  enrolled: OutcomeCount;
  completed: OutcomeCount;
  certified: OutcomeCount;
  placed: OutcomeCount;
  completionRate: number | null;
  certificationRate: number | null;
  placementRate: number | null;
  /** spent ÷ certified (shown), centavos, to the nearest centavo (halves up). */
  costPerCertified: number | null;
  /** spent ÷ placed (shown), centavos, to the nearest centavo (halves up). */
  costPerPlaced: number | null;
  salaryChange: SalaryChange;
}

type PeopleStage = 'enrolled' | 'completed' | 'certified' | 'placed';

/** One project's returns as a caller sees them. */
export interface ProjectReturn extends Returns {
  projectId: string;
  name: string;
  fundName: string;
  status: FundedStatus;
  approvedAt: Date;
  closedAt: Date | null;
}

/** One program's (public fund's) returns: the sums of its projects' shown figures. */
export interface ProgramReturn extends Returns {
  fundName: string;
  projects: number;
  closedProjects: number;
}

/** Salaries of a placement, as outcomes recorded it, and when the job started (to deflate them). */
export type PlacementSalaries = Pick<
  Placement,
  'id' | 'startDate' | 'salaryBeforeCentavos' | 'salaryAfterCentavos'
>;

/**
 * `amount ÷ count` to the nearest centavo, halves up (both whole, `count` ≥ 1):
 * integer arithmetic, exact for any amount up to 2^53.
 */
export function perPerson(amount: number, count: number): number {
  const quotient = Math.floor(amount / count);
  const remainder = amount - quotient * count;
  return 2 * remainder >= count ? quotient + 1 : quotient;
}

/** `spent ÷ people` when both are shown whole and people > 0. */
function costPer(
  spent: OutcomeAmount | null,
  people: OutcomeCount,
): number | null {
  if (!spent || spent.value === null || spent.partial) return null;
  if (people.value === null || people.partial || people.value === 0)
    return null;
  return perPerson(spent.value, people.value);
}

/** The single cell a project's counts are protected as: one period, one row. */
const PROJECT_LABEL = 'project';
const PROJECT_CELL: SeriesSpan = (() => {
  const cell = { label: PROJECT_LABEL, start: new Date(0) };
  return { periods: [cell], rows: [cell], granularity: 'YEAR' };
})();

/**
 * What a caller sees of a project's spending. With a funding split the owed
 * amount is upfront + per certified trainee × the trainees training counted,
 * so an exact amount would give away that count to anyone who knows the
 * fund's rule: it is withheld (BELOW_THRESHOLD) when that count is from 1 to
 * the threshold − 1, as the count itself would be; shown exactly otherwise
 * (public money is public). Admins see every amount.
 */
function discloseSpent(
  project: FundedProject,
  funds: ProjectFunds,
  policy: DisclosurePolicy,
): OutcomeAmount | null {
  if (funds.spent === null) return null;
  const certified = project.settlement?.certified ?? 0;
  if (!policy.revealAll && certified > 0 && certified < policy.threshold)
    return { value: null, suppressed: 'BELOW_THRESHOLD', partial: false };
  return { value: funds.spent, suppressed: null, partial: false };
}

/**
 * The salary change of placed people (median and mean of after − before),
 * nominal and in real pesos of the INPC table's last month
 * (`salaryChangeFigures`), by the rules of `salaryUplift`: exact for admins,
 * else only over at least the threshold's people and rounded to 500 MXN.
 * Null when the placed count they belong to is withheld.
 */
function changeOf(
  salaries: readonly PlacementSalaries[],
  placed: OutcomeCount,
  policy: DisclosurePolicy,
): SalaryChange {
  if (placed.value === null) return salaryChangeFigures([], policy);
  return salaryChangeFigures(salaries, policy);
}

/** A project's shown returns and what its program's figures are summed from. */
export interface ProjectReturnParts {
  shown: ProjectReturn;
  /** The salaries of its placed people, when its placed count is shown. */
  shownSalaries: readonly PlacementSalaries[];
}

/**
 * One project's returns as `policy` lets a caller see them: its money
 * (`fundsOf`, spent withheld as `discloseSpent` says), its people at each
 * stage (`tallyProject`) protected as one funnel cell — each count withheld
 * from 1 to threshold − 1 and rounded to 5, a stage withheld when the one
 * before is (`funnelCells`, the funnel's own rule); rates as the funnel's — costs per certified and per placed person from
 * the shown figures (null when either is withheld or the count is 0), and the
 * salary change of the placed people (`salaries`: the placements of
 * `tally.placementIds`). Pure.
 */
export function projectReturn(
  project: FundedProject,
  tally: ProjectTally,
  salaries: readonly PlacementSalaries[],
  policy: DisclosurePolicy,
  withinMonths: number,
): ProjectReturnParts {
  const funds = fundsOf(project);
  const counts = Object.fromEntries(
    FUNNEL_STAGES.map((stage) => [
      stage,
      new Map([[PROJECT_LABEL, tally.counts[stage]]]),
    ]),
  ) as FunnelCounts;
  const cells = funnelCells(counts, PROJECT_CELL, policy);
  const cell = (stage: FunnelStage) => cells[stage].get(PROJECT_LABEL)!;
  const funnel = {
    enrolled: cell('ENROLLED'),
    completed: cell('COMPLETED'),
    certified: cell('CERTIFIED'),
    placed: cell('PLACED'),
  };
  const spent = discloseSpent(project, funds, policy);
  const placedIds = new Set(tally.placementIds);
  const placedSalaries = salaries.filter((s) => placedIds.has(s.id));
  return {
    shown: {
      projectId: project.id,
      name: project.name,
      fundName: project.fundName,
      status: funds.status,
      approvedAt: project.approvedAt,
      closedAt: project.closedAt,
      placementWithinMonths: withinMonths,
      committed: funds.committed,
      spent,
      enrolled: funnel.enrolled,
      completed: funnel.completed,
      certified: funnel.certified,
      placed: funnel.placed,
      completionRate: rate(funnel.completed, funnel.enrolled),
      certificationRate: rate(funnel.certified, funnel.completed),
      placementRate: rate(funnel.placed, funnel.certified),
      costPerCertified: costPer(spent, funnel.certified),
      costPerPlaced: costPer(spent, funnel.placed),
      salaryChange: changeOf(placedSalaries, funnel.placed, policy),
    },
    shownSalaries: funnel.placed.value === null ? [] : placedSalaries,
  };
}

/** The sum of shown amounts, partial when one is withheld; null when there are none. */
function totalAmount(
  amounts: ReadonlyArray<OutcomeAmount | null>,
): OutcomeAmount | null {
  const present = amounts.filter((a): a is OutcomeAmount => a !== null);
  if (present.length === 0) return null;
  return {
    value: present.reduce((sum, a) => sum + (a.value ?? 0), 0),
    suppressed: null,
    partial: present.some((a) => a.value === null || a.partial),
  };
}

/**
 * The returns of each program (public fund) over `projects`, in fund-name
 * order. Every figure is built from what the caller already sees of the
 * projects (README, Suppression, rule 5): committed and spent are sums of the
 * projects' amounts (spent over the closed ones; partial when one is
 * withheld); each stage is the sum of the projects' shown counts (partial
 * when one is withheld; each project is a subset at every stage, so the
 * stages never grow); the cost per certified or placed person divides the
 * spent amount by the certified or placed people of the closed projects; the
 * salary change is over the placed people of the projects whose placed count
 * is shown. So a program minus its projects reveals nothing. A person trained
 * by two projects of a program counts in each (the fund paid for both). Pure.
 */
export function programReturns(
  projects: readonly ProjectReturnParts[],
  policy: DisclosurePolicy,
  withinMonths: number,
): ProgramReturn[] {
  const byFund = new Map<string, ProjectReturnParts[]>();
  for (const part of projects)
    byFund.set(part.shown.fundName, [
      ...(byFund.get(part.shown.fundName) ?? []),
      part,
    ]);
  return [...byFund.keys()]
    .sort((a, b) => a.localeCompare(b, 'es'))
    .map((fundName) => {
      const parts = byFund.get(fundName)!;
      const shown = parts.map((p) => p.shown);
      const closed = shown.filter((p) => p.status === 'CLOSED');
      const total = (stage: PeopleStage, of = shown) =>
        totalOfShown(of.map((p) => p[stage]));
      const enrolled = total('enrolled');
      const completed = total('completed');
      const certified = total('certified');
      const placed = total('placed');
      const spent = totalAmount(closed.map((p) => p.spent));
      return {
        fundName,
        projects: shown.length,
        closedProjects: closed.length,
        placementWithinMonths: withinMonths,
        committed: shown.reduce((sum, p) => sum + p.committed, 0),
        spent,
        enrolled,
        completed,
        certified,
        placed,
        completionRate: rate(completed, enrolled),
        certificationRate: rate(certified, completed),
        placementRate: rate(placed, certified),
        costPerCertified: costPer(spent, total('certified', closed)),
        costPerPlaced: costPer(spent, total('placed', closed)),
        salaryChange: changeOf(
          parts.flatMap((p) => p.shownSalaries),
          placed,
          policy,
        ),
      };
    });
}

/** The projects a returns query covers: approved in [from, until), of a fund, a state, a status. */
export interface ReturnsWindow {
  from: Date;
  /** The first instant after the `to` day. */
  until: Date;
  fundName?: string;
  state?: string;
  status?: FundedStatus;
}

const DAY_MS = 86_400_000;
/** The longest span asked: 20 years, as the series' 240 months. */
const MAX_SPAN_DAYS = 20 * 366;

/**
 * The returns filter checked: `to` on or after `from` and at most 20 years
 * later, `state` an ISO 3166-2:MX code.
 *
 * @throws InvalidInputError naming `filter.to` or `filter.state`
 */
export function returnsWindow(filter: {
  from: Date;
  to: Date;
  fundName?: string | null;
  state?: string | null;
  status?: FundedStatus | null;
}): ReturnsWindow {
  const until = new Date(filter.to.getTime() + DAY_MS);
  if (until <= filter.from)
    throw new InvalidInputError('filter.to', 'to must be on or after from');
  if (until.getTime() - filter.from.getTime() > MAX_SPAN_DAYS * DAY_MS)
    throw new InvalidInputError(
      'filter.to',
      'the span may cover at most 20 years',
    );
  if (filter.state && !isStateCode(filter.state))
    throw new InvalidInputError(
      'filter.state',
      'state must be an ISO 3166-2:MX code, e.g. MX-JAL',
    );
  return {
    from: filter.from,
    until,
    ...(filter.fundName ? { fundName: filter.fundName } : {}),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
}

/** Whether `project` is in the window's state and status (its approval date and fund are selected when read). */
export function inWindow(
  project: FundedProject & { cohorts: ReadonlyArray<{ state: string | null }> },
  window: Pick<ReturnsWindow, 'state' | 'status'>,
): boolean {
  if (window.status && fundsOf(project).status !== window.status) return false;
  if (window.state && !project.cohorts.some((c) => c.state === window.state))
    return false;
  return true;
}
