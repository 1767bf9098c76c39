import {
  PUBLIC,
  type AccessMap,
  type Guard,
} from '@conecta/service-kit/access';
import { actsForCommittee } from './permissions';

// Who may read each field this service resolves in the composed graph, in one
// place (issue 12). `public`: anyone. A guard names the domain rule that
// decides, who passes it (roles, or a relation of the caller to the record:
// see gateway/README.md "Authorization matrix") and what everyone else gets.
// gateway/test/access-matrix.test.ts fails when a field of the schema has no
// entry here (or an entry names no field), and probes every guarded field
// through every path that reaches it, as every role. Mutations are not listed:
// each command authorizes its caller (tested per service).

/** An expert's full name (personal data): admins and the committee's organizations. */
const EXPERT_NAME: Guard = {
  rule: actsForCommittee,
  to: ['admin', 'committee'],
  otherwise: 'null',
};

export const ACCESS = {
  AgendaItem: {
    id: PUBLIC,
    priority: PUBLIC,
    kind: PUBLIC,
    title: PUBLIC,
    targetYear: PUBLIC,
    rationale: PUBLIC,
  },
  Committee: {
    id: PUBLIC,
    name: PUBLIC,
    sector: PUBLIC,
    scope: PUBLIC,
    states: PUBLIC,
    status: PUBLIC,
    proposedBy: PUBLIC,
    members: PUBLIC,
    chair: PUBLIC,
    workingGroup: PUBLIC,
    installation: PUBLIC,
    agenda: PUBLIC,
    agendaVersions: PUBLIC,
    nominations: PUBLIC,
    proposedAt: PUBLIC,
    installedAt: PUBLIC,
    dissolvedAt: PUBLIC,
    dissolutionReason: PUBLIC,
  },
  CommitteeMember: {
    organization: PUBLIC,
    side: PUBLIC,
    positionTitle: PUBLIC,
    decisionMaker: PUBLIC,
    joinedAt: PUBLIC,
  },
  CompetencyStandard: {
    id: PUBLIC,
    nominations: PUBLIC,
    nominationCount: PUBLIC,
  },
  DecisionMakerAttestation: {
    role: PUBLIC,
    attestedAt: PUBLIC,
  },
  HumanCapitalAgenda: {
    version: PUBLIC,
    items: PUBLIC,
    publishedAt: PUBLIC,
  },
  InstallationCheck: {
    installable: PUBLIC,
    unmetConditions: PUBLIC,
  },
  Nomination: {
    id: PUBLIC,
    committee: PUBLIC,
    standard: PUBLIC,
    organization: PUBLIC,
    nominatedAt: PUBLIC,
  },
  Organization: {
    id: PUBLIC,
    name: PUBLIC,
    kind: PUBLIC,
    state: PUBLIC,
    stateName: PUBLIC,
    taxId: PUBLIC,
    registeredAt: PUBLIC,
    committees: PUBLIC,
  },
  OrganizationConnection: {
    nodes: PUBLIC,
    totalCount: PUBLIC,
    pageInfo: PUBLIC,
  },
  PageInfo: {
    endCursor: PUBLIC,
    hasNextPage: PUBLIC,
  },
  Query: {
    organization: PUBLIC,
    organizations: PUBLIC,
    sector: PUBLIC,
    sectorByCode: PUBLIC,
    sectors: PUBLIC,
    committee: PUBLIC,
    committees: PUBLIC,
  },
  Sector: {
    id: PUBLIC,
    code: PUBLIC,
    name: PUBLIC,
    kind: PUBLIC,
    registeredAt: PUBLIC,
    committees: PUBLIC,
  },
  WorkingGroupExpert: {
    id: PUBLIC,
    name: EXPERT_NAME,
    initials: PUBLIC,
    specialty: PUBLIC,
    organization: PUBLIC,
    addedAt: PUBLIC,
  },
} as const satisfies AccessMap;
