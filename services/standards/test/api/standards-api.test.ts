import { loadConfig } from '@conecta/service-kit';
import {
  eventually,
  startSubgraph,
  readEvents,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { standardsConfig } from '../../src/env';
import {
  createStandardsService,
  type StandardsService,
} from '../../src/server';
import { publishStandard } from '../../src/domain/standard';
import type { CouncilSeat } from '../../src/domain/council';
import { createStandardsEvents } from '../../src/events';
import {
  admin,
  holderOf,
  lifecycle,
  memberOf,
  reviewer,
  standardMutations,
} from '../fixtures/api';
import { committeeMother, standardMother } from '../fixtures/mothers';

const FIELDS = /* GraphQL */ `
  id
  code
  version
  status
  title
  level
  committee { id }
  sector { id }
  findings { round source code message elementIndex }
  reviewChecks { code passed }
  councilTally { inFavor against abstentions decidedByCastingVote }
  gazette { date reference }
  previousVersion { id }
  supersededBy { id }
`;
const {
  DRAFT,
  SUBMIT,
  START_REVIEW,
  RETURN,
  TO_COUNCIL,
  VOTE,
  CLOSE_VOTE,
  PUBLISH,
  WITHDRAW,
  REVISE,
  EDIT,
  APPOINT,
} = standardMutations(FIELDS);
const STANDARD = `query ($id: ID!) { standard(id: $id) { ${FIELDS} } }`;
const SEARCH = /* GraphQL */ `
  query ($filter: StandardFilter, $first: Int, $after: String) {
    standards(filter: $filter, first: $first, after: $after) {
      totalCount
      nodes {
        id
        code
        status
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

let infra: IsolatedInfra;
let service: StandardsService;
let client: TestClient;

const {
  installedCommittee,
  draft,
  inCouncilVote,
  approve,
  published,
  appointCouncil,
} = lifecycle(() => ({ service, client }), FIELDS);

beforeAll(async () => {
  const running = await startSubgraph({
    name: 'standards',
    label: 'standards-api',
    config: (env) => loadConfig(standardsConfig, env),
    create: createStandardsService,
  });
  ({ infra, service, client } = running);
  await appointCouncil();
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

describe('the lifecycle of a standard', () => {
  it('goes from DRAFT to PUBLISHED with an assigned EC code, publishing an event at each step', async () => {
    const committee = await installedCommittee();
    const drafted = await draft(committee);
    expect(drafted).toMatchObject({ version: 1, status: 'DRAFT' });
    expect(drafted.code).toMatch(/^EC\d{4}$/);
    expect(drafted.committee.id).toBe(committee.id);

    const publication = await published(committee);
    expect(publication.status).toBe('PUBLISHED');
    expect(publication.gazette).toEqual({
      date: '2026-01-15',
      reference: 'DOF 15/01/2026',
    });

    const all = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.standards.events`,
      until: (m) => m.key === publication.id,
      // Drafted, Submitted, ReviewStarted, CouncilVoteOpened, 7 × VoteCast (the quorum), Approved, Published
      count: 13,
    });
    expect(all.map((m) => m.event.type)).toEqual([
      'standards.StandardDrafted',
      'standards.StandardSubmitted',
      'standards.StandardReviewStarted',
      'standards.CouncilVoteOpened',
      ...Array<string>(7).fill('standards.CouncilVoteCast'),
      'standards.StandardApproved',
      'standards.StandardPublished',
    ]);
    expect(all.at(-1)?.event.data).toMatchObject({
      id: publication.id,
      code: publication.code,
      committeeId: committee.id,
      certificateValidityYears: 3,
      gazetteDate: '2026-01-15',
    });
  });

  it('refuses a draft for a committee that is not installed, or of another sector', async () => {
    const notInstalled = committeeMother.installed();
    const res = await client.request(
      DRAFT,
      { input: standardMother.draftInput(notInstalled) },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLED',
    });
    const committee = await installedCommittee();
    const mismatch = await client.request(
      DRAFT,
      {
        input: standardMother.draftInput({
          id: committee.id,
          sectorId: committeeMother.installed().sectorId,
        }),
      },
      memberOf(committee),
    );
    expect(mismatch.errors?.[0]?.extensions?.reason).toBe('SECTOR_MISMATCH');
  });

  it('uses up no code for a refused draft: codes stay consecutive', async () => {
    const committee = await installedCommittee();
    const before = await draft(committee);
    for (const refused of [
      committeeMother.installed(),
      { id: committee.id, sectorId: committeeMother.installed().sectorId },
    ]) {
      const res = await client.request(
        DRAFT,
        { input: standardMother.draftInput(refused) },
        admin,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    }
    const after = await draft(committee);
    const number = (code: string) => Number(code.slice(2));
    expect(number(after.code)).toBe(number(before.code) + 1);
  });

  it('answers BAD_USER_INPUT naming the field and writes nothing', async () => {
    const committee = await installedCommittee();
    const res = await client.request(
      DRAFT,
      { input: standardMother.draftInput(committee, { level: 7 }) },
      memberOf(committee),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.level',
    });
    const list = await client.ok(
      SEARCH,
      { filter: { committeeId: committee.id } },
      admin,
    );
    expect(list.standards.totalCount).toBe(0);
  });

  it('refuses an illegal transition with a stable code', async () => {
    const committee = await installedCommittee();
    const { id } = await draft(committee);
    const res = await client.request(START_REVIEW, { id }, reviewer);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'STANDARD_NOT_SUBMITTED',
    });
    const publish = await client.request(
      PUBLISH,
      {
        id,
        input: {
          gazetteDate: '2026-01-15',
          gazetteReference: 'DOF 15/01/2026',
        },
      },
      admin,
    );
    expect(publish.errors?.[0]?.extensions?.reason).toBe(
      'STANDARD_NOT_APPROVED',
    );
  });

  it('returns a standard to DRAFT with readable findings, then lets the committee fix and resubmit it', async () => {
    const committee = await installedCommittee();
    const { id } = await draft(committee, {
      elements: [
        {
          title: 'Conducir la sesión',
          performanceCriteria: ['Aplica técnicas instruccionales'],
          knowledge: [],
        },
      ],
    });
    await client.ok(SUBMIT, { id }, memberOf(committee));
    const inReview = (await client.ok(START_REVIEW, { id }, reviewer))
      .startReview;
    expect(inReview.reviewChecks).toContainEqual({
      code: 'ELEMENT_HAS_KNOWLEDGE',
      passed: false,
    });
    const toCouncil = await client.request(TO_COUNCIL, { id }, reviewer);
    expect(toCouncil.errors?.[0]?.extensions?.reason).toBe(
      'REVIEW_CHECKS_FAILED',
    );

    const returned = (
      await client.ok(
        RETURN,
        { id, findings: [{ message: 'Precisar el propósito del estándar' }] },
        reviewer,
      )
    ).returnStandard;
    expect(returned.status).toBe('DRAFT');
    expect(returned.findings).toEqual([
      {
        round: 1,
        source: 'AUTOMATED_CHECK',
        code: 'ELEMENT_HAS_KNOWLEDGE',
        message: expect.any(String),
        elementIndex: 0,
      },
      {
        round: 1,
        source: 'REVIEWER',
        code: null,
        message: 'Precisar el propósito del estándar',
        elementIndex: null,
      },
    ]);
    // The committee reads its findings and fixes the draft.
    const read = await client.ok(STANDARD, { id }, memberOf(committee));
    expect(read.standard.findings).toHaveLength(2);
    const fixed = (
      await client.ok(
        EDIT,
        {
          id,
          input: {
            elements: [
              {
                title: 'Conducir la sesión',
                performanceCriteria: ['Aplica técnicas instruccionales'],
                knowledge: ['Estilos de aprendizaje'],
              },
            ],
          },
        },
        memberOf(committee),
      )
    ).editDraft;
    expect(fixed.reviewChecks.every((c: { passed: boolean }) => c.passed)).toBe(
      true,
    );
    await client.ok(SUBMIT, { id }, memberOf(committee));
    await client.ok(START_REVIEW, { id }, reviewer);
    expect(
      (await client.ok(TO_COUNCIL, { id }, reviewer)).sendToCouncil.status,
    ).toBe('IN_COUNCIL_VOTE');
  });

  it('approves on a majority of the council once the quorum voted; a tie is carried by the chair’s casting vote, and rejects without it', async () => {
    const committee = await installedCommittee();
    const approved = await approve(await inCouncilVote(committee));
    expect(approved).toMatchObject({
      status: 'APPROVED',
      councilTally: {
        inFavor: 7,
        against: 0,
        abstentions: 0,
        decidedByCastingVote: false,
      },
    });

    const vote = (id: string, seat: CouncilSeat, choice: string) =>
      client.ok(VOTE, { id, seat, vote: choice }, holderOf(seat));

    // Three for, three against, one abstention: a quorum of 7, the chair not voting.
    const tied = await inCouncilVote(committee);
    await vote(tied, 'GOVERNMENT_1', 'IN_FAVOR');
    await vote(tied, 'EMPLOYER_1', 'AGAINST');
    const again = await client.request(
      VOTE,
      { id: tied, seat: 'EMPLOYER_1', vote: 'IN_FAVOR' },
      holderOf('EMPLOYER_1'),
    );
    expect(again.errors?.[0]?.extensions?.reason).toBe('SEAT_ALREADY_VOTED');
    await vote(tied, 'LABOR_1', 'ABSTAIN');
    await vote(tied, 'GOVERNMENT_2', 'IN_FAVOR');
    await vote(tied, 'GOVERNMENT_3', 'AGAINST');
    await vote(tied, 'EMPLOYER_2', 'IN_FAVOR');
    const early = await client.request(CLOSE_VOTE, { id: tied }, reviewer);
    expect(early.errors?.[0]?.extensions?.reason).toBe(
      'COUNCIL_QUORUM_NOT_MET',
    );
    await vote(tied, 'LABOR_3', 'AGAINST');
    const rejected = (await client.ok(CLOSE_VOTE, { id: tied }, reviewer))
      .closeCouncilVote;
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      councilTally: {
        inFavor: 3,
        against: 3,
        abstentions: 1,
        decidedByCastingVote: false,
      },
    });

    // The same tie with the chair in favour: the chair's vote carries it.
    const carried = await inCouncilVote(committee);
    await vote(carried, 'CHAIR', 'IN_FAVOR');
    await vote(carried, 'GOVERNMENT_1', 'IN_FAVOR');
    await vote(carried, 'GOVERNMENT_2', 'IN_FAVOR');
    await vote(carried, 'EMPLOYER_1', 'AGAINST');
    await vote(carried, 'LABOR_1', 'AGAINST');
    await vote(carried, 'GOVERNMENT_3', 'AGAINST');
    await vote(carried, 'EMPLOYER_2', 'ABSTAIN');
    const decided = (await client.ok(CLOSE_VOTE, { id: carried }, reviewer))
      .closeCouncilVote;
    expect(decided).toMatchObject({
      status: 'APPROVED',
      councilTally: {
        inFavor: 3,
        against: 3,
        abstentions: 1,
        decidedByCastingVote: true,
      },
    });
  });

  it('publishes a revision that supersedes the previous version, with StandardSuperseded', async () => {
    const committee = await installedCommittee();
    const first = await published(committee);
    const revision = (
      await client.ok(REVISE, { id: first.id }, memberOf(committee))
    ).reviseStandard;
    expect(revision).toMatchObject({
      code: first.code,
      version: 2,
      status: 'DRAFT',
      previousVersion: { id: first.id },
    });
    const second = await client.request(
      REVISE,
      { id: first.id },
      memberOf(committee),
    );
    expect(second.errors?.[0]?.extensions?.reason).toBe('REVISION_IN_PROGRESS');

    await client.ok(SUBMIT, { id: revision.id }, memberOf(committee));
    await client.ok(START_REVIEW, { id: revision.id }, reviewer);
    await client.ok(TO_COUNCIL, { id: revision.id }, reviewer);
    await approve(revision.id);
    const v2 = (
      await client.ok(
        PUBLISH,
        {
          id: revision.id,
          input: {
            gazetteDate: '2026-02-20',
            gazetteReference: 'DOF 20/02/2026',
          },
        },
        admin,
      )
    ).publishStandard;
    expect(v2.status).toBe('PUBLISHED');
    const old = (await client.ok(STANDARD, { id: first.id }, {})).standard;
    expect(old).toMatchObject({
      status: 'SUPERSEDED',
      supersededBy: { id: revision.id },
    });

    const [superseded] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.standards.events`,
      until: (m) =>
        m.event.type === 'standards.StandardSuperseded' && m.key === first.id,
    });
    expect(superseded?.event.data).toMatchObject({
      id: first.id,
      supersededBy: revision.id,
      version: 1,
    });
    const [publishedEvent] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.standards.events`,
      until: (m) =>
        m.event.type === 'standards.StandardPublished' && m.key === revision.id,
    });
    expect(publishedEvent?.event.data).toMatchObject({
      version: 2,
      supersedes: first.id,
    });

    const byCode = await client.ok(
      `query ($code: String!) { standardByCode(code: $code) { id version } }`,
      { code: first.code.toLowerCase() },
      {},
    );
    expect(byCode.standardByCode).toEqual({ id: revision.id, version: 2 });
  });

  it('withdraws a published standard, admins only', async () => {
    const committee = await installedCommittee();
    const { id } = await published(committee);
    const denied = await client.request(
      WITHDRAW,
      { id, reason: 'Ocupación obsoleta' },
      reviewer,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const withdrawn = (
      await client.ok(WITHDRAW, { id, reason: 'Ocupación obsoleta' }, admin)
    ).withdrawStandard;
    expect(withdrawn.status).toBe('WITHDRAWN');
  });
});

describe('a publication interrupted between its two writes', () => {
  it("still supersedes the previous version, from the revision's StandardPublished event", async () => {
    const committee = await installedCommittee();
    const first = await published(committee);
    const revision = (
      await client.ok(REVISE, { id: first.id }, memberOf(committee))
    ).reviseStandard;
    await client.ok(SUBMIT, { id: revision.id }, memberOf(committee));
    await client.ok(START_REVIEW, { id: revision.id }, reviewer);
    await client.ok(TO_COUNCIL, { id: revision.id }, reviewer);
    await approve(revision.id);

    // Only the first write of publishStandard happens: the revision is
    // PUBLISHED with its event, then the process "dies" before superseding.
    const [approved] = await service.stores.standards.findByIds([revision.id]);
    const next = publishStandard(
      approved!,
      { gazetteDate: '2026-02-20', gazetteReference: 'DOF 20/02/2026' },
      new Date(),
    );
    await service.stores.standards.save(approved!, next, [
      createStandardsEvents().published(next, first.id, {}),
    ]);
    expect(
      (await client.ok(STANDARD, { id: first.id }, {})).standard.status,
    ).toBe('PUBLISHED');

    const old = await eventually(
      async () => {
        const { standard } = await client.ok(STANDARD, { id: first.id }, {});
        return standard.status === 'SUPERSEDED' && standard;
      },
      { what: 'the previous version superseded by the follow-up' },
    );
    expect(old.supersededBy).toEqual({ id: revision.id });
  });
});

describe('the periodic review', () => {
  const DUE = `query ($committeeId: ID) { standardsDueForReview(committeeId: $committeeId) { id code periodicReview reviewDueAt } }`;

  it('flags a standard REVIEW_DUE once its gazette date plus the review interval has passed, lists it for its committee, and lets the committee open a revision', async () => {
    const committee = await installedCommittee();
    // Reviewed every 5 years (the mother's validity): 2020 + 5 has passed.
    const old = await inCouncilVote(committee);
    await approve(old);
    await client.ok(
      PUBLISH,
      {
        id: old,
        input: {
          gazetteDate: '2020-01-15',
          gazetteReference: 'DOF 15/01/2020',
        },
      },
      admin,
    );
    const recent = await published(committee);

    const read = async (id: string, as: AsIdentity = {}) =>
      (
        await client.ok(
          `query ($id: ID!) { standard(id: $id) { periodicReview reviewDueAt } }`,
          { id },
          as,
        )
      ).standard;
    expect(await read(old)).toEqual({
      periodicReview: 'REVIEW_DUE',
      reviewDueAt: '2025-01-15T00:00:00.000Z',
    });
    expect(await read(recent.id)).toEqual({
      periodicReview: 'CURRENT',
      reviewDueAt: '2031-01-15T00:00:00.000Z',
    });
    const drafted = await draft(committee);
    expect(await read(drafted.id, admin)).toEqual({
      periodicReview: null,
      reviewDueAt: null,
    });

    // Anyone may ask (published standards are public); only the due one is listed.
    const { standardsDueForReview } = await client.ok(
      DUE,
      { committeeId: committee.id },
      {},
    );
    expect(standardsDueForReview).toEqual([
      expect.objectContaining({ id: old, periodicReview: 'REVIEW_DUE' }),
    ]);
    const other = await installedCommittee();
    expect(
      (await client.ok(DUE, { committeeId: other.id }, {}))
        .standardsDueForReview,
    ).toEqual([]);

    // The periodic check tells the committee and the council, once.
    expect(await service.reviewDueCheck.runOnce()).toBe(1);
    expect(await service.reviewDueCheck.runOnce()).toBe(0);
    const [announced] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.standards.events`,
      until: (m) =>
        m.key === old && m.event.type === 'standards.StandardReviewDue',
      count: 1,
    });
    expect(announced?.event.data).toMatchObject({
      id: old,
      committeeId: committee.id,
      gazetteDate: '2020-01-15',
      reviewIntervalYears: 5,
      reviewDueAt: '2025-01-15T00:00:00.000Z',
    });

    const revision = (await client.ok(REVISE, { id: old }, memberOf(committee)))
      .reviseStandard;
    expect(revision).toMatchObject({
      status: 'DRAFT',
      previousVersion: { id: old },
    });
  });
});

describe("a committee's figures", () => {
  const FIGURES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Committee { standardFigures { published averageDaysDraftToGazette averageDaysApprovalToGazette stages { status completedStays averageDays inStageNow } } } } }`;
  const figuresOf = async (committeeId: string, as: AsIdentity) =>
    (
      await client.ok(
        FIGURES,
        { r: [{ __typename: 'Committee', id: committeeId }] },
        as,
      )
    )._entities[0].standardFigures;

  it('gives time in stage and publication delay over the standards the caller may see', async () => {
    const committee = await installedCommittee();
    await published(committee);
    await draft(committee);

    const member = await figuresOf(committee.id, memberOf(committee));
    expect(member.published).toBe(1);
    // Drafted today, in the gazette of GAZETTE (earlier): a negative delay
    // is what the data says; the figure is computed, not clamped.
    expect(typeof member.averageDaysDraftToGazette).toBe('number');
    expect(typeof member.averageDaysApprovalToGazette).toBe('number');
    const draftStage = member.stages.find(
      (s: { status: string }) => s.status === 'DRAFT',
    );
    expect(draftStage).toMatchObject({ completedStays: 1, inStageNow: 1 });
    expect(member.stages.map((s: { status: string }) => s.status)).toEqual([
      'DRAFT',
      'SUBMITTED',
      'IN_REVIEW',
      'IN_COUNCIL_VOTE',
      'APPROVED',
    ]);

    // The public sees only the published version: no open draft shows through.
    const anonymous = await figuresOf(committee.id, {});
    expect(anonymous.published).toBe(1);
    expect(
      anonymous.stages.find((s: { status: string }) => s.status === 'DRAFT'),
    ).toMatchObject({ completedStays: 1, inStageNow: 0 });
  });
});

describe('agenda first', () => {
  const COVERAGE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Committee { agendaCoverage { agendaVersion itemCount coveredItemCount ratio items { covered item { id title inForce } publishedStandards { id } } } } } }`;
  const coverageOf = async (committeeId: string) =>
    (
      await client.ok(
        COVERAGE,
        { r: [{ __typename: 'Committee', id: committeeId }] },
        {},
      )
    )._entities[0].agendaCoverage;

  it('links each standard to its agenda item and counts the items with a published standard', async () => {
    const committee = await installedCommittee();
    const [teaching, dataCentres, security] = committee.agenda!.items;
    const pub = await published(committee, { agendaItemId: teaching!.id });
    const open = await draft(committee, { agendaItemId: dataCentres!.id });

    const linked = await client.ok(
      `query ($id: ID!) { standard(id: $id) { agendaItem { id agendaVersion priority kind title targetYear inForce } } }`,
      { id: open.id },
      memberOf(committee),
    );
    expect(linked.standard.agendaItem).toEqual({
      id: dataCentres!.id,
      agendaVersion: 1,
      priority: 2,
      kind: 'FUNCTION',
      title: 'Administración de centros de datos',
      targetYear: 2028,
      inForce: true,
    });

    // Anyone may read it: only published standards count.
    const coverage = await coverageOf(committee.id);
    expect(coverage).toMatchObject({
      agendaVersion: 1,
      itemCount: 3,
      coveredItemCount: 1,
      ratio: 0.333,
    });
    expect(
      coverage.items.map(
        (i: {
          item: { id: string };
          covered: boolean;
          publishedStandards: { id: string }[];
        }) => [i.item.id, i.covered, i.publishedStandards.map((s) => s.id)],
      ),
    ).toEqual([
      [teaching!.id, true, [pub.id]],
      [dataCentres!.id, false, []],
      [security!.id, false, []],
    ]);
  });

  it('has no coverage for a committee with no agenda heard of', async () => {
    const committee = await installedCommittee({ agenda: null });
    expect(await coverageOf(committee.id)).toBeNull();
  });

  it('refuses a draft whose item is not in force, and one with no item, writing nothing', async () => {
    const committee = await installedCommittee();
    const other = await installedCommittee();
    const before = await service.stores.standards.model.countDocuments({
      committeeId: committee.id,
    });
    const notInForce = await client.request(
      standardMutations('id').DRAFT,
      {
        input: standardMother.draftInput(committee, {
          agendaItemId: other.agenda!.items[0]!.id,
        }),
      },
      memberOf(committee),
    );
    expect(notInForce.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'AGENDA_ITEM_NOT_IN_FORCE',
      field: 'input.agendaItemId',
    });
    const { agendaItemId: _left, ...withoutItem } =
      standardMother.draftInput(committee);
    const missing = await client.request(
      standardMutations('id').DRAFT,
      { input: withoutItem },
      memberOf(committee),
    );
    expect(missing.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.agendaItemId',
    });
    expect(
      await service.stores.standards.model.countDocuments({
        committeeId: committee.id,
      }),
    ).toBe(before);
  });
});

describe('who may do what', () => {
  it('lets only members of the owning committee draft and submit; voting needs council', async () => {
    const committee = await installedCommittee();
    const other = await installedCommittee({ sectorId: committee.sectorId });
    const res = await client.request(
      DRAFT,
      { input: standardMother.draftInput(committee) },
      memberOf(other),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await client.request(
      DRAFT,
      { input: standardMother.draftInput(committee) },
      {},
    );
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const id = await inCouncilVote(committee);
    const asMember = await client.request(
      VOTE,
      { id, seat: 'LABOR_1', vote: 'IN_FAVOR' },
      memberOf(committee),
    );
    expect(asMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the council roster', () => {
  it('lets only the appointed holder cast a seat, and writes nothing for anyone else', async () => {
    const id = await inCouncilVote(await installedCommittee());
    const stranger: AsIdentity = {
      subject: 'councillor-x',
      roles: ['council'],
    };
    const refused = await client.request(
      VOTE,
      { id, seat: 'LABOR_2', vote: 'AGAINST' },
      stranger,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SEAT_NOT_HELD',
    });
    const otherSeat = await client.request(
      VOTE,
      { id, seat: 'LABOR_2', vote: 'AGAINST' },
      holderOf('LABOR_1'),
    );
    expect(otherSeat.errors?.[0]?.extensions?.reason).toBe('SEAT_NOT_HELD');
    const after = (
      await client.ok(
        `query ($id: ID!) { standard(id: $id) { status councilVotes { seat } } }`,
        { id },
        admin,
      )
    ).standard;
    expect(after).toEqual({ status: 'IN_COUNCIL_VOTE', councilVotes: [] });
  });

  it('appoints by admin only, one seat per person, and publishes the change', async () => {
    const forbidden = await client.request(
      APPOINT,
      { seat: 'LABOR_2', holderId: 'someone' },
      holderOf('LABOR_2'),
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const twoSeats = await client.request(
      APPOINT,
      { seat: 'LABOR_2', holderId: holderOf('GOVERNMENT_1').subject },
      admin,
    );
    expect(twoSeats.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'HOLDS_ANOTHER_SEAT',
      field: 'holderId',
    });
    const blank = await client.request(
      APPOINT,
      { seat: 'LABOR_2', holderId: ' ' },
      admin,
    );
    expect(blank.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'holderId',
    });

    // A new holder takes LABOR_2 and the previous one can no longer vote.
    const successor: AsIdentity = {
      subject: 'councillor-successor',
      roles: ['council'],
    };
    await client.ok(
      APPOINT,
      { seat: 'LABOR_2', holderId: successor.subject },
      admin,
    );
    const id = await inCouncilVote(await installedCommittee());
    const former = await client.request(
      VOTE,
      { id, seat: 'LABOR_2', vote: 'IN_FAVOR' },
      holderOf('LABOR_2'),
    );
    expect(former.errors?.[0]?.extensions?.reason).toBe('SEAT_NOT_HELD');
    await client.ok(VOTE, { id, seat: 'LABOR_2', vote: 'IN_FAVOR' }, successor);

    const { councilSeats } = await client.ok(
      `{ councilSeats { seat holderId } }`,
      {},
      reviewer,
    );
    // The case study's council: the chair and twelve seats.
    expect(councilSeats).toHaveLength(13);
    expect(councilSeats).toContainEqual({
      seat: 'CHAIR',
      holderId: holderOf('CHAIR').subject,
    });
    expect(councilSeats).toContainEqual({
      seat: 'LABOR_2',
      holderId: successor.subject,
    });
    const hidden = await client.request(`{ councilSeats { seat } }`, {}, {});
    expect(hidden.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const [event] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.standards.events`,
      until: (m) =>
        m.key === 'LABOR_2' && m.event.data.holderId === successor.subject,
    });
    expect(event?.event.data).toMatchObject({
      seat: 'LABOR_2',
      holderId: successor.subject,
      previousHolderId: holderOf('LABOR_2').subject,
    });
    // Give the seat back, so other tests find the roster as beforeAll left it.
    await client.ok(
      APPOINT,
      { seat: 'LABOR_2', holderId: holderOf('LABOR_2').subject },
      admin,
    );
  });
});

describe('visibility', () => {
  it('hides drafts from the public and other committees, shows them to members and staff, in every read path', async () => {
    const committee = await installedCommittee();
    const other = await installedCommittee();
    const { id } = await draft(committee);
    const pub = await published(committee);

    for (const who of [{}, memberOf(other)]) {
      expect((await client.ok(STANDARD, { id }, who)).standard).toBeNull();
      const list = await client.ok(
        SEARCH,
        { filter: { committeeId: committee.id } },
        who,
      );
      expect(list.standards.nodes.map((n: { id: string }) => n.id)).toEqual([
        pub.id,
      ]);
      expect(list.standards.totalCount).toBe(1);
      const entities = await client.ok(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CompetencyStandard { id } } }`,
        {
          r: [
            { __typename: 'CompetencyStandard', id },
            { __typename: 'CompetencyStandard', id: pub.id },
          ],
        },
        who,
      );
      expect(entities._entities).toEqual([null, { id: pub.id }]);
      const committeeStandards = await client.ok(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Committee { standards { id } } } }`,
        { r: [{ __typename: 'Committee', id: committee.id }] },
        who,
      );
      expect(committeeStandards._entities[0].standards).toEqual([
        { id: pub.id },
      ]);
    }
    for (const who of [memberOf(committee), reviewer, admin]) {
      expect((await client.ok(STANDARD, { id }, who)).standard.id).toBe(id);
      const list = await client.ok(
        SEARCH,
        { filter: { committeeId: committee.id } },
        who,
      );
      expect(list.standards.totalCount).toBe(2);
    }
  });
});

describe('competing standards and comparison', () => {
  it('lists same-sector, same-level standards of other committees and compares them element by element', async () => {
    const a = await installedCommittee();
    const b = await installedCommittee({ sectorId: a.sectorId });
    const mine = await published(a);
    const theirs = await published(b, {
      level: 3,
      elements: [
        {
          title: 'Preparar la sesión de capacitación',
          performanceCriteria: [
            'Verifica que el lugar cuente con el equipo y material requerido',
          ],
          knowledge: ['Técnicas de encuadre de una sesión'],
        },
        {
          title: 'Evaluar el aprendizaje',
          performanceCriteria: ['Aplica el instrumento de evaluación'],
          knowledge: ['Tipos de evaluación'],
        },
      ],
    });
    await published(b, { level: 2 });
    const res = await client.ok(
      `query ($id: ID!) { standard(id: $id) { competingStandards { id } } }`,
      { id: mine.id },
      {},
    );
    expect(res.standard.competingStandards).toEqual([{ id: theirs.id }]);

    const comparison = await client.ok(
      /* GraphQL */ `
        query ($a: ID!, $b: ID!) {
          compareStandards(a: $a, b: $b) {
            a {
              id
            }
            b {
              id
            }
            changedFields
            unchangedElements
            elements {
              change
              title
              performanceCriteria {
                added
                removed
              }
              knowledge {
                added
                removed
              }
            }
          }
        }
      `,
      { a: mine.id, b: theirs.id },
      {},
    );
    const c = comparison.compareStandards;
    expect(c.a.id).toBe(mine.id);
    expect(
      c.elements.map((e: { change: string; title: string }) => [
        e.change,
        e.title,
      ]),
    ).toEqual([
      ['CHANGED', 'Preparar la sesión de capacitación'],
      ['REMOVED', 'Conducir la sesión de capacitación'],
      ['ADDED', 'Evaluar el aprendizaje'],
    ]);
    expect(c.elements[0].performanceCriteria).toEqual({
      added: [],
      removed: ['Presenta el objetivo general de la sesión'],
    });
  });
});

describe('search', () => {
  it('filters by text, sector, level and status, pages with cursors and counts the total', async () => {
    const committee = await installedCommittee();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(
        (
          await draft(committee, {
            title: `Mantenimiento de redes industriales ${i}`,
            level: 2,
          })
        ).id,
      );
    await draft(committee, { title: 'Soldadura de tubería', level: 2 });
    const filter = {
      search: 'redes industriales',
      sectorId: committee.sectorId,
      level: 2,
      status: 'DRAFT',
    };
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = await client.ok(
        SEARCH,
        { filter, first: 2, after },
        admin,
      );
      expect(page.standards.totalCount).toBe(5);
      seen.push(...page.standards.nodes.map((n: { id: string }) => n.id));
      after = page.standards.pageInfo.hasNextPage
        ? page.standards.pageInfo.endCursor
        : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const [first] = ids;
    const code = (await client.ok(STANDARD, { id: first }, admin)).standard
      .code;
    const byCode = await client.ok(SEARCH, { filter: { search: code } }, admin);
    expect(byCode.standards.nodes.map((n: { id: string }) => n.id)).toEqual([
      first,
    ]);
    // The beginning of a code, in any case, finds the codes that start so.
    const byPrefix = await client.ok(
      SEARCH,
      {
        filter: {
          search: code.slice(0, 5).toLowerCase(),
          committeeId: committee.id,
        },
        first: 100,
      },
      admin,
    );
    expect(byPrefix.standards.nodes.map((n: { id: string }) => n.id)).toContain(
      first,
    );
    expect(
      byPrefix.standards.nodes.every((n: { code: string }) =>
        n.code.startsWith(code.slice(0, 5)),
      ),
    ).toBe(true);
    // Accents and case do not matter in titles.
    const accented = await draft(committee, {
      title: 'Instalación Eléctrica en edificación',
    });
    const unaccented = await client.ok(
      SEARCH,
      {
        filter: { search: 'instalacion electrica', committeeId: committee.id },
      },
      admin,
    );
    expect(unaccented.standards.nodes.map((n: { id: string }) => n.id)).toEqual(
      [accented.id],
    );
  });

  it('serves the five levels of the qualifications framework', async () => {
    const res = await client.ok(
      `{ qualificationLevels { level name descriptor } }`,
      {},
      {},
    );
    expect(
      res.qualificationLevels.map((l: { level: number }) => l.level),
    ).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('federation', () => {
  it('resolves CompetencyStandard references through _entities, N references in one query', async () => {
    const committee = await installedCommittee();
    const ids = [
      (await published(committee)).id,
      (await published(committee)).id,
      (await published(committee)).id,
    ];
    const spy = jest.spyOn(service.stores.standards, 'findByIds');
    const res = await client.ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CompetencyStandard { id code } } }`,
      {
        r: [...ids, '0190a5b0-0000-7000-8000-000000000000'].map((id) => ({
          __typename: 'CompetencyStandard',
          id,
        })),
      },
      {},
    );
    expect(
      res._entities.map((e: { id: string } | null) => e?.id ?? null),
    ).toEqual([...ids, null]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('resolves Committee references with their standards, N committees in one query', async () => {
    const committees = [await installedCommittee(), await installedCommittee()];
    const pubs = [
      await published(committees[0]!),
      await published(committees[1]!),
    ];
    const spy = jest.spyOn(service.stores.standards, 'findByCommittees');
    const res = await client.ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Committee { id standards { id } } } }`,
      { r: committees.map((c) => ({ __typename: 'Committee', id: c.id })) },
      {},
    );
    expect(res._entities).toEqual([
      { id: committees[0]!.id, standards: [{ id: pubs[0].id }] },
      { id: committees[1]!.id, standards: [{ id: pubs[1].id }] },
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
