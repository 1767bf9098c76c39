/**
 * Every GraphQL document the dashboard sends, in one file: when a subgraph's
 * contract changes (outcomes' supply and funnel, say), this is the file to
 * adapt, along with the row types below that the panels read.
 */

/** A count the outcomes subgraph may withhold (small groups) or sum partially. */
export interface OutcomeCount {
  value: number | null;
  suppressed: 'BELOW_THRESHOLD' | 'COMPLEMENTARY' | 'NOT_RECORDED' | null;
  partial: boolean;
}

/** outcomes' OutcomeFilter: whole calendar periods only. */
export interface OutcomeFilter {
  from: string;
  to: string;
  granularity: Granularity;
  state?: string;
  sectorId?: string;
}

export type Granularity = 'YEAR' | 'QUARTER' | 'MONTH';

const COUNT = `fragment Count on OutcomeCount { value suppressed partial }`;

/** The sectors the filter offers (committees' catalog). */
export const FILTER_OPTIONS = `query DashboardFilters { sectors { id code name } }`;

export interface FilterOptionsData {
  sectors: { id: string; code: string; name: string }[];
}

/** Demand trends, supply, the funnel and the skill-gap ranking for one filter. */
export const OVERVIEW = `query DashboardOverview($filter: OutcomeFilter!, $gaps: Int!, $state: String, $sectorId: ID) {
  demandForecast(state: $state, sectorId: $sectorId) {
    model
    smape
    lastMonth
    intervalLevel
    points { period start requestedHeadcount { ...Count } lower upper }
  }
  demandTrends(filter: $filter) {
    period
    start
    requestedHeadcount { ...Count }
    requests { ...Count }
    growthRate
  }
  supply(filter: $filter) {
    period
    start
    trained { ...Count }
    completed { ...Count }
    certified { ...Count }
    placed { ...Count }
  }
  funnel(filter: $filter) {
    trained { ...Count }
    completed { ...Count }
    certified { ...Count }
    placed { ...Count }
    completionRate
    certificationRate
    placementRate
  }
  skillGaps(filter: $filter, first: $gaps) {
    standard { id code title }
    credential { id name }
    demand { ...Count }
    supply { ...Count }
    gap
  }
}
${COUNT}`;

export interface DemandPoint {
  period: string;
  start: string;
  requestedHeadcount: OutcomeCount;
  requests: OutcomeCount;
  growthRate: number | null;
}

export interface SupplyPoint {
  period: string;
  start: string;
  trained: OutcomeCount;
  completed: OutcomeCount;
  certified: OutcomeCount;
  placed: OutcomeCount;
}

export interface Funnel {
  trained: OutcomeCount;
  completed: OutcomeCount;
  certified: OutcomeCount;
  placed: OutcomeCount;
  completionRate: number | null;
  certificationRate: number | null;
  placementRate: number | null;
}

export interface SkillGap {
  standard: { id: string; code: string; title: string } | null;
  credential: { id: string; name: string } | null;
  demand: OutcomeCount;
  supply: OutcomeCount;
  gap: number | null;
}

/** outcomes' demandForecast: the next 12 months after `lastMonth`, with the model chosen and its backtest sMAPE (%). */
export interface DemandForecast {
  model: 'SEASONAL_NAIVE' | 'HOLT_WINTERS' | null;
  smape: number | null;
  lastMonth: string;
  intervalLevel: number;
  points: {
    period: string;
    start: string;
    requestedHeadcount: OutcomeCount;
    lower: number | null;
    upper: number | null;
  }[];
}

export interface OverviewData {
  demandForecast: DemandForecast;
  demandTrends: DemandPoint[];
  supply: SupplyPoint[];
  funnel: Funnel;
  skillGaps: SkillGap[];
}

/**
 * outcomes' salary uplift for one filter: nominal and real (INPC-deflated)
 * pesos, newly employed people apart from people who had a salary before.
 */
export const SALARY = `query DashboardSalary($filter: OutcomeFilter!) {
  salaryUplift(filter: $filter) {
    placements { ...Count }
    medianChange
    meanChange
    realMedianChange
    realMeanChange
    pricesOf
    deflatedWith
    newlyEmployed {
      placements { ...Count }
      medianSalary
      meanSalary
      realMedianSalary
      realMeanSalary
    }
    previouslyEmployed {
      placements { ...Count }
      medianChange
      meanChange
      realMedianChange
      realMeanChange
      realRaises { ...Count }
      realRaiseShare
    }
  }
}
${COUNT}`;

/** Monthly centavos; null when withheld (small groups) or not computable. */
export interface SalaryUplift {
  placements: OutcomeCount;
  medianChange: number | null;
  meanChange: number | null;
  realMedianChange: number | null;
  realMeanChange: number | null;
  /** YYYY-MM: the month whose pesos real figures are in. */
  pricesOf: string;
  deflatedWith: 'PUBLISHED' | 'CARRIED_FORWARD' | null;
  newlyEmployed: {
    placements: OutcomeCount;
    medianSalary: number | null;
    meanSalary: number | null;
    realMedianSalary: number | null;
    realMeanSalary: number | null;
  };
  previouslyEmployed: {
    placements: OutcomeCount;
    medianChange: number | null;
    meanChange: number | null;
    realMedianChange: number | null;
    realMeanChange: number | null;
    realRaises: OutcomeCount;
    realRaiseShare: number | null;
  };
}

export interface SalaryData {
  salaryUplift: SalaryUplift;
}

/**
 * Demand and training per state, for the map: one alias pair per state (the
 * gateway allows 15 aliases per operation, so callers send a few states at a
 * time). Each state's filter is its own variable, `$f<i>`.
 */
export function stateTotalsQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return `query DashboardStates(${indexes.map((i) => `$f${i}: OutcomeFilter!`).join(', ')}) {
${indexes
  .map(
    (i) =>
      `  d${i}: demandTrends(filter: $f${i}) { requestedHeadcount { ...Count } }\n  t${i}: funnel(filter: $f${i}) { trained { ...Count } }`,
  )
  .join('\n')}
}
${COUNT}`;
}

export type StateTotalsData = Record<
  string,
  { requestedHeadcount: OutcomeCount }[] | { trained: OutcomeCount }
>;

/** Program goals with their progress and run-rate projection. */
export const GOALS = `query DashboardGoals {
  programGoals {
    id
    name
    metric
    target
    startsOn
    deadline
    state
    sectorId
    progress {
      asOf
      achieved { ...Count }
      percentage
      dailyRate
      projectedCompletion
      onTrack
    }
  }
}
${COUNT}`;

export interface ProgramGoal {
  id: string;
  name: string;
  metric: 'CERTIFICATIONS' | 'TRAINED' | 'PLACEMENTS';
  target: number;
  startsOn: string;
  deadline: string;
  state: string | null;
  sectorId: string | null;
  progress: {
    asOf: string;
    achieved: OutcomeCount;
    percentage: number | null;
    dailyRate: number | null;
    projectedCompletion: string | null;
    onTrack: boolean | null;
  };
}

export interface GoalsData {
  programGoals: ProgramGoal[];
}

/**
 * Where to certify: published standards (of a sector) with the certifying
 * bodies accredited for each (with a facility in a state), a page at a time.
 */
export const CERTIFIERS = `query DashboardCertifiers($filter: StandardFilter!, $state: String, $after: String) {
  standards(filter: $filter, first: 100, after: $after) {
    nodes {
      id
      code
      title
      certifyingBodies(state: $state) {
        certifyingBody { id name }
        states
        feeCentavos
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface CertifierStandard {
  id: string;
  code: string;
  title: string;
  certifyingBodies: {
    certifyingBody: { id: string; name: string };
    states: string[];
    feeCentavos: number | null;
  }[];
}

export interface CertifiersData {
  standards: {
    nodes: CertifierStandard[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
