import { readEvents } from '@conecta/test-kit';
import { committeeInputMother as input } from '../fixtures/mothers';
import {
  GQL,
  admin,
  council,
  memberOf,
  registerParticipants,
  startCommittees,
  type RunningCommittees,
} from '../fixtures/service';

let running: RunningCommittees;
let participants: Awaited<ReturnType<typeof registerParticipants>>;

beforeAll(async () => {
  running = await startCommittees('committee-lifecycle');
  participants = await registerParticipants(running.client);
});

afterAll(async () => {
  await running?.stop();
});

const client = () => running.client;
const committeeEvents = (until: (event: any) => boolean, count = 1) =>
  readEvents({
    brokers: running.infra.kafkaBrokers,
    topic: `${running.infra.topicPrefix}conecta.committees.events`,
    until: (m) => until(m.event),
    count,
  });

/** A committee proposed by the chamber, with the chamber (attested) and the union (not) as members. */
async function proposedWithMembers(overrides: object = {}) {
  const { sectorId, chamberId, unionId } = participants;
  const chamber = memberOf(chamberId);
  const { id } = (
    await client().ok(
      GQL.propose,
      { input: input.national(sectorId, overrides) },
      chamber,
    )
  ).proposeCommittee;
  await client().ok(
    GQL.addMember,
    { input: input.employerMember(id, chamberId) },
    chamber,
  );
  await client().ok(
    GQL.addMember,
    { input: input.laborMember(id, unionId) },
    chamber,
  );
  return id as string;
}

async function installed() {
  const { chamberId, unionId } = participants;
  const id = await proposedWithMembers();
  await client().ok(
    GQL.attest,
    {
      input: {
        committeeId: id,
        organizationId: unionId,
        role: 'UNION_GENERAL_SECRETARY',
      },
    },
    memberOf(unionId),
  );
  await client().ok(
    GQL.appointChair,
    { input: { committeeId: id, organizationId: chamberId } },
    memberOf(chamberId),
  );
  await client().ok(GQL.install, { id }, council);
  return id;
}

describe('the committee lifecycle', () => {
  it('proposes, staffs, installs and dissolves a committee, publishing each fact to Kafka', async () => {
    const { chamberId, unionId } = participants;
    const id = await proposedWithMembers();

    const refused = await client().request(GQL.install, { id }, council);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLABLE',
      unmetConditions: ['NO_CHAIR', 'UNATTESTED_MEMBERS'],
    });

    await client().ok(
      GQL.attest,
      {
        input: {
          committeeId: id,
          organizationId: unionId,
          role: 'UNION_GENERAL_SECRETARY',
        },
      },
      memberOf(unionId),
    );
    const chaired = await client().ok(
      GQL.appointChair,
      { input: { committeeId: id, organizationId: chamberId } },
      memberOf(chamberId),
    );
    expect(chaired.appointCommitteeChair.chair.organization.id).toBe(chamberId);

    const done = await client().ok(GQL.install, { id }, council);
    expect(done.installCommittee).toMatchObject({ id, status: 'INSTALLED' });
    expect(done.installCommittee.installedAt).toEqual(expect.any(String));

    const dissolved = await client().ok(
      GQL.dissolve,
      { input: { committeeId: id, reason: 'Fusión con el comité nacional' } },
      admin,
    );
    expect(dissolved.dissolveCommittee).toMatchObject({
      status: 'DISSOLVED',
      dissolutionReason: 'Fusión con el comité nacional',
    });

    const events = await committeeEvents((e) => e.subject === id, 7);
    expect(events.every((m) => m.key === id)).toBe(true);
    expect(events.map((m) => m.event.type)).toEqual([
      'committees.CommitteeProposed',
      'committees.CommitteeMemberAdded',
      'committees.CommitteeMemberAdded',
      'committees.DecisionMakerAttested',
      'committees.ChairAppointed',
      'committees.CommitteeInstalled',
      'committees.CommitteeDissolved',
    ]);
    expect(events[5]?.event.data).toMatchObject({
      id,
      memberOrganizationIds: [chamberId, unionId],
    });
  });

  it('refuses installation with every unmet condition, and writes nothing', async () => {
    const { sectorId } = participants;
    const { id } = (
      await client().ok(GQL.propose, { input: input.national(sectorId) }, admin)
    ).proposeCommittee;
    const res = await client().request(GQL.install, { id }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLABLE',
      unmetConditions: ['NO_CHAIR', 'NO_EMPLOYER_MEMBER'],
    });
    expect(res.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    const read = await client().ok(
      `query ($id: ID!) { committee(id: $id) { status installation { installable unmetConditions } } }`,
      { id },
      {},
    );
    expect(read.committee).toEqual({
      status: 'PROPOSED',
      installation: {
        installable: false,
        unmetConditions: ['NO_CHAIR', 'NO_EMPLOYER_MEMBER'],
      },
    });
  });

  it('refuses illegal transitions with their stable codes', async () => {
    const id = await installed();
    const again = await client().request(GQL.install, { id }, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_PROPOSED',
    });
    await client().ok(
      GQL.dissolve,
      { input: { committeeId: id, reason: 'Sin quórum' } },
      admin,
    );
    const twice = await client().request(
      GQL.dissolve,
      { input: { committeeId: id, reason: 'Sin quórum' } },
      admin,
    );
    expect(twice.errors?.[0]?.extensions?.reason).toBe(
      'COMMITTEE_ALREADY_DISSOLVED',
    );
  });

  it('lets only admins and the council install, and only the committee’s organizations staff it', async () => {
    const { chamberId, universityId } = participants;
    const id = await proposedWithMembers();
    const byMember = await client().request(
      GQL.install,
      { id },
      memberOf(chamberId),
    );
    expect(byMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const outsider = await client().request(
      GQL.addMember,
      { input: input.laborMember(id, universityId, { side: 'EDUCATION' }) },
      memberOf(universityId),
    );
    expect(outsider.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_ACTING_FOR_COMMITTEE',
    });
    const anonymous = await client().request(GQL.install, { id }, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('concurrent changes', () => {
  it('refuses the second of two changes made from the same revision, and keeps the first', async () => {
    const { chamberId, unionId } = participants;
    const id = await proposedWithMembers();
    const stores = running.service.stores;
    const before = (await stores.committees.findById(id))!;
    const chaired = { ...before, chairOrganizationId: chamberId };
    await stores.committees.update(before, chaired, []);
    await expect(
      stores.committees.update(
        before,
        { ...before, chairOrganizationId: unionId },
        [],
      ),
    ).rejects.toMatchObject({ code: 'COMMITTEE_CHANGED_CONCURRENTLY' });
    expect((await stores.committees.findById(id))?.chairOrganizationId).toBe(
      chamberId,
    );
  });
});

describe('proposing and staffing', () => {
  it('answers BAD_USER_INPUT naming the field for a regional committee without states and an unknown sector', async () => {
    const { sectorId } = participants;
    const regional = await client().request(
      GQL.propose,
      { input: input.regional(sectorId, { states: [] }) },
      admin,
    );
    expect(regional.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'REGIONAL_SCOPE_WITHOUT_STATES',
      field: 'input.states',
    });
    const unknown = await client().request(
      GQL.propose,
      { input: input.national('01890a5d-ac96-774b-bcce-b302099a8057') },
      admin,
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SECTOR_NOT_FOUND',
      field: 'input.sectorId',
    });
  });

  it('keeps an organization at most once in a committee', async () => {
    const { chamberId } = participants;
    const id = await proposedWithMembers();
    const res = await client().request(
      GQL.addMember,
      { input: input.employerMember(id, chamberId) },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'MEMBER_ALREADY_IN_COMMITTEE',
      field: 'input.organizationId',
    });
  });

  it('does not let one organization attest another’s representative', async () => {
    const { chamberId, unionId } = participants;
    const id = await proposedWithMembers();
    const res = await client().request(
      GQL.attest,
      {
        input: { committeeId: id, organizationId: unionId, role: 'RECTOR' },
      },
      memberOf(chamberId),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'ATTESTATION_BY_ANOTHER_ORGANIZATION',
    });
  });

  it('publishes the full member list whenever an installed committee’s membership changes', async () => {
    const { chamberId, unionId, universityId } = participants;
    const id = await installed();
    await client().ok(
      GQL.addMember,
      {
        input: input.employerMember(id, universityId, {
          side: 'EDUCATION',
          decisionMakerRole: 'RECTOR',
        }),
      },
      admin,
    );
    const removed = await client().ok(
      GQL.removeMember,
      { input: { committeeId: id, organizationId: unionId } },
      memberOf(chamberId),
    );
    expect(
      removed.removeCommitteeMember.members.map((m: any) => m.organization.id),
    ).toEqual([chamberId, universityId]);
    const changes = await committeeEvents(
      (e) =>
        e.subject === id && e.type === 'committees.CommitteeMembersChanged',
      2,
    );
    expect(changes.map((m) => m.event.data.memberOrganizationIds)).toEqual([
      [chamberId, unionId, universityId],
      [chamberId, universityId],
    ]);
  });

  it('shows working-group experts by initials to the public and by name to the committee', async () => {
    const { chamberId } = participants;
    const id = await proposedWithMembers();
    await client().ok(
      `mutation ($input: AddWorkingGroupExpertInput!) { addWorkingGroupExpert(input: $input) { id } }`,
      { input: input.expert(id, { organizationId: chamberId }) },
      memberOf(chamberId),
    );
    const query = `query ($id: ID!) { committee(id: $id) { workingGroup { name initials specialty organization { id } } } }`;
    const asPublic = await client().ok(query, { id }, {});
    expect(asPublic.committee.workingGroup).toEqual([
      {
        name: null,
        initials: 'M. J. P. Á.',
        specialty: 'Redes de datos y ciberseguridad',
        organization: { id: chamberId },
      },
    ]);
    const asMember = await client().ok(query, { id }, memberOf(chamberId));
    expect(asMember.committee.workingGroup[0].name).toBe(
      'María José Pérez Álvarez',
    );
  });
});

describe('the human-capital agenda', () => {
  const PUBLISH = /* GraphQL */ `
    mutation ($input: PublishHumanCapitalAgendaInput!) {
      publishHumanCapitalAgenda(input: $input) {
        version
        items {
          id
          priority
          title
          targetYear
        }
      }
    }
  `;

  it('publishes numbered versions and keeps earlier ones readable', async () => {
    const { chamberId } = participants;
    const id = await installed();
    const first = await client().ok(
      PUBLISH,
      { input: input.agenda(id) },
      memberOf(chamberId),
    );
    expect(first.publishHumanCapitalAgenda.version).toBe(1);
    const shorter = input.agenda(id);
    shorter.items = shorter.items.slice(1);
    const second = await client().ok(
      PUBLISH,
      { input: shorter },
      memberOf(chamberId),
    );
    expect(second.publishHumanCapitalAgenda.version).toBe(2);
    // The items carried over (by kind and title) keep their ids.
    expect(
      second.publishHumanCapitalAgenda.items.map((i: { id: string }) => i.id),
    ).toEqual(
      first.publishHumanCapitalAgenda.items
        .slice(1)
        .map((i: { id: string }) => i.id),
    );

    const read = await client().ok(
      `query ($id: ID!) { committee(id: $id) {
          latest: agenda { version items { priority title } }
          first: agenda(version: 1) { version items { priority title } }
          missing: agenda(version: 9) { version }
          agendaVersions { version }
      } }`,
      { id },
      {},
    );
    expect(read.committee.latest.version).toBe(2);
    expect(read.committee.latest.items[0]).toEqual({
      priority: 1,
      title: 'Administración de centros de datos',
    });
    expect(read.committee.first.items).toHaveLength(3);
    expect(read.committee.missing).toBeNull();
    expect(read.committee.agendaVersions).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    const [published] = await committeeEvents(
      (e) =>
        e.subject === id &&
        e.type === 'committees.HumanCapitalAgendaPublished' &&
        e.data.version === 2,
    );
    expect(published?.event.data.items).toHaveLength(2);
    expect(
      (published?.event.data.items as { id: string }[]).map((i) => i.id),
    ).toEqual(
      second.publishHumanCapitalAgenda.items.map((i: { id: string }) => i.id),
    );
  });

  it('refuses an agenda from a committee that is not installed, and a target year in the past', async () => {
    const { chamberId } = participants;
    const proposed = await proposedWithMembers();
    const notInstalled = await client().request(
      PUBLISH,
      { input: input.agenda(proposed) },
      memberOf(chamberId),
    );
    expect(notInstalled.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLED',
    });
    const id = await installed();
    const past = await client().request(
      PUBLISH,
      { input: input.agenda(id, 2001) },
      memberOf(chamberId),
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'TARGET_YEAR_IN_PAST',
      field: 'input.items[0].targetYear',
    });
  });
});

describe('several committees per sector', () => {
  it('lists every committee of a sector, whatever its status, on Sector.committees', async () => {
    const { sectorId } = participants;
    const national = await installed();
    const { id: regional } = (
      await client().ok(
        GQL.propose,
        { input: input.regional(sectorId, { states: ['MX-JAL'] }) },
        admin,
      )
    ).proposeCommittee;
    const res = await client().ok(
      `query ($id: ID!) { sector(id: $id) { committees { id status scope states } } }`,
      { id: sectorId },
      {},
    );
    const ids = res.sector.committees.map((c: any) => c.id);
    expect(ids).toEqual(expect.arrayContaining([national, regional]));
    expect(res.sector.committees).toContainEqual({
      id: regional,
      status: 'PROPOSED',
      scope: 'REGIONAL',
      states: ['MX-JAL'],
    });

    const inJalisco = await client().ok(
      `query ($f: CommitteeFilter) { committees(filter: $f) { id scope } }`,
      { f: { sectorId, state: 'MX-JAL' } },
      {},
    );
    // National committees work in Jalisco too.
    expect(inJalisco.committees.map((c: any) => c.id)).toEqual(
      expect.arrayContaining([national, regional]),
    );
  });

  it('refuses a second committee with the same name in a sector', async () => {
    const { sectorId } = participants;
    const proposal = input.national(sectorId);
    await client().ok(GQL.propose, { input: proposal }, admin);
    const res = await client().request(GQL.propose, { input: proposal }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NAME_TAKEN',
    });
  });
});

describe('federation', () => {
  it('resolves Committee references through _entities, N references in one query', async () => {
    const { sectorId } = participants;
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(
        (
          await client().ok(
            GQL.propose,
            { input: input.national(sectorId) },
            admin,
          )
        ).proposeCommittee.id,
      );
    }
    const spy = jest.spyOn(running.service.stores.committees, 'findByIds');
    const res = await client().ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Committee { id name status sector { id } } } }`,
      {
        r: [...ids, '01890a5d-ac96-774b-bcce-b302099a8057'].map((id) => ({
          __typename: 'Committee',
          id,
        })),
      },
      {},
    );
    expect(res._entities.map((e: any) => e?.id ?? null)).toEqual([
      ...ids,
      null,
    ]);
    expect(res._entities[0].sector.id).toBe(sectorId);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('lists the committees of N sectors with one query', async () => {
    const spy = jest.spyOn(
      running.service.stores.committees,
      'findBySectorIds',
    );
    const res = await client().ok(
      `{ sectors { id committees { id } } }`,
      {},
      {},
    );
    expect(res.sectors.length).toBeGreaterThan(0);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('lists the committees an organization sits on', async () => {
    const { unionId } = participants;
    const res = await client().ok(
      `query ($id: ID!) { organization(id: $id) { committees { id } } }`,
      { id: unionId },
      {},
    );
    expect(res.organization.committees.length).toBeGreaterThan(0);
  });
});
