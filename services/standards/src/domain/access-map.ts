import {
  PUBLIC,
  type AccessMap,
  type Guard,
} from '@conecta/service-kit/access';
import { assertRole, canSeeStandard } from './permissions';

// Who may read each field this service resolves in the composed graph, in one
// place (issue 12). `public`: anyone. A guard names the domain rule that
// decides, who passes it (roles, or a relation of the caller to the record:
// see gateway/README.md "Authorization matrix") and what everyone else gets.
// gateway/test/access-matrix.test.ts fails when a field of the schema has no
// entry here (or an entry names no field), and probes every guarded field
// through every path that reaches it, as every role. Mutations are not listed:
// each command authorizes its caller (tested per service).

/**
 * A standard and its parts: PUBLISHED, WITHDRAWN and SUPERSEDED ones are
 * public; the others only for the owning committee's members and staff.
 */
const STANDARD: Guard = {
  rule: canSeeStandard,
  to: ['published', 'admin', 'council', 'committee'],
  otherwise: 'null',
};
/** Lists keep the standards the caller may see. */
const STANDARD_LIST: Guard = { ...STANDARD, otherwise: 'empty' };
/** Comparing a standard the caller may not see is NOT_FOUND. */
const COMPARISON: Guard = { ...STANDARD, otherwise: 'refused' };
/** Who holds the council's seats: council and admins. */
const COUNCIL_ROSTER: Guard = {
  rule: assertRole,
  to: ['admin', 'council'],
  otherwise: 'refused',
};

export const ACCESS = {
  Committee: {
    id: PUBLIC,
    standards: STANDARD_LIST,
    // Computed over the standards the caller may see (the resolver filters),
    // so anyone may ask: each sees the figures of what they may see.
    standardFigures: PUBLIC,
    // Counts PUBLISHED standards only: public, like the agenda it measures.
    agendaCoverage: PUBLIC,
  },
  AgendaCoverage: {
    agendaVersion: PUBLIC,
    publishedAt: PUBLIC,
    itemCount: PUBLIC,
    coveredItemCount: PUBLIC,
    ratio: PUBLIC,
    items: PUBLIC,
  },
  AgendaItemCoverage: {
    item: PUBLIC,
    covered: PUBLIC,
    publishedStandards: PUBLIC,
  },
  // Reached only through a standard (guarded) or the coverage (public): the
  // agenda is the committees service's public transparency data.
  StandardAgendaItem: {
    id: PUBLIC,
    agendaVersion: PUBLIC,
    priority: PUBLIC,
    kind: PUBLIC,
    title: PUBLIC,
    targetYear: PUBLIC,
    inForce: PUBLIC,
  },
  CommitteeStandardFigures: {
    stages: PUBLIC,
    published: PUBLIC,
    averageDaysDraftToGazette: PUBLIC,
    averageDaysApprovalToGazette: PUBLIC,
  },
  CompetencyStandard: {
    id: STANDARD,
    code: STANDARD,
    version: STANDARD,
    title: STANDARD,
    purpose: STANDARD,
    sector: STANDARD,
    level: STANDARD,
    qualificationLevel: STANDARD,
    committee: STANDARD,
    agendaItem: STANDARD,
    elements: STANDARD,
    validity: STANDARD,
    status: STANDARD,
    reviewChecks: STANDARD,
    findings: STANDARD,
    councilVotes: STANDARD,
    councilTally: STANDARD,
    gazette: STANDARD,
    reviewDueAt: STANDARD,
    periodicReview: STANDARD,
    withdrawalReason: STANDARD,
    previousVersion: STANDARD,
    supersededBy: STANDARD,
    competingStandards: STANDARD,
    draftedAt: STANDARD,
    updatedAt: STANDARD,
  },
  CompetencyStandardConnection: {
    nodes: STANDARD_LIST,
    totalCount: STANDARD_LIST,
    pageInfo: STANDARD_LIST,
  },
  CouncilSeatHolder: {
    seat: COUNCIL_ROSTER,
    holderId: COUNCIL_ROSTER,
    appointedAt: COUNCIL_ROSTER,
    inComposition: COUNCIL_ROSTER,
  },
  CouncilComposition: {
    name: PUBLIC,
    chairTitle: PUBLIC,
    seats: PUBLIC,
    quorum: PUBLIC,
  },
  CouncilCompositionSeat: {
    seat: PUBLIC,
    side: PUBLIC,
  },
  CouncilTally: {
    inFavor: STANDARD,
    against: STANDARD,
    abstentions: STANDARD,
    decidedByCastingVote: STANDARD,
  },
  CouncilVote: {
    seat: STANDARD,
    vote: STANDARD,
    castAt: STANDARD,
  },
  ElementDifference: {
    change: COMPARISON,
    title: COMPARISON,
    performanceCriteria: COMPARISON,
    products: COMPARISON,
    knowledge: COMPARISON,
    attitudes: COMPARISON,
  },
  GazettePublication: {
    date: STANDARD,
    reference: STANDARD,
    publishedAt: STANDARD,
  },
  ListDifference: {
    added: COMPARISON,
    removed: COMPARISON,
  },
  QualificationLevel: {
    level: PUBLIC,
    name: PUBLIC,
    descriptor: PUBLIC,
  },
  Query: {
    standard: STANDARD,
    standardByCode: STANDARD,
    standards: STANDARD_LIST,
    compareStandards: COMPARISON,
    standardsDueForReview: STANDARD_LIST,
    qualificationLevels: PUBLIC,
    councilSeats: COUNCIL_ROSTER,
    councilComposition: PUBLIC,
  },
  ReviewCheck: {
    code: STANDARD,
    passed: STANDARD,
    message: STANDARD,
  },
  ReviewFinding: {
    round: STANDARD,
    source: STANDARD,
    code: STANDARD,
    message: STANDARD,
    elementIndex: STANDARD,
    recordedAt: STANDARD,
  },
  Sector: {
    id: PUBLIC,
  },
  StandardComparison: {
    a: COMPARISON,
    b: COMPARISON,
    changedFields: COMPARISON,
    elements: COMPARISON,
    unchangedElements: COMPARISON,
  },
  StandardElement: {
    title: STANDARD,
    performanceCriteria: STANDARD,
    products: STANDARD,
    knowledge: STANDARD,
    attitudes: STANDARD,
  },
  StandardPageInfo: {
    endCursor: PUBLIC,
    hasNextPage: PUBLIC,
  },
  StageTime: {
    status: PUBLIC,
    completedStays: PUBLIC,
    averageDays: PUBLIC,
    maxDays: PUBLIC,
    inStageNow: PUBLIC,
  },
  StandardValidity: {
    certificateValidityYears: STANDARD,
    reviewIntervalYears: STANDARD,
  },
} as const satisfies AccessMap;
