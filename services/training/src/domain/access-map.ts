import {
  PUBLIC,
  type AccessMap,
  type Guard,
} from '@conecta/service-kit/access';
import {
  assertSeesMatches,
  canSeeCohortEnrollments,
  canSeeDemand,
  canSeeEnrollment,
  canSeeProject,
  canSeeProvenance,
} from './access';
import { assertBroker, assertImporter } from './permissions';

// Who may read each field this service resolves in the composed graph, in one
// place (issue 12). `public`: anyone. A guard names the domain rule that
// decides, who passes it (roles, or a relation of the caller to the record:
// see gateway/README.md "Authorization matrix") and what everyone else gets.
// gateway/test/access-matrix.test.ts fails when a field of the schema has no
// entry here (or an entry names no field), and probes every guarded field
// through every path that reaches it, as every role. Mutations are not listed:
// each command authorizes its caller (tested per service).

/** The broker's working file (fund shares, markup, the demand it aggregates). */
const PROJECT: Guard = {
  rule: canSeeProject,
  to: ['admin', 'broker'],
  otherwise: 'null',
};
/** The root queries of projects refuse rather than answer null. */
const PROJECT_ROOT: Guard = {
  ...PROJECT,
  rule: assertBroker,
  otherwise: 'refused',
};
/** Demand: the requesting organization and the broker. */
const DEMAND: Guard = {
  rule: canSeeDemand,
  to: ['admin', 'broker', 'requester'],
  otherwise: 'null',
};
/** Lists of demand: the caller's own (or all, for brokers); empty for others. */
const DEMAND_LIST: Guard = { ...DEMAND, otherwise: 'empty' };
/** Offers and prices for a demand: who manages it (matchDemand's check). */
const MATCHES: Guard = {
  rule: assertSeesMatches,
  to: ['admin', 'broker', 'requester'],
  otherwise: 'refused',
};
/** The broker's review of what nothing can serve. */
const UNSERVED: Guard = {
  ...MATCHES,
  rule: assertBroker,
  to: ['admin', 'broker'],
};
/** The broker's pooling of several organizations' demand. */
const POOLS: Guard = UNSERVED;
/** The audit trail of imported demand and cohorts names staff. */
const PROVENANCE: Guard = {
  rule: canSeeProvenance,
  to: ['admin', 'broker'],
  otherwise: 'null',
};
/** An import's answer: the importing admin's only. */
const IMPORT: Guard = {
  rule: assertImporter,
  to: ['admin'],
  otherwise: 'refused',
};
/** A person in a cohort: the person, brokers, the cohort's provider and venue. */
const ENROLLMENT: Guard = {
  rule: canSeeEnrollment,
  to: ['admin', 'broker', 'person', 'provider', 'venue'],
  otherwise: 'null',
};
/** Lists of enrollments keep those the caller may see ({@link ENROLLMENT}). */
const ENROLLMENT_LIST: Guard = { ...ENROLLMENT, otherwise: 'empty' };
/** A cohort's whole list: brokers, its provider and venue (a person, their own). */
const COHORT_ENROLLMENTS: Guard = {
  ...ENROLLMENT_LIST,
  rule: canSeeCohortEnrollments,
};

export const ACCESS = {
  Agreement: {
    id: PUBLIC,
    provider: PUBLIC,
    targetKind: PUBLIC,
    standard: PUBLIC,
    credential: PUBLIC,
    discountBps: PUBLIC,
    extraTrainingHours: PUBLIC,
    examVouchersPerParticipant: PUBLIC,
    marketPrice: PUBLIC,
    validFrom: PUBLIC,
    validUntil: PUBLIC,
    minCohortSize: PUBLIC,
    states: PUBLIC,
    online: PUBLIC,
    durationHours: PUBLIC,
    durationWeeks: PUBLIC,
    costPerParticipant: PUBLIC,
    cohorts: PUBLIC,
    signedAt: PUBLIC,
  },
  AgreementConnection: {
    nodes: PUBLIC,
    totalCount: PUBLIC,
    pageInfo: PUBLIC,
  },
  Cohort: {
    id: PUBLIC,
    agreement: PUBLIC,
    project: PROJECT,
    venue: PUBLIC,
    state: PUBLIC,
    city: PUBLIC,
    mode: PUBLIC,
    targetKind: PUBLIC,
    standard: PUBLIC,
    credential: PUBLIC,
    startsOn: PUBLIC,
    endsOn: PUBLIC,
    capacity: PUBLIC,
    enrolledCount: PUBLIC,
    seatsLeft: PUBLIC,
    status: PUBLIC,
    cancellationReason: PUBLIC,
    enrollments: COHORT_ENROLLMENTS,
    indicators: PUBLIC,
    scheduledAt: PUBLIC,
    provenance: PROVENANCE,
  },
  CohortConnection: {
    nodes: PUBLIC,
    totalCount: PUBLIC,
    pageInfo: PUBLIC,
  },
  CohortProvenance: {
    source: PROVENANCE,
    folio: PROVENANCE,
    importedBy: PROVENANCE,
    importedAt: PROVENANCE,
  },
  CompetencyStandard: {
    id: PUBLIC,
    trainingOffers: PUBLIC,
  },
  CostBreakdown: {
    marketPrice: PUBLIC,
    discount: PUBLIC,
    negotiatedPrice: PUBLIC,
    brokerFee: PUBLIC,
    total: PUBLIC,
    fundContribution: PUBLIC,
    participantShare: PUBLIC,
  },
  DemandProvenance: {
    source: PROVENANCE,
    reference: PROVENANCE,
    importedBy: PROVENANCE,
    importedAt: PROVENANCE,
    closedAt: PROVENANCE,
  },
  DemandRequest: {
    id: DEMAND,
    requester: DEMAND,
    state: DEMAND,
    city: DEMAND,
    targetKind: DEMAND,
    standard: DEMAND,
    credential: DEMAND,
    headcount: DEMAND,
    neededBy: DEMAND,
    status: DEMAND,
    project: PROJECT,
    cancellationReason: DEMAND,
    requestedAt: DEMAND,
    provenance: PROVENANCE,
    matches: MATCHES,
  },
  DemandRequestConnection: {
    nodes: DEMAND_LIST,
    totalCount: DEMAND_LIST,
    pageInfo: DEMAND_LIST,
  },
  Enrollment: {
    id: ENROLLMENT,
    cohort: ENROLLMENT,
    person: ENROLLMENT,
    status: ENROLLMENT,
    attendancePercent: ENROLLMENT,
    voucherIssuedAt: ENROLLMENT,
    voucherUsedAt: ENROLLMENT,
    vendorExamPassed: ENROLLMENT,
    certified: ENROLLMENT,
    enrolledAt: ENROLLMENT,
    completedAt: ENROLLMENT,
    droppedAt: ENROLLMENT,
  },
  EnrollmentConnection: {
    nodes: ENROLLMENT_LIST,
    totalCount: ENROLLMENT_LIST,
    pageInfo: ENROLLMENT_LIST,
  },
  ImportCohortHistoryResult: {
    source: IMPORT,
    importedCount: IMPORT,
    skippedCount: IMPORT,
    enrollmentCount: IMPORT,
    imported: IMPORT,
    skipped: IMPORT,
  },
  ImportDemandHistoryResult: {
    source: IMPORT,
    importedCount: IMPORT,
    skippedCount: IMPORT,
    imported: IMPORT,
    skipped: IMPORT,
  },
  Match: {
    rank: MATCHES,
    kind: MATCHES,
    agreement: MATCHES,
    cohort: MATCHES,
    seatsAvailable: MATCHES,
    fitsHeadcount: MATCHES,
    inState: MATCHES,
    datesFixed: MATCHES,
    startsOn: MATCHES,
    finishesOn: MATCHES,
    quality: MATCHES,
    cost: MATCHES,
    why: MATCHES,
    reasons: MATCHES,
    explained: MATCHES,
    explanation: MATCHES,
  },
  MatchExclusion: {
    agreement: MATCHES,
    cohort: MATCHES,
    reason: MATCHES,
    why: MATCHES,
  },
  MatchReason: {
    code: MATCHES,
    es: MATCHES,
    en: MATCHES,
  },
  MatchResult: {
    demandRequest: MATCHES,
    servable: MATCHES,
    matches: MATCHES,
    excluded: MATCHES,
    summary: MATCHES,
    summarized: MATCHES,
    assumedFundShareBps: MATCHES,
  },
  Organization: {
    id: PUBLIC,
    demandRequests: DEMAND_LIST,
    agreements: PUBLIC,
  },
  Person: {
    id: PUBLIC,
    enrollments: ENROLLMENT_LIST,
  },
  FundingSettlement: {
    contribution: PROJECT,
    upfrontBps: PROJECT,
    upfront: PROJECT,
    perCertified: PROJECT,
    certified: PROJECT,
    owed: PROJECT,
    unpaid: PROJECT,
    settledAt: PROJECT,
  },
  FundingSplit: {
    upfrontBps: PROJECT,
    perCertified: PROJECT,
    contribution: PROJECT,
    upfront: PROJECT,
    maximum: PROJECT,
  },
  PoolPlan: {
    cohorts: POOLS,
    seats: POOLS,
    cost: POOLS,
  },
  PoolSuggestion: {
    kind: POOLS,
    agreement: POOLS,
    cohort: POOLS,
    demandRequests: POOLS,
    headcount: POOLS,
    requesters: POOLS,
    states: POOLS,
    perSeat: POOLS,
    separately: POOLS,
    pooled: POOLS,
    saving: POOLS,
    reasons: POOLS,
  },
  ProviderQuality: {
    completed: MATCHES,
    certified: MATCHES,
    certificationRate: MATCHES,
    score: MATCHES,
    prior: MATCHES,
    priorWeight: MATCHES,
    surveyScore: MATCHES,
    surveyResponses: MATCHES,
  },
  ProjectCost: {
    participants: PROJECT,
    fundShareBps: PROJECT,
    perParticipant: PROJECT,
    project: PROJECT,
  },
  Query: {
    vendorCredentials: PUBLIC,
    vendorCredential: PUBLIC,
    demandRequests: DEMAND_LIST,
    demandRequestPage: DEMAND_LIST,
    demandRequest: DEMAND,
    agreements: PUBLIC,
    agreementPage: PUBLIC,
    agreement: PUBLIC,
    trainingProjects: PROJECT_ROOT,
    trainingProjectPage: PROJECT_ROOT,
    trainingProject: PROJECT_ROOT,
    cohorts: PUBLIC,
    cohortPage: PUBLIC,
    cohort: PUBLIC,
    enrollments: ENROLLMENT_LIST,
    enrollment: ENROLLMENT,
    matchDemand: MATCHES,
    unservedDemand: UNSERVED,
    suggestedPools: POOLS,
  },
  TrainingIndicators: {
    trained: PUBLIC,
    completed: PUBLIC,
    dropped: PUBLIC,
    vouchersIssued: PUBLIC,
    vouchersUsed: PUBLIC,
    vendorExamsPassed: PUBLIC,
    certified: PUBLIC,
    certificationRate: PUBLIC,
    completionRate: PUBLIC,
  },
  TrainingText: {
    es: MATCHES,
    en: MATCHES,
  },
  TrainingPageInfo: {
    endCursor: PUBLIC,
    hasNextPage: PUBLIC,
  },
  TrainingProject: {
    id: PROJECT,
    name: PROJECT,
    fundName: PROJECT,
    agreement: PROJECT,
    demandRequests: PROJECT,
    requestedFundShareBps: PROJECT,
    approvedFundShareBps: PROJECT,
    brokerMarkupBps: PROJECT,
    status: PROJECT,
    rejectionReason: PROJECT,
    cost: PROJECT,
    cohorts: PROJECT,
    indicators: PROJECT,
    fundingSplit: PROJECT,
    settlement: PROJECT,
    draftedAt: PROJECT,
    submittedAt: PROJECT,
    decidedAt: PROJECT,
    closedAt: PROJECT,
  },
  TrainingProjectConnection: {
    nodes: PROJECT_ROOT,
    totalCount: PROJECT_ROOT,
    pageInfo: PROJECT_ROOT,
  },
  VendorCredential: {
    id: PUBLIC,
    vendor: PUBLIC,
    name: PUBLIC,
    code: PUBLIC,
    examMarketPrice: PUBLIC,
    trainingMarketPrice: PUBLIC,
    alignedStandard: PUBLIC,
    registeredAt: PUBLIC,
  },
} as const satisfies AccessMap;
