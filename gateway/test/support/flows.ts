import { COUNCIL_SEATS } from '@conecta/events';
import { approvedProcedure, companyRfc } from '@conecta/test-kit';
import { sectorCode } from './data';
import type { Actor, TestSystem } from './system';

// The set-up steps the system tests share, each one GraphQL request (or a
// few) through a gateway, as a user would send them. Each function takes the
// `send` of the gateway to go through (TestSystem['send']) and the actors, and
// answers what the step answered: the assertions stay in the test files.
// Names and codes come from the caller: the shared system holds every test
// file's data, so each file keeps its own unique (support/data.ts).

/** Sends one operation as `actor` through a gateway and answers its data ({@link TestSystem.send}). */
export type Send = TestSystem['send'];

/** A seat of the technical council. */
export type CouncilSeat = (typeof COUNCIL_SEATS)[number];
/** How a seat votes. */
export type CouncilVoteChoice = 'IN_FAVOR' | 'AGAINST' | 'ABSTAIN';
/** A council vote's count. */
export interface CouncilTally {
  inFavor: number;
  against: number;
  abstentions: number;
}

// The documents the flows send; those exported serve the tests that expect
// the same operation refused (TestSystem.refusal).
export const REGISTER_SECTOR = `mutation ($i: RegisterSectorInput!) { registerSector(input: $i) { id code } }`;
export const REGISTER_ORGANIZATION = `mutation ($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id name } }`;
const PROPOSE_COMMITTEE = `mutation ($i: ProposeCommitteeInput!) { proposeCommittee(input: $i) { id status } }`;
const ADD_COMMITTEE_MEMBER = `mutation ($i: AddCommitteeMemberInput!) { addCommitteeMember(input: $i) { id } }`;
const APPOINT_COMMITTEE_CHAIR = `mutation ($i: CommitteeMemberRefInput!) { appointCommitteeChair(input: $i) { chair { organization { id } } } }`;
export const INSTALL_COMMITTEE = `mutation ($id: ID!) { installCommittee(id: $id) { status } }`;
const PUBLISH_AGENDA = `mutation ($i: PublishHumanCapitalAgendaInput!) { publishHumanCapitalAgenda(input: $i) { version items { id title } } }`;
const DRAFT_STANDARD = `mutation ($i: DraftStandardInput!) { draftStandard(input: $i) { id code version status } }`;
const APPOINT_COUNCIL_SEAT = `mutation ($s: CouncilSeat!, $h: ID!) { appointCouncilSeat(seat: $s, holderId: $h) { seat holderId } }`;
export const CAST_COUNCIL_VOTE = `mutation ($id: ID!, $seat: CouncilSeat!, $vote: CouncilVoteChoice!) { castCouncilVote(id: $id, seat: $seat, vote: $vote) { status councilTally { inFavor against abstentions } } }`;
export const PUBLISH_STANDARD = `mutation ($id: ID!, $p: PublishStandardInput!) { publishStandard(id: $id, input: $p) { status councilTally { inFavor against abstentions } gazette { date reference } } }`;
const REGISTER_CERTIFYING_BODY = `mutation ($i: RegisterCertifyingBodyInput!) { registerCertifyingBody(input: $i) { id } }`;
const SET_STAFF_MEMBER = `mutation ($b: ID!, $m: StaffMemberInput!) { setStaffMember(certifyingBodyId: $b, member: $m) { id } }`;
const NOMINATE_CERTIFIER = `mutation ($i: NominateCertifierInput!) { nominateCertifier(input: $i) { id } }`;
const REQUEST_ACCREDITATION = `mutation ($b: ID!, $s: ID!) { requestAccreditation(certifyingBodyId: $b, standardId: $s) { id } }`;
const SET_FEE = `mutation ($b: ID!, $s: ID!, $a: Int!) { setFee(certifyingBodyId: $b, standardId: $s, amountCentavos: $a) { id } }`;
const ACTIVATE_ACCREDITATION = `mutation ($id: ID!) { activateAccreditation(id: $id) { status } }`;

/**
 * What standards answers while it has not yet received committees' events
 * (a committee's members, its installation, its agenda): until then a member
 * is a stranger to it (FORBIDDEN), the committee is not installed yet, or has
 * no agenda yet.
 */
const STANDARDS_CATCHING_UP = [
  'FORBIDDEN',
  'COMMITTEE_NOT_INSTALLED',
  'NO_AGENDA_IN_FORCE',
];

/** Registers a sector (a fresh 6-digit code unless `code` is given) as `admin`. */
export async function registerSector(
  send: Send,
  admin: Actor,
  {
    name,
    code = sectorCode(),
    kind = 'PRODUCTIVE',
  }: { name: string; code?: string; kind?: string },
): Promise<{ id: string; code: string }> {
  return (await send(admin, REGISTER_SECTOR, { i: { code, name, kind } }))
    .registerSector;
}

/** Registers an organization in the directory as `actor`, with a fresh valid RFC. */
export async function registerOrganization(
  send: Send,
  actor: Actor,
  { name, kind, state }: { name: string; kind: string; state: string },
): Promise<{ id: string; name: string }> {
  return (
    await send(actor, REGISTER_ORGANIZATION, {
      i: { name, kind, state, taxId: companyRfc() },
    })
  ).registerOrganization;
}

/** A committee's name, sector and scope (and states, for a regional one). */
export interface CommitteeProposal {
  name: string;
  sectorId: string;
  scope: 'NATIONAL' | 'REGIONAL';
  states?: string[];
}

/** A member organization of a committee, on one side, by its representative's position. */
export interface CommitteeMember {
  organizationId: string;
  side: string;
  positionTitle: string;
  /** The representative's decision-making role, attested on joining. */
  decisionMakerRole?: string;
}

/**
 * A committee's three sides, each represented by its decision maker: the
 * employer's chief executive, the union's general secretary and the
 * university's rector.
 */
export function tripartiteMembers({
  employer,
  union,
  university,
}: {
  employer: string;
  union: string;
  university: string;
}): CommitteeMember[] {
  return [
    {
      organizationId: employer,
      side: 'EMPLOYER',
      positionTitle: 'Director General',
      decisionMakerRole: 'CHIEF_EXECUTIVE',
    },
    {
      organizationId: union,
      side: 'LABOR',
      positionTitle: 'Secretario General',
      decisionMakerRole: 'UNION_GENERAL_SECRETARY',
    },
    {
      organizationId: university,
      side: 'EDUCATION',
      positionTitle: 'Rector General',
      decisionMakerRole: 'RECTOR',
    },
  ];
}

/** Proposes a committee as `actor`. */
export async function proposeCommittee(
  send: Send,
  actor: Actor,
  proposal: CommitteeProposal,
): Promise<{ id: string; status: string }> {
  return (await send(actor, PROPOSE_COMMITTEE, { i: proposal }))
    .proposeCommittee;
}

/** Adds a member organization to a committee as `actor`. */
export async function addCommitteeMember(
  send: Send,
  actor: Actor,
  committeeId: string,
  member: CommitteeMember,
): Promise<void> {
  await send(actor, ADD_COMMITTEE_MEMBER, { i: { committeeId, ...member } });
}

/** Appoints a member organization the committee's chair as `actor`; answers the chair's organization id. */
export async function appointCommitteeChair(
  send: Send,
  actor: Actor,
  committeeId: string,
  organizationId: string,
): Promise<string> {
  return (
    await send(actor, APPOINT_COMMITTEE_CHAIR, {
      i: { committeeId, organizationId },
    })
  ).appointCommitteeChair.chair.organization.id;
}

/** Installs a committee as `admin`; answers its status. */
export async function installCommittee(
  send: Send,
  admin: Actor,
  committeeId: string,
): Promise<string> {
  return (await send(admin, INSTALL_COMMITTEE, { id: committeeId }))
    .installCommittee.status;
}

/**
 * Proposes a committee, adds its members, appoints `chair` (one of them) and
 * has `admin` install it: `by` proposes, adds and appoints (default `admin`).
 * Answers the committee's id and the status installation left it in.
 */
export async function installedCommittee(
  send: Send,
  {
    admin,
    by = admin,
    committee,
    members,
    chair,
  }: {
    admin: Actor;
    by?: Actor;
    committee: CommitteeProposal;
    members: readonly CommitteeMember[];
    chair: string;
  },
): Promise<{ id: string; status: string }> {
  const { id } = await proposeCommittee(send, by, committee);
  for (const member of members) await addCommitteeMember(send, by, id, member);
  await appointCommitteeChair(send, by, id, chair);
  return { id, status: await installCommittee(send, admin, id) };
}

/** One item of a committee's human-capital agenda. */
export interface AgendaItem {
  kind: 'FUNCTION' | 'OCCUPATION';
  title: string;
  targetYear: number;
}

/** Publishes a new version of a committee's human-capital agenda as `member`. */
export async function publishAgenda(
  send: Send,
  member: Actor,
  committeeId: string,
  items: readonly AgendaItem[],
): Promise<{ version: number; items: { id: string; title: string }[] }> {
  return (await send(member, PUBLISH_AGENDA, { i: { committeeId, items } }))
    .publishHumanCapitalAgenda;
}

/** A standard's draft: DraftStandardInput. */
export interface StandardDraft {
  committeeId: string;
  sectorId: string;
  agendaItemId: string;
  title: string;
  purpose: string;
  level: number;
  elements: {
    title: string;
    performanceCriteria: string[];
    products: string[];
    knowledge: string[];
    attitudes: string[];
  }[];
  validity: { certificateValidityYears: number; reviewIntervalYears: number };
}

/**
 * Drafts a standard as `author`, waiting while standards has not yet learnt
 * of the committee's members, installation or agenda (they travel as events).
 */
export async function draftStandard(
  send: Send,
  author: Actor,
  draft: StandardDraft,
): Promise<{ id: string; code: string; version: number; status: string }> {
  return (
    await send(author, DRAFT_STANDARD, { i: draft }, STANDARDS_CATCHING_UP)
  ).draftStandard;
}

/** Runs one step of a standard's lifecycle (`mutation(id: $id)`) as `actor`; answers the new status. */
export async function standardStep(
  send: Send,
  actor: Actor,
  mutation: string,
  standardId: string,
): Promise<string> {
  const data = await send(
    actor,
    `mutation ($id: ID!) { ${mutation}(id: $id) { status } }`,
    { id: standardId },
  );
  return data[mutation].status;
}

/**
 * Takes a DRAFT to its council vote: `author` submits it, `admin` starts the
 * methodology review and sends it to the council. Answers the three statuses.
 */
export async function toCouncilVote(
  send: Send,
  { author, admin }: { author: Actor; admin: Actor },
  standardId: string,
): Promise<string[]> {
  return [
    await standardStep(send, author, 'submitStandard', standardId),
    await standardStep(send, admin, 'startReview', standardId),
    await standardStep(send, admin, 'sendToCouncil', standardId),
  ];
}

/**
 * Appoints every seat of the council (COUNCIL_SEATS, in order) to
 * `holder(i)` as `admin`. The council is one for the whole system: the
 * seats go to whoever appointed them last. Answers each appointment.
 */
export async function appointCouncil(
  send: Send,
  admin: Actor,
  holder: (seatIndex: number) => Actor,
): Promise<{ seat: CouncilSeat; holderId: string }[]> {
  const appointed = [];
  for (const [i, seat] of COUNCIL_SEATS.entries())
    appointed.push(
      (await send(admin, APPOINT_COUNCIL_SEAT, { s: seat, h: holder(i).sub }))
        .appointCouncilSeat,
    );
  return appointed;
}

/** Casts one seat's vote on a standard as the seat's holder. */
export async function castCouncilVote(
  send: Send,
  holder: Actor,
  standardId: string,
  seat: CouncilSeat,
  vote: CouncilVoteChoice,
): Promise<{ status: string; councilTally: CouncilTally }> {
  return (await send(holder, CAST_COUNCIL_VOTE, { id: standardId, seat, vote }))
    .castCouncilVote;
}

/**
 * Every seat (COUNCIL_SEATS, in order) votes on a standard as `holder(i)`,
 * as `vote(i)` says; answers the last vote's answer (the vote closes with it).
 */
export async function voteInCouncil(
  send: Send,
  standardId: string,
  holder: (seatIndex: number) => Actor,
  vote: (seatIndex: number) => CouncilVoteChoice,
): Promise<{ status: string; councilTally: CouncilTally }> {
  let last!: { status: string; councilTally: CouncilTally };
  for (const [i, seat] of COUNCIL_SEATS.entries())
    last = await castCouncilVote(send, holder(i), standardId, seat, vote(i));
  return last;
}

/** Publishes an approved standard in the gazette as `admin`. */
export async function publishStandard(
  send: Send,
  admin: Actor,
  standardId: string,
  gazette: { date: string; reference: string },
): Promise<{
  status: string;
  councilTally: CouncilTally;
  gazette: { date: string; reference: string };
}> {
  return (
    await send(admin, PUBLISH_STANDARD, {
      id: standardId,
      p: { gazetteDate: gazette.date, gazetteReference: gazette.reference },
    })
  ).publishStandard;
}

/**
 * Registers an organization's certifying body as `admin`, waiting while
 * certification has not yet learnt of the organization (an event).
 */
export async function registerCertifyingBody(
  send: Send,
  admin: Actor,
  {
    organizationId,
    kind,
    facilities,
  }: {
    organizationId: string;
    kind: string;
    facilities: { state: string; city: string }[];
  },
): Promise<string> {
  return (
    await send(
      admin,
      REGISTER_CERTIFYING_BODY,
      { i: { organizationId, kind, facilities } },
      ['ORGANIZATION_NOT_FOUND'],
    )
  ).registerCertifyingBody.id;
}

/** Makes `subject` a member of a certifying body's staff, in `roles`, as `admin`. */
export async function setStaffMember(
  send: Send,
  admin: Actor,
  certifyingBodyId: string,
  member: { subject: string; name: string; roles: string[] },
): Promise<void> {
  await send(admin, SET_STAFF_MEMBER, { b: certifyingBodyId, m: member });
}

/** An organization that certifies a standard: its body's kind and state, and its fee. */
export interface Certifier {
  organizationId: string;
  kind: string;
  state: string;
  feeCentavos: number;
}

/**
 * Makes each organization of `certifiers` an accredited certifier of a
 * published standard: registers its certifying body (`admin`), has the
 * committee's `member` nominate it, requests its accreditation and sets its
 * fee (`admin`), gets its evaluation procedure approved (safeguard 2: no
 * accreditation becomes ACTIVE without one), then activates every
 * accreditation (which needs the nominations to have reached certification).
 * Answers the bodies', the accreditations' ids and the activations' statuses,
 * in the order of `certifiers`.
 */
export async function accreditedCertifiers(
  send: Send,
  {
    admin,
    member,
    committeeId,
    standardId,
    certifiers,
  }: {
    admin: Actor;
    member: Actor;
    committeeId: string;
    standardId: string;
    certifiers: readonly Certifier[];
  },
): Promise<{
  bodyIds: string[];
  accreditationIds: string[];
  activations: string[];
}> {
  const bodyIds: string[] = [];
  const accreditationIds: string[] = [];
  for (const { organizationId, kind, state, feeCentavos } of certifiers) {
    const bodyId = await registerCertifyingBody(send, admin, {
      organizationId,
      kind,
      facilities: [{ state, city: 'Sede principal' }],
    });
    bodyIds.push(bodyId);
    // Committees learns of the publication through Kafka.
    await send(
      member,
      NOMINATE_CERTIFIER,
      { i: { committeeId, standardId, organizationId } },
      ['STANDARD_NOT_PUBLISHED'],
    );
    const { requestAccreditation } = await send(
      admin,
      REQUEST_ACCREDITATION,
      { b: bodyId, s: standardId },
      // certification learns of the standard from committees' events: until
      // then it does not know it at all, then knows it as published
      ['COMPETENCY_STANDARD_NOT_FOUND', 'STANDARD_NOT_PUBLISHED'],
    );
    accreditationIds.push(requestAccreditation.id);
    await send(admin, SET_FEE, { b: bodyId, s: standardId, a: feeCentavos });
    await approvedProcedure(
      (query, variables) => send(admin, query, variables),
      bodyId,
    );
  }
  const activations: string[] = [];
  for (const id of accreditationIds)
    activations.push(
      (
        await send(admin, ACTIVATE_ACCREDITATION, { id }, [
          'BODY_NOT_NOMINATED',
          'INSUFFICIENT_NOMINATIONS',
        ])
      ).activateAccreditation.status,
    );
  return { bodyIds, accreditationIds, activations };
}
