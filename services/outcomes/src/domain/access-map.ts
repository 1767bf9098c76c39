import {
  PUBLIC,
  type AccessMap,
  type Guard,
} from '@conecta/service-kit/access';
import {
  canSeeConsumerStatus,
  canSeePlacements,
  canSeeProjectReturns,
} from './access';

// Who may read each field this service resolves in the composed graph, in one
// place (issue 12). `public`: anyone. A guard names the domain rule that
// decides, who passes it (roles, or a relation of the caller to the record:
// see gateway/README.md "Authorization matrix") and what everyone else gets.
// gateway/test/access-matrix.test.ts fails when a field of the schema has no
// entry here (or an entry names no field), and probes every guarded field
// through every path that reaches it, as every role. Mutations are not listed:
// each command authorizes its caller (tested per service).

/** Employers and salaries of one person: the person, admins and brokers. */
const PLACEMENTS: Guard = {
  rule: canSeePlacements,
  to: ['admin', 'broker', 'person'],
  otherwise: 'empty',
};
/** The event consumer's lag and counters: admins. */
const OPERATIONS: Guard = {
  rule: canSeeConsumerStatus,
  to: ['admin'],
  otherwise: 'refused',
};

/** Returns per funded project: admins, brokers and the council. */
const PROJECT_RETURNS: Guard = {
  rule: canSeeProjectReturns,
  to: ['admin', 'broker', 'council'],
  otherwise: 'refused',
};

const RETURNS_FIELDS = [
  'placementWithinMonths',
  'committed',
  'spent',
  'enrolled',
  'completed',
  'certified',
  'placed',
  'completionRate',
  'certificationRate',
  'placementRate',
  'costPerCertified',
  'costPerPlaced',
  'medianSalaryChange',
  'meanSalaryChange',
  'realMedianSalaryChange',
  'realMeanSalaryChange',
  'salaryPricesOf',
  'salaryDeflatedWith',
] as const;

export const ACCESS = {
  Cohort: {
    id: PUBLIC,
    outcomes: PUBLIC,
  },
  CohortOutcomes: {
    enrolled: PUBLIC,
    completed: PUBLIC,
    dropped: PUBLIC,
    completionRate: PUBLIC,
  },
  CompetencyStandard: {
    id: PUBLIC,
    usage: PUBLIC,
  },
  CompetencyStandardUsage: {
    certificatesLast12Months: PUBLIC,
    used: PUBLIC,
  },
  ConsumerPartitionLag: {
    topic: OPERATIONS,
    partition: OPERATIONS,
    lag: OPERATIONS,
  },
  DemandForecast: {
    model: PUBLIC,
    smape: PUBLIC,
    candidates: PUBLIC,
    historyMonths: PUBLIC,
    lastMonth: PUBLIC,
    intervalLevel: PUBLIC,
    points: PUBLIC,
  },
  ForecastBacktest: {
    model: PUBLIC,
    smape: PUBLIC,
    origins: PUBLIC,
  },
  ForecastPoint: {
    period: PUBLIC,
    start: PUBLIC,
    horizon: PUBLIC,
    requestedHeadcount: PUBLIC,
    lower: PUBLIC,
    upper: PUBLIC,
  },
  DemandTrendPoint: {
    period: PUBLIC,
    start: PUBLIC,
    requestedHeadcount: PUBLIC,
    requests: PUBLIC,
    growthRate: PUBLIC,
  },
  EmployerSurvey: {
    id: PUBLIC,
    submittedAt: PUBLIC,
  },
  GoalProgress: {
    asOf: PUBLIC,
    achieved: PUBLIC,
    percentage: PUBLIC,
    dailyRate: PUBLIC,
    projectedCompletion: PUBLIC,
    onTrack: PUBLIC,
  },
  HiringOutcomes: {
    placements: PUBLIC,
    medianSalaryChange: PUBLIC,
  },
  Organization: {
    id: PUBLIC,
    hiringOutcomes: PUBLIC,
  },
  OutcomeCount: {
    value: PUBLIC,
    suppressed: PUBLIC,
    partial: PUBLIC,
  },
  FunnelStageCount: {
    stage: PUBLIC,
    base: PUBLIC,
    count: PUBLIC,
    rate: PUBLIC,
  },
  OutcomeFunnel: {
    placementWithinMonths: PUBLIC,
    stages: PUBLIC,
    enrolled: PUBLIC,
    trained: PUBLIC,
    completed: PUBLIC,
    certified: PUBLIC,
    completionRate: PUBLIC,
    placed: PUBLIC,
    certificationRate: PUBLIC,
    placementRate: PUBLIC,
  },
  OutcomeAmount: {
    value: PUBLIC,
    suppressed: PUBLIC,
    partial: PUBLIC,
  },
  OutcomesConsumerStatus: {
    lag: OPERATIONS,
    partitions: OPERATIONS,
    handled: OPERATIONS,
    skipped: OPERATIONS,
    deadLettered: OPERATIONS,
    lastError: OPERATIONS,
    generation: OPERATIONS,
    historyComplete: OPERATIONS,
    truncatedPartitions: OPERATIONS,
  },
  Person: {
    id: PUBLIC,
    placements: PLACEMENTS,
  },
  Placement: {
    id: PLACEMENTS,
    person: PLACEMENTS,
    employer: PLACEMENTS,
    jobTitle: PLACEMENTS,
    sectorId: PLACEMENTS,
    state: PLACEMENTS,
    startDate: PLACEMENTS,
    salaryBefore: PLACEMENTS,
    salaryAfter: PLACEMENTS,
    recordedAt: PLACEMENTS,
    precededBy: PLACEMENTS,
  },
  // A person's training and certification before a job: as personal as the job.
  PlacementLink: {
    cohort: PLACEMENTS,
    completedAt: PLACEMENTS,
    certificateId: PLACEMENTS,
    standard: PLACEMENTS,
    certifiedAt: PLACEMENTS,
  },
  ProgramReturn: {
    fundName: PUBLIC,
    projects: PUBLIC,
    closedProjects: PUBLIC,
    ...Object.fromEntries(RETURNS_FIELDS.map((f) => [f, PUBLIC])),
  },
  ProjectReturn: {
    projectId: PROJECT_RETURNS,
    name: PROJECT_RETURNS,
    fundName: PROJECT_RETURNS,
    status: PROJECT_RETURNS,
    approvedAt: PROJECT_RETURNS,
    closedAt: PROJECT_RETURNS,
    ...Object.fromEntries(RETURNS_FIELDS.map((f) => [f, PROJECT_RETURNS])),
  },
  ProgramGoal: {
    id: PUBLIC,
    name: PUBLIC,
    metric: PUBLIC,
    target: PUBLIC,
    startsOn: PUBLIC,
    deadline: PUBLIC,
    state: PUBLIC,
    sectorId: PUBLIC,
    progress: PUBLIC,
  },
  Query: {
    demandTrends: PUBLIC,
    demandForecast: PUBLIC,
    supply: PUBLIC,
    skillGaps: PUBLIC,
    funnel: PUBLIC,
    standardUsage: PUBLIC,
    programGoals: PUBLIC,
    surveyScores: PUBLIC,
    salaryUplift: PUBLIC,
    programReturns: PUBLIC,
    projectReturns: PROJECT_RETURNS,
    outcomesConsumerStatus: OPERATIONS,
  },
  SalaryUplift: {
    placements: PUBLIC,
    medianChange: PUBLIC,
    meanChange: PUBLIC,
    realMedianChange: PUBLIC,
    realMeanChange: PUBLIC,
    pricesOf: PUBLIC,
    deflatedWith: PUBLIC,
    newlyEmployed: PUBLIC,
    previouslyEmployed: PUBLIC,
  },
  NewlyEmployedSalaries: {
    placements: PUBLIC,
    medianSalary: PUBLIC,
    meanSalary: PUBLIC,
    realMedianSalary: PUBLIC,
    realMeanSalary: PUBLIC,
  },
  PreviouslyEmployedSalaries: {
    placements: PUBLIC,
    medianChange: PUBLIC,
    meanChange: PUBLIC,
    realMedianChange: PUBLIC,
    realMeanChange: PUBLIC,
    realRaises: PUBLIC,
    realRaiseShare: PUBLIC,
  },
  SkillGap: {
    standard: PUBLIC,
    credential: PUBLIC,
    demand: PUBLIC,
    trained: PUBLIC,
    certified: PUBLIC,
    supply: PUBLIC,
    gap: PUBLIC,
  },
  StandardUsageReport: {
    asOf: PUBLIC,
    publishedStandards: PUBLIC,
    usedStandards: PUBLIC,
    share: PUBLIC,
    unused: PUBLIC,
  },
  SupplyPoint: {
    period: PUBLIC,
    start: PUBLIC,
    trained: PUBLIC,
    completed: PUBLIC,
    certified: PUBLIC,
    placed: PUBLIC,
    people: PUBLIC,
  },
  SurveyFactorScore: {
    factor: PUBLIC,
    weight: PUBLIC,
    average: PUBLIC,
  },
  SurveyScore: {
    responses: PUBLIC,
    weightedAverage: PUBLIC,
    factors: PUBLIC,
  },
  TruncatedPartition: {
    topic: OPERATIONS,
    partition: OPERATIONS,
    earliestOffset: OPERATIONS,
  },
  VendorCredential: {
    id: PUBLIC,
  },
} as const satisfies AccessMap;
