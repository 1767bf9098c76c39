import { z } from 'zod';
import {
  AGENDA_ITEM_KINDS,
  COMMITTEE_SCOPES,
  DECISION_MAKER_ROLES,
  MEMBER_SIDES,
  entityId,
} from '@conecta/events/contracts';
import { stateCodeSchema, type StateCode } from '@conecta/mexico';
import {
  ConflictError,
  InvalidInputError,
  stateMachine,
} from '@conecta/service-kit/errors';
import type { OrganizationKind } from './organization';

export const COMMITTEE_STATUSES = [
  'PROPOSED',
  'INSTALLED',
  'DISSOLVED',
] as const;
export type CommitteeStatus = (typeof COMMITTEE_STATUSES)[number];
export type CommitteeScope = (typeof COMMITTEE_SCOPES)[number];
export type MemberSide = (typeof MEMBER_SIDES)[number];
export type DecisionMakerRole = (typeof DECISION_MAKER_ROLES)[number];
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

/** The member organization's statement that its representative is a high-level decision maker. */
export interface DecisionMakerAttestation {
  role: DecisionMakerRole;
  attestedAt: Date;
}

/** An organization sitting on a committee, through a representative. */
export interface CommitteeMember {
  organizationId: string;
  side: MemberSide;
  /** Title of the representative's position, e.g. "Director general". */
  positionTitle: string;
  /** null until the organization attests its representative is a decision maker. */
  attestation: DecisionMakerAttestation | null;
  joinedAt: Date;
}

/** An expert of the technical working group: drafts standards, decides nothing. */
export interface WorkingGroupExpert {
  id: string;
  /** Personal data: shown only to admins and the committee's organizations. */
  name: string;
  specialty: string;
  organizationId: string | null;
  addedAt: Date;
}

/** One prioritized function or occupation the sector needs. */
export interface AgendaItem {
  /**
   * Stable id (UUID): kept by every later version that carries the item over
   * (see {@link publishAgenda}), so a standard can name the item it covers.
   */
  id: string;
  /** 1 is the highest priority: the order given on publication. */
  priority: number;
  kind: AgendaItemKind;
  title: string;
  targetYear: number;
  rationale: string | null;
}

/** One published version of a committee's human-capital agenda. Never changed once published. */
export interface AgendaVersion {
  version: number;
  items: AgendaItem[];
  publishedAt: Date;
}

/** A competence management committee (DESIGN §2). */
export interface Committee {
  id: string;
  name: string;
  sectorId: string;
  scope: CommitteeScope;
  /** States of a REGIONAL committee, ISO 3166-2:MX; empty when NATIONAL. */
  states: StateCode[];
  status: CommitteeStatus;
  /** The organization that proposed it (null when an admin proposed it for nobody). */
  proposedByOrganizationId: string | null;
  members: CommitteeMember[];
  /** The member organization chairing the committee. */
  chairOrganizationId: string | null;
  experts: WorkingGroupExpert[];
  /** Every published agenda version, oldest first (version = index + 1). */
  agendas: AgendaVersion[];
  proposedAt: Date;
  installedAt: Date | null;
  dissolvedAt: Date | null;
  dissolutionReason: string | null;
  /**
   * How many times the stored committee was changed: the store's optimistic
   * concurrency token. Domain functions leave it alone.
   */
  revision: number;
}

/** What happened to a committee: the events layer turns each into an event. */
export type CommitteeChange =
  | { type: 'Proposed' }
  | { type: 'MemberAdded'; member: CommitteeMember }
  | { type: 'MemberRemoved'; organizationId: string; at: Date }
  | {
      type: 'DecisionMakerAttested';
      organizationId: string;
      attestation: DecisionMakerAttestation;
    }
  /** Membership of an INSTALLED committee changed (consumers see the full list). */
  | { type: 'MembersChanged' }
  | { type: 'ChairAppointed'; organizationId: string; at: Date }
  | { type: 'ExpertAdded'; expert: WorkingGroupExpert }
  | { type: 'AgendaPublished'; agenda: AgendaVersion }
  | { type: 'Installed' }
  | { type: 'Dissolved' };

/** A committee after a command, with what changed. */
export interface CommitteeOutcome {
  committee: Committee;
  changes: CommitteeChange[];
}

// ---------------------------------------------------------------- inputs

const name = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `must have at least ${min} characters`)
    .max(max, `must have at most ${max} characters`);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must have at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

export const proposeCommitteeInput = z
  .object({
    name: name(3, 200),
    sectorId: entityId,
    scope: z.enum(COMMITTEE_SCOPES),
    states: z
      .array(stateCodeSchema)
      .nullish()
      .transform((value) => value ?? []),
  })
  .superRefine((input, ctx) => {
    if (input.scope === 'REGIONAL' && input.states.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['states'],
        message: 'a REGIONAL committee names at least one state',
        params: { code: 'REGIONAL_SCOPE_WITHOUT_STATES' },
      });
    }
    if (input.scope === 'NATIONAL' && input.states.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['states'],
        message: 'a NATIONAL committee covers every state: list none',
        params: { code: 'NATIONAL_SCOPE_WITH_STATES' },
      });
    }
    input.states.forEach((state, index) => {
      if (input.states.indexOf(state) !== index) {
        ctx.addIssue({
          code: 'custom',
          path: ['states', index],
          message: `${state} is listed twice`,
          params: { code: 'DUPLICATE_STATE' },
        });
      }
    });
  });
export type ProposeCommitteeInput = z.output<typeof proposeCommitteeInput>;

export const addMemberInput = z.object({
  committeeId: entityId,
  organizationId: entityId,
  side: z.enum(MEMBER_SIDES),
  positionTitle: name(2, 120),
  decisionMakerRole: z
    .enum(DECISION_MAKER_ROLES)
    .nullish()
    .transform((value) => value ?? null),
});
export type AddMemberInput = z.output<typeof addMemberInput>;

export const attestDecisionMakerInput = z.object({
  committeeId: entityId,
  organizationId: entityId,
  role: z.enum(DECISION_MAKER_ROLES),
});
export type AttestDecisionMakerInput = z.output<
  typeof attestDecisionMakerInput
>;

/** Names one member of one committee (remove, appoint chair). */
export const memberRefInput = z.object({
  committeeId: entityId,
  organizationId: entityId,
});
export type MemberRefInput = z.output<typeof memberRefInput>;

export const addExpertInput = z.object({
  committeeId: entityId,
  name: name(2, 120),
  specialty: name(2, 200),
  organizationId: entityId.nullish().transform((value) => value ?? null),
});
export type AddExpertInput = z.output<typeof addExpertInput>;

/** Two items name the same thing when kind and title (ignoring case) match. */
const itemKey = (item: { kind: AgendaItemKind; title: string }) =>
  `${item.kind}:${item.title.trim().toLocaleLowerCase('es-MX')}`;

// Target years beyond this are not planning, they are guesses.
const MAX_TARGET_YEAR = 2100;
// An agenda is a short list of priorities, not a catalog of occupations.
const MAX_AGENDA_ITEMS = 50;

export const publishAgendaInput = z
  .object({
    committeeId: entityId,
    items: z
      .array(
        z.object({
          /** Carries over this item of the agenda in force (keeps its id). */
          id: entityId.nullish().transform((value) => value ?? null),
          kind: z.enum(AGENDA_ITEM_KINDS),
          title: name(2, 200),
          targetYear: z
            .number()
            .int()
            .min(2000, 'must be a year from 2000')
            .max(MAX_TARGET_YEAR, `must be a year up to ${MAX_TARGET_YEAR}`),
          rationale: optionalText(1_000),
        }),
      )
      .min(1, 'must list at least one function or occupation')
      .max(MAX_AGENDA_ITEMS, `must list at most ${MAX_AGENDA_ITEMS} items`),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    const seenIds = new Set<string>();
    input.items.forEach((item, index) => {
      const key = itemKey(item);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'title'],
          message: `"${item.title}" is already on the agenda`,
          params: { code: 'DUPLICATE_AGENDA_ITEM' },
        });
      }
      seen.add(key);
      if (item.id && seenIds.has(item.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'id'],
          message: 'carries over an item already listed',
          params: { code: 'DUPLICATE_AGENDA_ITEM' },
        });
      }
      if (item.id) seenIds.add(item.id);
    });
  });
export type PublishAgendaInput = z.output<typeof publishAgendaInput>;

export const dissolveCommitteeInput = z.object({
  committeeId: entityId,
  reason: name(3, 1_000),
});
export type DissolveCommitteeInput = z.output<typeof dissolveCommitteeInput>;

/** `installCommittee(id)` and every `committee(id)`-like argument. */
export const committeeIdArgs = z.object({ id: entityId });

export const listCommitteesArgs = z.object({
  filter: z
    .object({
      sectorId: entityId.nullish(),
      status: z.enum(COMMITTEE_STATUSES).nullish(),
      state: stateCodeSchema.nullish(),
    })
    .nullish()
    .transform((value) => value ?? {}),
});

// ---------------------------------------------------------------- state machine

/** The lifecycle commands and the only status each may start from. */
export const COMMITTEE_TRANSITIONS = {
  install: {
    from: ['PROPOSED'],
    to: 'INSTALLED',
    refusal: 'COMMITTEE_NOT_PROPOSED',
  },
  dissolve: {
    from: ['PROPOSED', 'INSTALLED'],
    to: 'DISSOLVED',
    refusal: 'COMMITTEE_ALREADY_DISSOLVED',
  },
} as const satisfies Record<
  string,
  { from: readonly CommitteeStatus[]; to: CommitteeStatus; refusal: string }
>;

export type CommitteeTransition = keyof typeof COMMITTEE_TRANSITIONS;

const TRANSITION_RULES = Object.entries(COMMITTEE_TRANSITIONS);

/** The lifecycle as a table, derived from the transitions above. */
export const COMMITTEE_LIFECYCLE = stateMachine<CommitteeStatus>(
  Object.fromEntries(
    COMMITTEE_STATUSES.map((status) => [
      status,
      TRANSITION_RULES.filter(([, rule]) =>
        (rule.from as readonly CommitteeStatus[]).includes(status),
      ).map(([, rule]) => rule.to),
    ]),
  ) as Record<CommitteeStatus, CommitteeStatus[]>,
  (from, to) => {
    const [name, rule] = TRANSITION_RULES.find(([, r]) => r.to === to)!;
    return {
      code: rule.refusal,
      message: `Cannot ${name} a committee that is ${from} (only from ${rule.from.join(' or ')})`,
    };
  },
);

/**
 * The status after `transition`, or a CONFLICT with the transition's stable code
 * (`COMMITTEE_NOT_PROPOSED`, `COMMITTEE_ALREADY_DISSOLVED`).
 */
export function nextStatus(
  status: CommitteeStatus,
  transition: CommitteeTransition,
): CommitteeStatus {
  const { to } = COMMITTEE_TRANSITIONS[transition];
  COMMITTEE_LIFECYCLE.assert(status, to);
  return to;
}

/** Changes to members, experts and chair: refused once dissolved. */
function assertNotDissolved(committee: Committee): void {
  if (committee.status === 'DISSOLVED') {
    throw new ConflictError(
      'COMMITTEE_DISSOLVED',
      `Committee ${committee.id} is dissolved: it can no longer change`,
    );
  }
}

/** Publishing agendas and nominating: only an INSTALLED committee acts for its sector. */
export function assertInstalled(committee: Committee): void {
  assertNotDissolved(committee);
  if (committee.status !== 'INSTALLED') {
    throw new ConflictError(
      'COMMITTEE_NOT_INSTALLED',
      `Committee ${committee.id} is ${committee.status}: only an installed committee may do this`,
    );
  }
}

// ---------------------------------------------------------------- installation

/** Why a committee cannot be installed yet. */
export const INSTALLATION_CONDITIONS = [
  'NO_CHAIR',
  'NO_EMPLOYER_MEMBER',
  'UNATTESTED_MEMBERS',
] as const;
export type InstallationCondition = (typeof INSTALLATION_CONDITIONS)[number];

/** Every condition that still stands between this committee and its installation. */
export function unmetInstallationConditions(
  committee: Committee,
): InstallationCondition[] {
  const unmet: InstallationCondition[] = [];
  if (!committee.chairOrganizationId) unmet.push('NO_CHAIR');
  if (!committee.members.some((m) => m.side === 'EMPLOYER')) {
    unmet.push('NO_EMPLOYER_MEMBER');
  }
  if (committee.members.some((m) => m.attestation === null)) {
    unmet.push('UNATTESTED_MEMBERS');
  }
  return unmet;
}

/** Installation refused: `unmetConditions` says what is missing. */
export class CommitteeNotInstallableError extends ConflictError {
  constructor(readonly unmetConditions: readonly InstallationCondition[]) {
    super(
      'COMMITTEE_NOT_INSTALLABLE',
      `The committee cannot be installed yet: ${unmetConditions.join(', ')}`,
    );
  }

  /** Clients get the list in `extensions.unmetConditions`. */
  override get details() {
    return { unmetConditions: this.unmetConditions };
  }
}

// ---------------------------------------------------------------- commands

/** A new PROPOSED committee from validated input; id, clock and proposer come from outside. */
export function proposeCommittee(
  input: ProposeCommitteeInput,
  {
    id,
    now,
    proposedByOrganizationId,
  }: { id: string; now: Date; proposedByOrganizationId: string | null },
): CommitteeOutcome {
  return {
    committee: {
      id,
      name: input.name,
      sectorId: input.sectorId,
      scope: input.scope,
      states: input.states,
      status: 'PROPOSED',
      proposedByOrganizationId,
      members: [],
      chairOrganizationId: null,
      experts: [],
      agendas: [],
      proposedAt: now,
      installedAt: null,
      dissolvedAt: null,
      dissolutionReason: null,
      revision: 0,
    },
    changes: [{ type: 'Proposed' }],
  };
}

function findMember(
  committee: Committee,
  organizationId: string,
): CommitteeMember {
  const member = committee.members.find(
    (m) => m.organizationId === organizationId,
  );
  if (!member) {
    throw new InvalidInputError(
      'input.organizationId',
      'is not a member of this committee',
      'NOT_A_MEMBER',
    );
  }
  return member;
}

// ---------------------------------------------------------------- sides

/**
 * The side each kind of organization may represent (the `MemberSide`
 * descriptions of the contract: employers are companies, chambers and
 * clusters; workers are trade unions; education is universities, schools and
 * training providers; government bodies; civil society). A union seated as an
 * EMPLOYER would fake the employer presence an installation requires.
 */
export const SIDES_BY_ORGANIZATION_KIND = {
  COMPANY: ['EMPLOYER'],
  CHAMBER: ['EMPLOYER'],
  INDUSTRY_CLUSTER: ['EMPLOYER'],
  TRADE_UNION: ['LABOR'],
  UNIVERSITY: ['EDUCATION'],
  VOCATIONAL_SCHOOL: ['EDUCATION'],
  TRAINING_PROVIDER: ['EDUCATION'],
  GOVERNMENT_BODY: ['GOVERNMENT'],
  SOCIAL_ORGANIZATION: ['SOCIAL'],
} as const satisfies Record<OrganizationKind, readonly MemberSide[]>;

/**
 * @throws InvalidInputError `SIDE_NOT_FOR_ORGANIZATION_KIND` (field
 *   `input.side`) unless an organization of `kind` may represent `side`
 */
export function assertSideFitsKind(
  side: MemberSide,
  kind: OrganizationKind,
): void {
  const allowed: readonly MemberSide[] = SIDES_BY_ORGANIZATION_KIND[kind];
  if (!allowed.includes(side)) {
    throw new InvalidInputError(
      'input.side',
      `a ${kind} organization represents the ${allowed.join(' or ')} side, not ${side}`,
      'SIDE_NOT_FOR_ORGANIZATION_KIND',
    );
  }
}

function membershipChanged(committee: Committee): CommitteeChange[] {
  return committee.status === 'INSTALLED' ? [{ type: 'MembersChanged' }] : [];
}

/**
 * Adds an organization as a member. Its side must fit its kind
 * ({@link SIDES_BY_ORGANIZATION_KIND}). An organization sits at most once on a
 * committee. An INSTALLED committee keeps every member attested, so a member
 * joins it already attested (`decisionMakerRole`).
 *
 * @param organizationKind the kind of the organization `input.organizationId` names
 */
export function addMember(
  committee: Committee,
  input: AddMemberInput,
  { now, organizationKind }: { now: Date; organizationKind: OrganizationKind },
): CommitteeOutcome {
  assertSideFitsKind(input.side, organizationKind);
  assertNotDissolved(committee);
  if (
    committee.members.some((m) => m.organizationId === input.organizationId)
  ) {
    throw new ConflictError(
      'MEMBER_ALREADY_IN_COMMITTEE',
      'This organization is already a member of the committee',
      'input.organizationId',
    );
  }
  if (committee.status === 'INSTALLED' && !input.decisionMakerRole) {
    throw new ConflictError(
      'MEMBER_NOT_ATTESTED',
      'Every member of an installed committee is an attested decision maker: give decisionMakerRole',
      'input.decisionMakerRole',
    );
  }
  const member: CommitteeMember = {
    organizationId: input.organizationId,
    side: input.side,
    positionTitle: input.positionTitle,
    attestation: input.decisionMakerRole
      ? { role: input.decisionMakerRole, attestedAt: now }
      : null,
    joinedAt: now,
  };
  const next = { ...committee, members: [...committee.members, member] };
  return {
    committee: next,
    changes: [{ type: 'MemberAdded', member }, ...membershipChanged(next)],
  };
}

/** Records that a member's representative is a decision maker (or a new role for them). */
export function attestDecisionMaker(
  committee: Committee,
  input: AttestDecisionMakerInput,
  { now }: { now: Date },
): CommitteeOutcome {
  assertNotDissolved(committee);
  const member = findMember(committee, input.organizationId);
  if (member.attestation?.role === input.role) {
    throw new ConflictError(
      'MEMBER_ALREADY_ATTESTED',
      `This member is already attested as ${input.role}`,
      'input.role',
    );
  }
  const attestation = { role: input.role, attestedAt: now };
  return {
    committee: {
      ...committee,
      members: committee.members.map((m) =>
        m === member ? { ...m, attestation } : m,
      ),
    },
    changes: [
      {
        type: 'DecisionMakerAttested',
        organizationId: input.organizationId,
        attestation,
      },
    ],
  };
}

/**
 * Removes a member. The chair cannot leave before another chair is appointed,
 * and an INSTALLED committee keeps at least one EMPLOYER member (its
 * installation conditions keep holding).
 */
export function removeMember(
  committee: Committee,
  input: MemberRefInput,
  { now }: { now: Date },
): CommitteeOutcome {
  assertNotDissolved(committee);
  const member = findMember(committee, input.organizationId);
  if (committee.chairOrganizationId === member.organizationId) {
    throw new ConflictError(
      'CHAIR_CANNOT_LEAVE',
      'The chair cannot leave the committee: appoint another chair first',
      'input.organizationId',
    );
  }
  const members = committee.members.filter((m) => m !== member);
  if (
    committee.status === 'INSTALLED' &&
    !members.some((m) => m.side === 'EMPLOYER')
  ) {
    throw new ConflictError(
      'LAST_EMPLOYER_MEMBER',
      'An installed committee keeps at least one EMPLOYER member',
      'input.organizationId',
    );
  }
  const next = { ...committee, members };
  return {
    committee: next,
    changes: [
      { type: 'MemberRemoved', organizationId: member.organizationId, at: now },
      ...membershipChanged(next),
    ],
  };
}

/** Appoints a member organization as chair (replacing the previous one). */
export function appointChair(
  committee: Committee,
  input: MemberRefInput,
  { now }: { now: Date },
): CommitteeOutcome {
  assertNotDissolved(committee);
  const member = findMember(committee, input.organizationId);
  if (committee.chairOrganizationId === member.organizationId) {
    throw new ConflictError(
      'ALREADY_CHAIR',
      'This member already chairs the committee',
      'input.organizationId',
    );
  }
  return {
    committee: { ...committee, chairOrganizationId: member.organizationId },
    changes: [
      {
        type: 'ChairAppointed',
        organizationId: member.organizationId,
        at: now,
      },
    ],
  };
}

/** Adds an expert to the technical working group; the same person (name and specialty) once. */
export function addExpert(
  committee: Committee,
  input: AddExpertInput,
  { id, now }: { id: string; now: Date },
): CommitteeOutcome {
  assertNotDissolved(committee);
  const same = (a: string, b: string) =>
    a.localeCompare(b, 'es-MX', { sensitivity: 'base' }) === 0;
  if (
    committee.experts.some(
      (e) => same(e.name, input.name) && same(e.specialty, input.specialty),
    )
  ) {
    throw new ConflictError(
      'EXPERT_ALREADY_IN_WORKING_GROUP',
      'This expert is already in the working group with this specialty',
      'input.name',
    );
  }
  const expert: WorkingGroupExpert = {
    id,
    name: input.name,
    specialty: input.specialty,
    organizationId: input.organizationId,
    addedAt: now,
  };
  return {
    committee: { ...committee, experts: [...committee.experts, expert] },
    changes: [{ type: 'ExpertAdded', expert }],
  };
}

/**
 * The ids of the next agenda version's items, in input order. An item keeps
 * the id of an item of the agenda in force (the latest version) when it names
 * it (`id`) or, without one, when its kind and title match an item in force
 * not named by another; any other item is new and gets `newId()`. Items in
 * force that the new version does not keep are retired: they stay in the
 * older versions, and are in force no more.
 *
 * @throws InvalidInputError `AGENDA_ITEM_NOT_IN_FORCE` (an `id` that is not
 *   an item of the agenda in force) or `AGENDA_ITEM_KIND_CHANGED` (a function
 *   carried over as an occupation, or the reverse: that is another item)
 */
export function carryOverItemIds(
  inForce: readonly AgendaItem[],
  items: PublishAgendaInput['items'],
  newId: () => string,
): string[] {
  const byId = new Map(inForce.map((item) => [item.id, item]));
  const unknown = items.flatMap((item, index) =>
    item.id && !byId.has(item.id)
      ? [
          {
            field: `input.items[${index}].id`,
            message: 'is not an item of the agenda in force',
          },
        ]
      : [],
  );
  if (unknown.length > 0) {
    throw InvalidInputError.fromProblems(unknown, 'AGENDA_ITEM_NOT_IN_FORCE');
  }
  const changedKind = items.flatMap((item, index) =>
    item.id && byId.get(item.id)!.kind !== item.kind
      ? [
          {
            field: `input.items[${index}].kind`,
            message: `must stay ${byId.get(item.id)!.kind} to carry the item over`,
          },
        ]
      : [],
  );
  if (changedKind.length > 0) {
    throw InvalidInputError.fromProblems(
      changedKind,
      'AGENDA_ITEM_KIND_CHANGED',
    );
  }
  // Named items first, so a title match never takes an id named elsewhere.
  const claimed = new Set(items.flatMap((item) => (item.id ? [item.id] : [])));
  const byKey = new Map(
    inForce
      .filter((item) => !claimed.has(item.id))
      .map((item) => [itemKey(item), item.id]),
  );
  return items.map((item) => {
    if (item.id) return item.id;
    const matched = byKey.get(itemKey(item));
    if (matched) {
      byKey.delete(itemKey(item));
      return matched;
    }
    return newId();
  });
}

/**
 * Publishes the next version of the human-capital agenda (1, 2, …). Earlier
 * versions stay as they were. Only an INSTALLED committee speaks for its
 * sector, and a target year is never before the year of publication. Items
 * carried over from the agenda in force keep their ids
 * ({@link carryOverItemIds}); new ones get `newId()`.
 */
export function publishAgenda(
  committee: Committee,
  input: PublishAgendaInput,
  { now, newId }: { now: Date; newId: () => string },
): CommitteeOutcome {
  assertInstalled(committee);
  const year = now.getUTCFullYear();
  const past = input.items.flatMap((item, index) =>
    item.targetYear < year
      ? [
          {
            field: `input.items[${index}].targetYear`,
            message: `must not be before ${year}, the year of publication`,
          },
        ]
      : [],
  );
  if (past.length > 0) {
    throw InvalidInputError.fromProblems(past, 'TARGET_YEAR_IN_PAST');
  }
  const ids = carryOverItemIds(
    committee.agendas.at(-1)?.items ?? [],
    input.items,
    newId,
  );
  const agenda: AgendaVersion = {
    version: committee.agendas.length + 1,
    items: input.items.map((item, index) => ({
      id: ids[index]!,
      priority: index + 1,
      kind: item.kind,
      title: item.title,
      targetYear: item.targetYear,
      rationale: item.rationale,
    })),
    publishedAt: now,
  };
  return {
    committee: { ...committee, agendas: [...committee.agendas, agenda] },
    changes: [{ type: 'AgendaPublished', agenda }],
  };
}

/**
 * Installs a PROPOSED committee: refused with every unmet condition (NO_CHAIR,
 * NO_EMPLOYER_MEMBER, UNATTESTED_MEMBERS) until it has a chair, an EMPLOYER
 * member, and every member attested.
 */
export function installCommittee(
  committee: Committee,
  { now }: { now: Date },
): CommitteeOutcome {
  const status = nextStatus(committee.status, 'install');
  const unmet = unmetInstallationConditions(committee);
  if (unmet.length > 0) throw new CommitteeNotInstallableError(unmet);
  return {
    committee: { ...committee, status, installedAt: now },
    changes: [{ type: 'Installed' }],
  };
}

/** Dissolves a PROPOSED (abandoned proposal) or INSTALLED committee, with a reason. */
export function dissolveCommittee(
  committee: Committee,
  input: DissolveCommitteeInput,
  { now }: { now: Date },
): CommitteeOutcome {
  const status = nextStatus(committee.status, 'dissolve');
  return {
    committee: {
      ...committee,
      status,
      dissolvedAt: now,
      dissolutionReason: input.reason,
    },
    changes: [{ type: 'Dissolved' }],
  };
}

// ---------------------------------------------------------------- reads

/** The chair as a member, or null. */
export function chairOf(committee: Committee): CommitteeMember | null {
  return (
    committee.members.find(
      (m) => m.organizationId === committee.chairOrganizationId,
    ) ?? null
  );
}

/** Agenda `version`, or the latest when no version is given; null when there is none. */
export function agendaVersion(
  committee: Committee,
  version?: number | null,
): AgendaVersion | null {
  if (version === undefined || version === null) {
    return committee.agendas.at(-1) ?? null;
  }
  return committee.agendas.find((a) => a.version === version) ?? null;
}

/** An expert as a given reader sees them: the name only when `revealName`. */
export interface ExpertView extends Omit<WorkingGroupExpert, 'name'> {
  name: string | null;
  initials: string;
}

/** Initials of a name ("María José Pérez" → "M. J. P."): enough to tell experts apart. */
export function initialsOf(fullName: string): string {
  return fullName
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part.charAt(0).toLocaleUpperCase('es-MX')}.`)
    .join(' ');
}

export function viewExpert(
  expert: WorkingGroupExpert,
  revealName: boolean,
): ExpertView {
  return {
    ...expert,
    name: revealName ? expert.name : null,
    initials: initialsOf(expert.name),
  };
}

/** Whether a committee could be installed now, and what is missing. */
export interface InstallationCheck {
  installable: boolean;
  unmetConditions: InstallationCondition[];
}

export function installationCheck(committee: Committee): InstallationCheck {
  const unmetConditions = unmetInstallationConditions(committee);
  return {
    installable:
      committee.status === 'PROPOSED' && unmetConditions.length === 0,
    unmetConditions,
  };
}
