import { v7 as uuidv7 } from 'uuid';
import { readEvents, type AsIdentity } from '@conecta/test-kit';
import {
  committeeInputMother as input,
  organizationMother,
} from '../fixtures/mothers';
import {
  GQL,
  admin,
  council,
  installedCommittee,
  memberOf,
  registerParticipants,
  startCommittees,
  type RunningCommittees,
} from '../fixtures/service';

// Refused changes: every one answers its code (and the field, for bad input),
// and leaves the data as it was. Writes and their events are one document
// insert (outbox), so "no document written" also means "no event"; the last
// test checks Kafka itself.

let running: RunningCommittees;
let participants: Awaited<ReturnType<typeof registerParticipants>>;
/** A second union, not on the committee: the one that tries the EMPLOYER side. */
let otherUnionId: string;
/** INSTALLED, chaired by the chamber (EMPLOYER), with the union (LABOR) as member. */
let committeeId: string;

const client = () => running.client;
const UNKNOWN_ID = '01890a5d-ac96-774b-bcce-b302099a8057';

beforeAll(async () => {
  running = await startCommittees('committee-refusals');
  participants = await registerParticipants(running.client);
  otherUnionId = (
    await client().ok(
      GQL.registerOrganization,
      { input: organizationMother.union({ name: 'Sindicato Minero' }) },
      admin,
    )
  ).registerOrganization.id;
  committeeId = await installedCommittee(
    client(),
    participants.sectorId,
    participants.chamberId,
  );
  await client().ok(
    GQL.addMember,
    {
      input: input.laborMember(committeeId, participants.unionId, {
        decisionMakerRole: 'UNION_GENERAL_SECRETARY',
      }),
    },
    admin,
  );
});

afterAll(async () => {
  await running?.stop();
});

/** Everything a committee change could write: the committee, the sector's committees, nominations. */
async function snapshot() {
  const { stores } = running.service;
  return {
    committee: await stores.committees.findById(committeeId),
    committeesOfSector: (
      await stores.committees.list({ sectorId: participants.sectorId })
    ).map((c) => `${c.id}:${c.revision}`),
    nominations: await stores.nominations.model.countDocuments({}),
  };
}

type Ids = typeof participants & { committeeId: string; otherUnionId: string };
const ids = (): Ids => ({ ...participants, committeeId, otherUnionId });

describe('forbidden changes', () => {
  const broker: AsIdentity = { subject: 'broker-1', roles: ['broker'] };
  const partner: AsIdentity = { subject: 'partner-1', roles: ['partner'] };
  const certifier: AsIdentity = { subject: 'cert-1', roles: ['certifier'] };
  const rector: AsIdentity = { subject: 'rector-1', roles: ['university'] };
  /** A committee member acting for an organization that is not on the committee. */
  const outsider = (p: Ids) => memberOf(p.universityId);

  const propose = (p: Ids) => ({ input: input.national(p.sectorId) });
  const memberRef = (p: Ids) => ({
    input: { committeeId: p.committeeId, organizationId: p.unionId },
  });
  const expert = (p: Ids) => ({ input: input.expert(p.committeeId) });
  const agenda = (p: Ids) => ({ input: input.agenda(p.committeeId) });
  const dissolve = (p: Ids) => ({
    input: { committeeId: p.committeeId, reason: 'Sin quórum' },
  });

  it.each([
    [
      'proposeCommittee',
      'a broker',
      GQL.propose,
      propose,
      () => broker,
      'FORBIDDEN',
    ],
    [
      'proposeCommittee',
      'the council',
      GQL.propose,
      propose,
      () => council,
      'FORBIDDEN',
    ],
    [
      'proposeCommittee',
      'a committee member acting for no organization',
      GQL.propose,
      propose,
      () => ({ subject: 'cm-1', roles: ['committee_member'] }) as AsIdentity,
      'ORGANIZATION_REQUIRED',
    ],
    [
      'removeCommitteeMember',
      'an outsider',
      GQL.removeMember,
      memberRef,
      outsider,
      'NOT_ACTING_FOR_COMMITTEE',
    ],
    [
      'removeCommitteeMember',
      'the council',
      GQL.removeMember,
      memberRef,
      () => council,
      'FORBIDDEN',
    ],
    [
      'appointCommitteeChair',
      'an outsider',
      GQL.appointChair,
      memberRef,
      outsider,
      'NOT_ACTING_FOR_COMMITTEE',
    ],
    [
      'appointCommitteeChair',
      'a partner app',
      GQL.appointChair,
      memberRef,
      () => partner,
      'FORBIDDEN',
    ],
    [
      'addWorkingGroupExpert',
      'an outsider',
      GQL.addExpert,
      expert,
      outsider,
      'NOT_ACTING_FOR_COMMITTEE',
    ],
    [
      'addWorkingGroupExpert',
      'a university',
      GQL.addExpert,
      expert,
      () => rector,
      'FORBIDDEN',
    ],
    [
      'publishHumanCapitalAgenda',
      'an outsider',
      GQL.publishAgenda,
      agenda,
      outsider,
      'NOT_ACTING_FOR_COMMITTEE',
    ],
    [
      'publishHumanCapitalAgenda',
      'a certifier',
      GQL.publishAgenda,
      agenda,
      () => certifier,
      'FORBIDDEN',
    ],
    [
      'dissolveCommittee',
      'a committee member of the committee',
      GQL.dissolve,
      dissolve,
      (p: Ids) => memberOf(p.chamberId),
      'FORBIDDEN',
    ],
    [
      'dissolveCommittee',
      'a broker',
      GQL.dissolve,
      dissolve,
      () => broker,
      'FORBIDDEN',
    ],
  ] as const)(
    'refuses %s by %s with FORBIDDEN and writes nothing',
    async (_mutation, _who, document, variables, as, reason) => {
      const before = await snapshot();
      const res = await client().request(document, variables(ids()), as(ids()));
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason,
      });
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe('bad input', () => {
  const long = (n: number) => 'x'.repeat(n);
  const member = (p: Ids, overrides: object) => ({
    input: {
      ...input.employerMember(p.committeeId, p.universityId, {
        side: 'EDUCATION',
        decisionMakerRole: 'RECTOR',
      }),
      ...overrides,
    },
  });
  const agendaWith = (p: Ids, change: (items: any[]) => any[]) => {
    const agenda = input.agenda(p.committeeId);
    return { input: { ...agenda, items: change(agenda.items) } };
  };
  const year = new Date().getUTCFullYear();

  it.each([
    [
      'proposeCommittee: a name too short',
      GQL.propose,
      (p: Ids) => ({ input: input.national(p.sectorId, { name: 'TI' }) }),
      'input.name',
      'INVALID_INPUT',
    ],
    [
      'proposeCommittee: a state that is not an ISO 3166-2:MX code',
      GQL.propose,
      (p: Ids) => ({
        input: input.regional(p.sectorId, { states: ['Jalisco' as never] }),
      }),
      'input.states[0]',
      'INVALID_INPUT',
    ],
    [
      'proposeCommittee: a malformed sector id',
      GQL.propose,
      (p: Ids) => ({ input: { ...input.national(p.sectorId), sectorId: 'x' } }),
      'input.sectorId',
      'INVALID_INPUT',
    ],
    [
      'addCommitteeMember: a position title too long',
      GQL.addMember,
      (p: Ids) => member(p, { positionTitle: long(121) }),
      'input.positionTitle',
      'INVALID_INPUT',
    ],
    [
      'addCommitteeMember: a blank position title',
      GQL.addMember,
      (p: Ids) => member(p, { positionTitle: '   ' }),
      'input.positionTitle',
      'INVALID_INPUT',
    ],
    [
      'addCommitteeMember: an organization that is not registered',
      GQL.addMember,
      (p: Ids) => member(p, { organizationId: UNKNOWN_ID }),
      'input.organizationId',
      'ORGANIZATION_NOT_FOUND',
    ],
    [
      'addCommitteeMember: a trade union on the EMPLOYER side',
      GQL.addMember,
      (p: Ids) => ({
        input: input.employerMember(p.committeeId, p.otherUnionId, {
          decisionMakerRole: 'UNION_GENERAL_SECRETARY',
        }),
      }),
      'input.side',
      'SIDE_NOT_FOR_ORGANIZATION_KIND',
    ],
    [
      'attestDecisionMaker: an organization that is not a member',
      GQL.attest,
      (p: Ids) => ({
        input: {
          committeeId: p.committeeId,
          organizationId: p.universityId,
          role: 'RECTOR',
        },
      }),
      'input.organizationId',
      'NOT_A_MEMBER',
    ],
    [
      'removeCommitteeMember: an organization that is not a member',
      GQL.removeMember,
      (p: Ids) => ({
        input: { committeeId: p.committeeId, organizationId: p.universityId },
      }),
      'input.organizationId',
      'NOT_A_MEMBER',
    ],
    [
      'appointCommitteeChair: an organization that is not registered',
      GQL.appointChair,
      (p: Ids) => ({
        input: { committeeId: p.committeeId, organizationId: UNKNOWN_ID },
      }),
      'input.organizationId',
      'NOT_A_MEMBER',
    ],
    [
      'addWorkingGroupExpert: an organization that is not registered',
      GQL.addExpert,
      (p: Ids) => ({
        input: input.expert(p.committeeId, { organizationId: UNKNOWN_ID }),
      }),
      'input.organizationId',
      'ORGANIZATION_NOT_FOUND',
    ],
    [
      'addWorkingGroupExpert: a one-letter name',
      GQL.addExpert,
      (p: Ids) => ({ input: input.expert(p.committeeId, { name: 'M' }) }),
      'input.name',
      'INVALID_INPUT',
    ],
    [
      'publishHumanCapitalAgenda: no items',
      GQL.publishAgenda,
      (p: Ids) => agendaWith(p, () => []),
      'input.items',
      'INVALID_INPUT',
    ],
    [
      'publishHumanCapitalAgenda: more than 50 items',
      GQL.publishAgenda,
      (p: Ids) =>
        agendaWith(p, ([item]) =>
          Array.from({ length: 51 }, (_, i) => ({
            ...item,
            title: `Ocupación ${i}`,
          })),
        ),
      'input.items',
      'INVALID_INPUT',
    ],
    [
      'publishHumanCapitalAgenda: the same item twice',
      GQL.publishAgenda,
      (p: Ids) =>
        agendaWith(p, ([first, second]) => [first, { ...first }, second]),
      'input.items[1].title',
      'DUPLICATE_AGENDA_ITEM',
    ],
    [
      'publishHumanCapitalAgenda: a target year after 2100',
      GQL.publishAgenda,
      (p: Ids) => agendaWith(p, ([first]) => [{ ...first, targetYear: 2101 }]),
      'input.items[0].targetYear',
      'INVALID_INPUT',
    ],
    [
      'publishHumanCapitalAgenda: a target year before the year of publication',
      GQL.publishAgenda,
      (p: Ids) =>
        agendaWith(p, ([first]) => [{ ...first, targetYear: year - 1 }]),
      'input.items[0].targetYear',
      'TARGET_YEAR_IN_PAST',
    ],
    [
      'publishHumanCapitalAgenda: carrying over an item that is not in force',
      GQL.publishAgenda,
      (p: Ids) =>
        agendaWith(p, ([first]) => [
          { ...first, id: '0190a5b0-2222-7000-8000-000000000002' },
        ]),
      'input.items[0].id',
      'AGENDA_ITEM_NOT_IN_FORCE',
    ],
    [
      'publishHumanCapitalAgenda: a rationale over 1,000 characters',
      GQL.publishAgenda,
      (p: Ids) =>
        agendaWith(p, ([first]) => [{ ...first, rationale: long(1_001) }]),
      'input.items[0].rationale',
      'INVALID_INPUT',
    ],
    [
      'dissolveCommittee: a blank reason',
      GQL.dissolve,
      (p: Ids) => ({ input: { committeeId: p.committeeId, reason: '  ' } }),
      'input.reason',
      'INVALID_INPUT',
    ],
    [
      'dissolveCommittee: a reason over 1,000 characters',
      GQL.dissolve,
      (p: Ids) => ({
        input: { committeeId: p.committeeId, reason: long(1_001) },
      }),
      'input.reason',
      'INVALID_INPUT',
    ],
    [
      'nominateCertifier: an organization that is not registered',
      GQL.nominate,
      (p: Ids) => ({
        input: {
          committeeId: p.committeeId,
          standardId: uuidv7(),
          organizationId: UNKNOWN_ID,
        },
      }),
      'input.organizationId',
      'ORGANIZATION_NOT_FOUND',
    ],
  ] as const)(
    'refuses %s with BAD_USER_INPUT naming the field, and writes nothing',
    async (_case, document, variables, field, reason) => {
      const before = await snapshot();
      const res = await client().request(document, variables(ids()), admin);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
        reason,
      });
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each([
    [
      'addCommitteeMember',
      GQL.addMember,
      (p: Ids) => member({ ...p, committeeId: UNKNOWN_ID }, {}),
    ],
    ['installCommittee', GQL.install, () => ({ id: UNKNOWN_ID })],
    [
      'dissolveCommittee',
      GQL.dissolve,
      () => ({ input: { committeeId: UNKNOWN_ID, reason: 'Sin quórum' } }),
    ],
  ] as const)(
    'answers %s on an unknown committee with NOT_FOUND: it is what the mutation acts on',
    async (_mutation, document, variables) => {
      const before = await snapshot();
      const res = await client().request(document, variables(ids()), admin);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'COMMITTEE_NOT_FOUND',
      });
      expect(await snapshot()).toEqual(before);
    },
  );

  const DIRECTORY = /* GraphQL */ `
    query ($filter: OrganizationFilter, $first: Int, $after: String) {
      organizations(filter: $filter, first: $first, after: $after) {
        totalCount
      }
    }
  `;
  const COMMITTEES = /* GraphQL */ `
    query ($filter: CommitteeFilter) {
      committees(filter: $filter) {
        id
      }
    }
  `;
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

  it.each([
    [
      'organizations: first 0',
      DIRECTORY,
      { first: 0 },
      'first',
      'INVALID_INPUT',
    ],
    [
      'organizations: first 101',
      DIRECTORY,
      { first: 101 },
      'first',
      'INVALID_INPUT',
    ],
    [
      'organizations: a made-up cursor',
      DIRECTORY,
      { after: 'page-2' },
      'after',
      'INVALID_CURSOR',
    ],
    [
      'organizations: a cursor around something that is not an id',
      DIRECTORY,
      { after: cursorOf('id:nope') },
      'after',
      'INVALID_CURSOR',
    ],
    [
      'organizations: a state that is not an ISO 3166-2:MX code',
      DIRECTORY,
      { filter: { state: 'Jalisco' } },
      'filter.state',
      'INVALID_INPUT',
    ],
    [
      'committees: a state that is not an ISO 3166-2:MX code',
      COMMITTEES,
      { filter: { state: 'MX-XX' } },
      'filter.state',
      'INVALID_INPUT',
    ],
    [
      'committees: a malformed sector id',
      COMMITTEES,
      { filter: { sectorId: 'textiles' } },
      'filter.sectorId',
      'INVALID_INPUT',
    ],
  ] as const)(
    'answers %s with BAD_USER_INPUT naming the argument',
    async (_case, document, variables, field, reason) => {
      const res = await client().request(document, variables, {});
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
        reason,
      });
    },
  );
});

describe('no event for a write that did not happen', () => {
  it('puts only the successful changes of a committee on Kafka, none of the refused ones', async () => {
    const { sectorId, chamberId, unionId, universityId } = participants;
    const chamber = memberOf(chamberId);
    const { id } = (
      await client().ok(
        GQL.propose,
        { input: input.national(sectorId) },
        chamber,
      )
    ).proposeCommittee;
    await client().ok(
      GQL.addMember,
      { input: input.employerMember(id, chamberId) },
      chamber,
    );

    const refusals = [
      // CONFLICT: the chamber is already a member.
      await client().request(
        GQL.addMember,
        { input: input.employerMember(id, chamberId) },
        chamber,
      ),
      // FORBIDDEN: a committee member does not dissolve its own committee.
      await client().request(
        GQL.dissolve,
        { input: { committeeId: id, reason: 'Sin quórum' } },
        chamber,
      ),
      // FORBIDDEN: an organization that is not on the committee.
      await client().request(
        GQL.appointChair,
        { input: { committeeId: id, organizationId: chamberId } },
        memberOf(universityId),
      ),
      // BAD_USER_INPUT: a union on the EMPLOYER side.
      await client().request(
        GQL.addMember,
        { input: input.employerMember(id, unionId) },
        admin,
      ),
    ];
    expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual([
      'CONFLICT',
      'FORBIDDEN',
      'FORBIDDEN',
      'BAD_USER_INPUT',
    ]);

    // A successful change after the refusals: its event comes after anything
    // they could have produced (one key, one partition, in order).
    await client().ok(
      GQL.appointChair,
      { input: { committeeId: id, organizationId: chamberId } },
      chamber,
    );
    const seen: string[] = [];
    await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: `${running.infra.topicPrefix}conecta.committees.events`,
      until: ({ key, event }) => {
        if (key !== id) return false;
        seen.push(event.type);
        return event.type === 'committees.ChairAppointed';
      },
    });
    expect(seen).toEqual([
      'committees.CommitteeProposed',
      'committees.CommitteeMemberAdded',
      'committees.ChairAppointed',
    ]);
  });
});
