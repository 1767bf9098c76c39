import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '@conecta/service-kit';
import {
  startSubgraph,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { standardsConfig } from '../../src/env';
import {
  createStandardsService,
  type StandardsService,
} from '../../src/server';
import type { CommitteeView } from '../../src/domain/committee';
import {
  admin,
  GAZETTE,
  holderOf,
  lifecycle,
  memberOf,
  reviewer,
  standardMutations,
} from '../fixtures/api';
import { elementMother, standardMother } from '../fixtures/mothers';

// The rules of the README's Decisions over HTTP: who may call each mutation
// (Authorization), what each read path shows (Visibility), and that bad input
// is refused naming its field with nothing written (Errors).

const FIELDS = 'id code version status';
const {
  DRAFT,
  REVISE,
  EDIT,
  SUBMIT,
  START_REVIEW,
  RETURN,
  TO_COUNCIL,
  VOTE,
  CLOSE_VOTE,
  PUBLISH,
  WITHDRAW,
  APPOINT,
} = standardMutations(FIELDS);
/** Everything a refused mutation could have changed, read as admin. */
const STATE = `query ($id: ID!) { standard(id: $id) { code status version title updatedAt findings { message } councilVotes { seat } gazette { date } withdrawalReason } }`;
const ROSTER = `{ councilSeats { seat holderId appointedAt } }`;
const SEARCH = `query ($filter: StandardFilter, $first: Int, $after: String) { standards(filter: $filter, first: $first, after: $after) { totalCount nodes { id } } }`;
const READ = `query ($id: ID!) { standard(id: $id) { id previousVersion { id } supersededBy { id } competingStandards { id } } }`;
const BY_CODE = `query ($code: String!, $version: Int) { standardByCode(code: $code, version: $version) { id } }`;
const COMPARE = `query ($a: ID!, $b: ID!) { compareStandards(a: $a, b: $b) { a { id } b { id } changedFields elements { title } unchangedElements } }`;

let infra: IsolatedInfra;
let service: StandardsService;
let client: TestClient;

/** A signed-in caller of `role` whose organization sits on no committee. */
const outsider = (role: 'university' | 'partner' | 'certifier' | 'broker') =>
  ({
    subject: `${role}-1`,
    roles: [role],
    organizationId: uuidv7(),
  }) satisfies AsIdentity;

const life = lifecycle(() => ({ service, client }), FIELDS);
const { installedCommittee, draft, submitted, inReview, inCouncilVote } = life;

/** In the council vote with a quorum in favour (every side voting): a council member may close it. */
async function withQuorum(
  committee: CommitteeView,
  overrides = {},
): Promise<string> {
  return life.votedInFavor(await inCouncilVote(committee, overrides));
}

async function approved(
  committee: CommitteeView,
  overrides = {},
): Promise<string> {
  return (await life.approve(await inCouncilVote(committee, overrides))).id;
}

async function published(
  committee: CommitteeView,
  overrides = {},
): Promise<string> {
  return (await life.published(committee, overrides)).id;
}

/** How many standards of `committee` exist, whoever may see them. */
async function countOf(committee: CommitteeView): Promise<number> {
  const { standards } = await client.ok(
    SEARCH,
    { filter: { committeeId: committee.id } },
    admin,
  );
  return standards.totalCount;
}

async function stateOf(id: string) {
  return (await client.ok(STATE, { id }, admin)).standard;
}

/** The errors' first extensions of a request expected to fail. */
async function refusal(
  query: string,
  variables: Record<string, unknown>,
  as: AsIdentity,
) {
  const res = await client.request(query, variables, as);
  expect(res.errors).toHaveLength(1);
  return res.errors?.[0]?.extensions;
}

// The owning committee and another one (another sector: no competitor).
let owner: CommitteeView;
let other: CommitteeView;

beforeAll(async () => {
  const running = await startSubgraph({
    name: 'standards',
    label: 'standards-rules',
    config: (env) => loadConfig(standardsConfig, env),
    create: createStandardsService,
  });
  ({ infra, service, client } = running);
  await life.appointCouncil();
  owner = await installedCommittee();
  other = await installedCommittee();
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

describe('who may call each mutation (README: Authorization)', () => {
  const CALLERS = {
    anonymous: (): AsIdentity => ({}),
    university: () => outsider('university'),
    partner: () => outsider('partner'),
    certifier: () => outsider('certifier'),
    broker: () => outsider('broker'),
    'a committee_member of another committee': () => memberOf(other),
    'a committee_member of the owning committee': () => memberOf(owner),
    // Sees the owning committee's drafts (any role of a member organization), writes nothing.
    'a university person of a member organization': (): AsIdentity => ({
      subject: 'rector-1',
      roles: ['university'],
      organizationId: owner.memberOrganizationIds[1],
    }),
    'council (no seat)': () => reviewer,
    admin: () => admin,
  } satisfies Record<string, () => AsIdentity>;
  type Caller = keyof typeof CALLERS;

  /** Those who see no hidden standard of the owning committee. */
  const OUTSIDERS: Caller[] = [
    'anonymous',
    'university',
    'partner',
    'certifier',
    'broker',
    'a committee_member of another committee',
  ];
  const NOT_WRITERS: Caller[] = [
    ...OUTSIDERS,
    'a university person of a member organization',
    'council (no seat)',
  ];
  const NOT_REVIEWERS: Caller[] = [
    ...OUTSIDERS,
    'a committee_member of the owning committee',
    'a university person of a member organization',
  ];
  const NOT_ADMINS = (Object.keys(CALLERS) as Caller[]).filter(
    (c) => c !== 'admin',
  );

  interface Case {
    mutation: string;
    /** What it acts on: a standard in a status where `allowed` succeeds. */
    target: string;
    setup: () => Promise<string | undefined>;
    request: (id: string | undefined) => [string, Record<string, unknown>];
    forbidden: Caller[];
    /** Of the forbidden, those who get NOT_FOUND: writers are checked against the owning committee, so the standard is loaded first, and they may not see it. */
    hidden: Caller[];
    allowed: () => AsIdentity;
  }
  const CASES: Case[] = [
    {
      mutation: 'draftStandard',
      target: 'the owning committee',
      setup: async () => undefined,
      request: () => [DRAFT, { input: standardMother.draftInput(owner) }],
      forbidden: NOT_WRITERS,
      hidden: [],
      allowed: () => memberOf(owner),
    },
    {
      mutation: 'reviseStandard',
      target: 'a PUBLISHED standard',
      setup: () => published(owner),
      request: (id) => [REVISE, { id }],
      forbidden: NOT_WRITERS,
      hidden: [],
      allowed: () => memberOf(owner),
    },
    {
      mutation: 'editDraft',
      target: 'a DRAFT',
      setup: async () => (await draft(owner)).id,
      request: (id) => [
        EDIT,
        { id, input: { title: 'Impartición de cursos en línea' } },
      ],
      forbidden: NOT_WRITERS,
      hidden: OUTSIDERS,
      allowed: () => memberOf(owner),
    },
    {
      mutation: 'submitStandard',
      target: 'a DRAFT',
      setup: async () => (await draft(owner)).id,
      request: (id) => [SUBMIT, { id }],
      forbidden: NOT_WRITERS,
      hidden: OUTSIDERS,
      allowed: () => memberOf(owner),
    },
    {
      mutation: 'startReview',
      target: 'a SUBMITTED standard',
      setup: () => submitted(owner),
      request: (id) => [START_REVIEW, { id }],
      forbidden: NOT_REVIEWERS,
      hidden: [],
      allowed: () => reviewer,
    },
    {
      mutation: 'returnStandard',
      target: 'an IN_REVIEW standard',
      setup: () => inReview(owner),
      request: (id) => [
        RETURN,
        { id, findings: [{ message: 'Precisar el propósito' }] },
      ],
      forbidden: NOT_REVIEWERS,
      hidden: [],
      allowed: () => reviewer,
    },
    {
      mutation: 'sendToCouncil',
      target: 'an IN_REVIEW standard',
      setup: () => inReview(owner),
      request: (id) => [TO_COUNCIL, { id }],
      forbidden: NOT_REVIEWERS,
      hidden: [],
      allowed: () => reviewer,
    },
    {
      // The role and the seat are checked before the standard is loaded: the
      // answer does not depend on the id, so nothing leaks.
      mutation: 'castCouncilVote',
      target: 'an IN_COUNCIL_VOTE standard with quorum',
      setup: () => withQuorum(owner),
      request: (id) => [VOTE, { id, seat: 'LABOR_2', vote: 'IN_FAVOR' }],
      forbidden: [...NOT_REVIEWERS, 'council (no seat)', 'admin'],
      hidden: [],
      allowed: () => holderOf('LABOR_2'),
    },
    {
      mutation: 'closeCouncilVote',
      target: 'an IN_COUNCIL_VOTE standard with quorum',
      setup: () => withQuorum(owner),
      request: (id) => [CLOSE_VOTE, { id }],
      forbidden: [...NOT_REVIEWERS, 'admin'],
      hidden: [],
      allowed: () => reviewer,
    },
    {
      // The role is checked before the standard is loaded.
      mutation: 'publishStandard',
      target: 'an APPROVED standard',
      setup: () => approved(owner),
      request: (id) => [PUBLISH, { id, input: GAZETTE }],
      forbidden: NOT_ADMINS,
      hidden: [],
      allowed: () => admin,
    },
    {
      mutation: 'withdrawStandard',
      target: 'a PUBLISHED standard',
      setup: () => published(owner),
      request: (id) => [WITHDRAW, { id, reason: 'Ocupación obsoleta' }],
      forbidden: NOT_ADMINS,
      hidden: [],
      allowed: () => admin,
    },
    {
      mutation: 'appointCouncilSeat',
      target: 'seat LABOR_2',
      setup: async () => undefined,
      request: () => [
        APPOINT,
        { seat: 'LABOR_2', holderId: holderOf('LABOR_2').subject },
      ],
      forbidden: NOT_ADMINS,
      hidden: [],
      allowed: () => admin,
    },
  ];

  // One standard per mutation, shared by its rows: a refusal changes nothing.
  const fixtures = new Map<string, Promise<string | undefined>>();
  const fixtureOf = (c: Case) => {
    if (!fixtures.has(c.mutation)) fixtures.set(c.mutation, c.setup());
    return fixtures.get(c.mutation)!;
  };
  /** Everything a refused call could have written. */
  const world = async (id: string | undefined) => ({
    standard: id ? await stateOf(id) : null,
    ownerStandards: await countOf(owner),
    roster: (await client.ok(ROSTER, {}, admin)).councilSeats,
  });

  const REFUSALS = CASES.flatMap((c) =>
    c.forbidden.map((caller) => {
      const outcome = c.hidden.includes(caller)
        ? 'NOT_FOUND'
        : caller === 'anonymous'
          ? 'UNAUTHENTICATED'
          : 'FORBIDDEN';
      return {
        ...c,
        caller,
        outcome,
        why:
          outcome === 'NOT_FOUND'
            ? ' (may not see it: NOT_FOUND, not FORBIDDEN, so it does not leak)'
            : '',
      };
    }),
  );

  it.each(REFUSALS)(
    '$mutation on $target by $caller answers $outcome$why and writes nothing',
    async (row) => {
      const id = await fixtureOf(row);
      const before = await world(id);
      const [query, variables] = row.request(id);
      const extensions = await refusal(query, variables, CALLERS[row.caller]());
      expect(extensions?.code).toBe(row.outcome);
      expect(await world(id)).toEqual(before);
    },
  );

  it.each(CASES)(
    '$mutation on that same $target succeeds for its role: the refusals were about the role',
    async (c) => {
      const id = await fixtureOf(c);
      const [query, variables] = c.request(id);
      await client.ok(query, variables, c.allowed());
    },
  );
});

describe('what each read path shows (README: Visibility)', () => {
  // owner: v1 PUBLISHED and its revision v2 in DRAFT, plus a code with only a
  // DRAFT; rival (same sector): a PUBLISHED and a DRAFT at the same level.
  let v1: string;
  let v2: string;
  let code: string;
  let onlyDraft: { id: string; code: string };
  let rival: CommitteeView;
  let rivalPublished: string;
  let rivalDraft: string;

  const PUBLIC = {
    anonymous: (): AsIdentity => ({}),
    'a committee_member of another committee': () => memberOf(other),
  } satisfies Record<string, () => AsIdentity>;
  const INSIDERS = {
    'a committee_member of the owning committee': () => memberOf(owner),
    council: () => reviewer,
    admin: () => admin,
  } satisfies Record<string, () => AsIdentity>;
  const publicRows = Object.entries(PUBLIC);
  const insiderRows = Object.entries(INSIDERS);

  beforeAll(async () => {
    v1 = await published(owner);
    ({ code } = await stateOf(v1));
    v2 = (await client.ok(REVISE, { id: v1 }, memberOf(owner))).reviseStandard
      .id;
    onlyDraft = await draft(owner);
    rival = await installedCommittee({ sectorId: owner.sectorId });
    rivalPublished = await published(rival, { level: 3 });
    rivalDraft = (await draft(rival, { level: 3 })).id;
  });

  const byCode = async (
    as: AsIdentity,
    c: string,
    version?: number,
  ): Promise<string | null> =>
    (await client.ok(BY_CODE, { code: c, version }, as)).standardByCode?.id ??
    null;

  it.each(publicRows)(
    'standardByCode shows %s the latest public version and null for a draft version or a draft-only code',
    async (_who, as) => {
      expect(await byCode(as(), code)).toBe(v1);
      expect(await byCode(as(), code, 1)).toBe(v1);
      expect(await byCode(as(), code, 2)).toBeNull();
      expect(await byCode(as(), onlyDraft.code)).toBeNull();
      expect(await byCode(as(), onlyDraft.code, 1)).toBeNull();
    },
  );

  it.each(insiderRows)(
    'standardByCode shows %s the draft revision as the latest version, and draft-only codes',
    async (_who, as) => {
      expect(await byCode(as(), code)).toBe(v2);
      expect(await byCode(as(), code, 2)).toBe(v2);
      expect(await byCode(as(), code, 1)).toBe(v1);
      expect(await byCode(as(), onlyDraft.code)).toBe(onlyDraft.id);
    },
  );

  it.each(publicRows)(
    'compareStandards answers %s NOT_FOUND when either side is a hidden draft',
    async (_who, as) => {
      for (const [a, b] of [
        [v1, v2],
        [v2, v1],
      ]) {
        const extensions = await refusal(COMPARE, { a, b }, as());
        expect(extensions?.code).toBe('NOT_FOUND');
      }
    },
  );

  it.each(insiderRows)(
    'compareStandards compares a published version with its draft revision for %s',
    async (_who, as) => {
      const { compareStandards } = await client.ok(
        COMPARE,
        { a: v1, b: v2 },
        as(),
      );
      expect(compareStandards).toEqual({
        a: { id: v1 },
        b: { id: v2 },
        changedFields: [],
        elements: [],
        unchangedElements: standardMother
          .draftInput(owner)
          .elements.map((e) => e.title),
      });
    },
  );

  it.each([
    ...publicRows,
    // A member of the owning committee does not sit on the rival one.
    ...insiderRows.slice(0, 1),
  ])(
    "competingStandards does not list another committee's draft to %s",
    async (_who, as) => {
      const { standard } = await client.ok(READ, { id: v1 }, as());
      expect(standard.competingStandards).toEqual([{ id: rivalPublished }]);
    },
  );

  it.each([
    [
      'a committee_member of the rival committee',
      () => memberOf(rival),
    ] as const,
    ...insiderRows.slice(1),
  ])(
    "competingStandards lists the rival committee's draft to %s",
    async (_who, as) => {
      const { standard } = await client.ok(READ, { id: v1 }, as());
      expect(
        standard.competingStandards.map((s: { id: string }) => s.id).sort(),
      ).toEqual([rivalPublished, rivalDraft].sort());
    },
  );

  it.each(publicRows)(
    'a revision in DRAFT is out of reach of %s: not by id, not as supersededBy, not in a search by code',
    async (_who, as) => {
      expect((await client.ok(READ, { id: v2 }, as())).standard).toBeNull();
      const old = (await client.ok(READ, { id: v1 }, as())).standard;
      expect(old.supersededBy).toBeNull();
      const { standards } = await client.ok(
        SEARCH,
        { filter: { search: code } },
        as(),
      );
      expect(standards).toEqual({ totalCount: 1, nodes: [{ id: v1 }] });
    },
  );

  it.each(publicRows)(
    'a search by status shows %s the published versions, and nothing for a status the public cannot see',
    async (_who, as) => {
      const search = async (status?: string) =>
        (
          await client.ok(
            SEARCH,
            { filter: { committeeId: owner.id, status }, first: 100 },
            as(),
          )
        ).standards as { totalCount: number; nodes: { id: string }[] };
      expect(await search('DRAFT')).toEqual({ totalCount: 0, nodes: [] });
      for (const found of [await search('PUBLISHED'), await search()]) {
        const ids = found.nodes.map((n) => n.id);
        expect(ids).toContain(v1);
        expect(ids).not.toContain(v2);
        expect(ids).not.toContain(onlyDraft.id);
        expect(found.totalCount).toBe(ids.length);
      }
    },
  );

  it.each(insiderRows)(
    'a revision in DRAFT shows %s its previousVersion, and is nobody’s supersededBy until published',
    async (_who, as) => {
      const revision = (await client.ok(READ, { id: v2 }, as())).standard;
      expect(revision.previousVersion).toEqual({ id: v1 });
      expect(revision.supersededBy).toBeNull();
      expect(
        (await client.ok(READ, { id: v1 }, as())).standard.supersededBy,
      ).toBeNull();
    },
  );
});

describe('bad input (README: Errors): BAD_USER_INPUT naming the field, nothing written', () => {
  const expectBadInput = (
    extensions: Record<string, unknown> | undefined,
    field: string,
  ) =>
    expect(extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
      fields: expect.arrayContaining([expect.objectContaining({ field })]),
    });

  it.each([
    ['a title too short', { title: 'Abcd' }, 'input.title'],
    ['a title too long', { title: 'a'.repeat(301) }, 'input.title'],
    ['a purpose too short', { purpose: 'Corto' }, 'input.purpose'],
    ['level 0', { level: 0 }, 'input.level'],
    ['level 6', { level: 6 }, 'input.level'],
    [
      '51 elements',
      {
        elements: Array.from({ length: 51 }, (_e, i) =>
          elementMother({ title: `Función clave ${i + 1}` }),
        ),
      },
      'input.elements',
    ],
    [
      'an element with an empty title',
      { elements: [elementMother({ title: '  ' })] },
      'input.elements[0].title',
    ],
    [
      'two elements with the same title, ignoring case',
      {
        elements: [
          elementMother(),
          elementMother({ title: 'PREPARAR LA SESIÓN DE CAPACITACIÓN' }),
        ],
      },
      'input.elements[1].title',
    ],
    [
      'a certificate validity of 0 years',
      { validity: { certificateValidityYears: 0, reviewIntervalYears: 5 } },
      'input.validity.certificateValidityYears',
    ],
    [
      'a review interval of 11 years',
      { validity: { certificateValidityYears: 3, reviewIntervalYears: 11 } },
      'input.validity.reviewIntervalYears',
    ],
  ])('draftStandard refuses %s', async (_label, overrides, field) => {
    const before = await countOf(owner);
    expectBadInput(
      await refusal(
        DRAFT,
        { input: standardMother.draftInput(owner, overrides) },
        memberOf(owner),
      ),
      field,
    );
    expect(await countOf(owner)).toBe(before);
  });

  describe('on an existing standard', () => {
    let inDraft: string;
    let underReview: string;
    let toPublish: string;
    let isPublished: string;
    beforeAll(async () => {
      inDraft = (await draft(owner)).id;
      underReview = await inReview(owner);
      toPublish = await approved(owner);
      isPublished = await published(owner);
    });

    const inDays = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

    /** A call on one of the standards above, built when the row runs. */
    interface Call {
      query: string;
      id: () => string;
      args: Record<string, unknown>;
      as: () => AsIdentity;
    }
    const edit = (input: object): Call => ({
      query: EDIT,
      id: () => inDraft,
      args: { input },
      as: () => memberOf(owner),
    });
    const giveBack = (findings: object[]): Call => ({
      query: RETURN,
      id: () => underReview,
      args: { findings },
      as: () => reviewer,
    });
    const publish = (input: object): Call => ({
      query: PUBLISH,
      id: () => toPublish,
      args: { input: { ...GAZETTE, ...input } },
      as: () => admin,
    });
    const withdraw = (reason: string): Call => ({
      query: WITHDRAW,
      id: () => isPublished,
      args: { reason },
      as: () => admin,
    });

    it.each<[string, string, Call, string]>([
      ['editDraft', 'a title too short', edit({ title: 'Abc' }), 'input.title'],
      ['editDraft', 'level 6', edit({ level: 6 }), 'input.level'],
      [
        'editDraft',
        'two elements with the same title',
        edit({ elements: [elementMother(), elementMother()] }),
        'input.elements[1].title',
      ],
      [
        'editDraft',
        'a certificate validity of 11 years',
        edit({
          validity: { certificateValidityYears: 11, reviewIntervalYears: 5 },
        }),
        'input.validity.certificateValidityYears',
      ],
      [
        'returnStandard',
        'a finding with an empty message',
        giveBack([{ message: ' ' }]),
        'findings[0].message',
      ],
      [
        'returnStandard',
        'a negative elementIndex',
        giveBack([{ message: 'Precisar el propósito', elementIndex: -1 }]),
        'findings[0].elementIndex',
      ],
      [
        'returnStandard',
        'an elementIndex past the last element (ELEMENT_INDEX_OUT_OF_RANGE)',
        // The standard has two elements: 0 and 1.
        giveBack([
          { message: 'Precisar el propósito' },
          { message: 'Falta un criterio de desempeño', elementIndex: 2 },
        ]),
        'findings[1].elementIndex',
      ],
      [
        'publishStandard',
        'a gazette date in the future',
        publish({ gazetteDate: inDays(2) }),
        'input.gazetteDate',
      ],
      [
        'publishStandard',
        'a gazette date not in YYYY-MM-DD',
        publish({ gazetteDate: '15/01/2026' }),
        'input.gazetteDate',
      ],
      [
        'publishStandard',
        'a gazette date that does not exist',
        publish({ gazetteDate: '2025-02-30' }),
        'input.gazetteDate',
      ],
      [
        'publishStandard',
        'an empty gazette reference',
        publish({ gazetteReference: '' }),
        'input.gazetteReference',
      ],
      ['withdrawStandard', 'an empty reason', withdraw(''), 'reason'],
      [
        'withdrawStandard',
        'a reason over 1000 characters',
        withdraw('a'.repeat(1_001)),
        'reason',
      ],
    ])(
      '%s refuses %s and leaves the standard unchanged',
      async (_mutation, _label, call, field) => {
        const id = call.id();
        const before = await stateOf(id);
        expectBadInput(
          await refusal(call.query, { id, ...call.args }, call.as()),
          field,
        );
        expect(await stateOf(id)).toEqual(before);
      },
    );
  });

  it.each([
    ['first: 0', { first: 0 }, 'first'],
    ['first: 101', { first: 101 }, 'first'],
    ['a malformed after cursor', { after: 'not-a-cursor' }, 'after'],
  ])('standards refuses %s', async (_label, args, field) => {
    expectBadInput(await refusal(SEARCH, args, admin), field);
  });
});
