import { COUNCIL_SEATS } from '@conecta/events';
import { companyRfc, eventually, withWrongDigit } from '@conecta/test-kit';
import { day, sectorCode } from './support/data';
import {
  CAST_COUNCIL_VOTE,
  INSTALL_COMMITTEE,
  PUBLISH_STANDARD,
  REGISTER_ORGANIZATION,
  REGISTER_SECTOR,
  addCommitteeMember,
  appointCommitteeChair,
  appointCouncil,
  castCouncilVote,
  draftStandard,
  installCommittee,
  installedCommittee,
  proposeCommittee,
  publishAgenda,
  publishStandard,
  registerOrganization,
  registerSector,
  standardStep,
  toCouncilVote,
  voteInCouncil,
  type Send,
} from './support/flows';
import {
  sharedTestSystem,
  type Actor,
  type TestSystem,
} from './support/system';

// The committees and standards domain, end to end through the gateway only:
// the subgraphs are real processes on real MongoDB and Kafka (shared with the
// other system tests: this file's data is its own sector), every step is
// a GraphQL request to the gateway, and what one service learns from the other
// (a committee's installation, a standard's publication) travels as an event.
let system: TestSystem;

beforeAll(async () => {
  system = await sharedTestSystem('committees-standards');
}, 120_000);

afterAll(async () => {
  await system?.stop();
}, 60_000);

const ADMIN: Actor = { sub: 'conocer-admin', roles: ['admin'] };
const COUNCIL = (seat: number): Actor => ({
  sub: `council-${seat}`,
  roles: ['council'],
});
const YEAR = new Date().getUTCFullYear();

const send: TestSystem['send'] = (...args) => system.send(...args);
const refusal: TestSystem['refusal'] = (...args) => system.refusal(...args);

const NOMINATE = `mutation ($i: NominateCertifierInput!) { nominateCertifier(input: $i) { id } }`;
const SEARCH = `query ($f: StandardFilter, $first: Int, $after: String) {
  standards(filter: $f, first: $first, after: $after) {
    totalCount nodes { id code version status } pageInfo { endCursor hasNextPage }
  }
}`;

const element = (title: string, criteria: string[], knowledge: string[]) => ({
  title,
  performanceCriteria: criteria,
  products: [`Evidencia de ${title.toLowerCase()}`],
  knowledge,
  attitudes: ['Responsabilidad'],
});
const PREPARE = element(
  'Preparar los datos para su análisis',
  [
    'Verifica la calidad de las fuentes con la lista de control',
    'Documenta las transformaciones aplicadas',
  ],
  ['Tipos de datos y escalas de medición'],
);
const PRESENT = element(
  'Presentar los hallazgos del análisis',
  ['Elabora visualizaciones que responden la pregunta de negocio'],
  ['Principios de visualización de datos'],
);
const PROTECT = element(
  'Proteger los datos personales',
  ['Anonimiza los registros antes de compartirlos'],
  ['Ley de protección de datos personales'],
);
const draftInput = (
  committeeId: string,
  sectorId: string,
  title: string,
  level: number,
  agendaItemId: string,
) => ({
  committeeId,
  sectorId,
  agendaItemId,
  title,
  purpose: `Referente para evaluar y certificar a quien realiza: ${title}.`,
  level,
  elements: [PREPARE, PRESENT],
  validity: { certificateValidityYears: 3, reviewIntervalYears: 5 },
});

// What the steps share (each `it` continues the story of the previous one).
const org: Record<string, string> = {};
let sectorId: string;
let committeeA: string;
let committeeB: string;
let memberA: Actor;
let memberB: Actor;
/** Ids of the agenda items in force, per committee, by title. */
const agendaItem: Record<'A' | 'B', Record<string, string>> = { A: {}, B: {} };
const itemIds = (published: { items: { id: string; title: string }[] }) =>
  Object.fromEntries(published.items.map((i) => [i.title, i.id]));
const std: Record<'s1' | 's2' | 's3' | 's1v2', { id: string; code: string }> =
  {} as never;

/** Runs `mutation(id: $id)` as `actor` and returns the new status. */
const step = (actor: Actor, mutation: string, id: string) =>
  standardStep(send, actor, mutation, id);

/** Submits, reviews and opens the council vote of a DRAFT. */
async function toCouncil(author: Actor, id: string): Promise<void> {
  expect(await toCouncilVote(send, { author, admin: ADMIN }, id)).toEqual([
    'SUBMITTED',
    'IN_REVIEW',
    'IN_COUNCIL_VOTE',
  ]);
}

/**
 * Every seat of the default (case-study) council votes, one against and the
 * rest in favour: the last vote closes and approves.
 */
async function approve(id: string): Promise<void> {
  expect(
    await voteInCouncil(send, id, COUNCIL, (i) =>
      i === 5 ? 'AGAINST' : 'IN_FAVOR',
    ),
  ).toEqual({
    status: 'APPROVED',
    councilTally: {
      inFavor: COUNCIL_SEATS.length - 1,
      against: 1,
      abstentions: 0,
    },
  });
}

/** Publishes as the admin, through `via` (this file's gateway unless given), dated `daysAgo`. */
const publish = (id: string, daysAgo: number, via: Send = send) =>
  publishStandard(via, ADMIN, id, {
    date: day(-daysAgo),
    reference: `DOF ${day(-daysAgo)}, Segunda Sección`,
  });

/** A query through the gateway, with how its response cache answered. */
async function cachedAnswer(
  url: string,
  query: string,
  variables: object,
  token?: string,
  noCache = false,
): Promise<{ cache: string | null; data: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(noCache ? { 'cache-control': 'no-cache' } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const { data } = (await response.json()) as { data: unknown };
  return { cache: response.headers.get('x-cache'), data };
}

describe('committees and standards, end to end through the gateway', () => {
  it('registers organizations and sectors, refusing bad input and the wrong callers', async () => {
    const code = sectorCode();
    const sector = await registerSector(send, ADMIN, {
      code,
      name: 'Procesamiento electrónico de información',
    });
    sectorId = sector.id;
    expect(sector.code).toBe(code);

    const sectorInput = {
      i: { code: '6111', name: 'Escuelas', kind: 'PUBLIC' },
    };
    expect(
      await refusal(
        { sub: 'someone', roles: ['committee_member'] },
        REGISTER_SECTOR,
        sectorInput,
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refusal(undefined, REGISTER_SECTOR, sectorInput),
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      await refusal(undefined, REGISTER_ORGANIZATION, {
        i: {
          name: 'Anónima S.A.',
          kind: 'COMPANY',
          state: 'MX-JAL',
          taxId: companyRfc(),
        },
      }),
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      await refusal(ADMIN, REGISTER_ORGANIZATION, {
        i: {
          name: 'RFC Equivocado S.A.',
          kind: 'COMPANY',
          state: 'MX-JAL',
          taxId: withWrongDigit(companyRfc()),
        },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.taxId' });

    for (const [key, name, kind, state, actor] of [
      [
        'employerA',
        'Datos de Occidente S.A. de C.V.',
        'COMPANY',
        'MX-JAL',
        ADMIN,
      ],
      [
        'union',
        'Sindicato Nacional de la Información',
        'TRADE_UNION',
        'MX-NLE',
        ADMIN,
      ],
      [
        'university',
        'Universidad de Guadalajara',
        'UNIVERSITY',
        'MX-JAL',
        ADMIN,
      ],
      [
        'employerB',
        'Software del Norte S.A. de C.V.',
        'COMPANY',
        'MX-NLE',
        ADMIN,
      ],
      // A committee member brings a participant into the directory too.
      [
        'chamber',
        'Cámara de la Industria Electrónica',
        'CHAMBER',
        'MX-CMX',
        { sub: 'promotor', roles: ['committee_member'] } as Actor,
      ],
    ] as const) {
      const registered = await registerOrganization(send, actor, {
        name,
        kind,
        state,
      });
      expect(registered.name).toBe(name);
      org[key] = registered.id;
    }
    memberA = {
      sub: 'ceo@datos-occidente',
      roles: ['committee_member'],
      org: org.employerA,
    };
    memberB = {
      sub: 'ceo@software-norte',
      roles: ['committee_member'],
      org: org.employerB,
    };
  }, 30_000);

  it('installs committees only when they meet every condition, and publishes agenda versions', async () => {
    const proposed = await proposeCommittee(send, ADMIN, {
      name: 'Comité de Gestión por Competencias de Datos',
      sectorId,
      scope: 'NATIONAL',
    });
    committeeA = proposed.id;
    expect(proposed.status).toBe('PROPOSED');
    expect(
      await refusal(ADMIN, INSTALL_COMMITTEE, { id: committeeA }),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLABLE',
      unmetConditions: ['NO_CHAIR', 'NO_EMPLOYER_MEMBER'],
    });
    // A union joins without attestation: now that is missing too.
    await addCommitteeMember(send, ADMIN, committeeA, {
      organizationId: org.union,
      side: 'LABOR',
      positionTitle: 'Secretario General',
    });
    expect(
      await refusal(ADMIN, INSTALL_COMMITTEE, { id: committeeA }),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLABLE',
      unmetConditions: ['NO_CHAIR', 'NO_EMPLOYER_MEMBER', 'UNATTESTED_MEMBERS'],
    });
    await addCommitteeMember(send, ADMIN, committeeA, {
      organizationId: org.employerA,
      side: 'EMPLOYER',
      positionTitle: 'Director General',
      decisionMakerRole: 'CHIEF_EXECUTIVE',
    });
    await send(
      { sub: 'sg@sindicato', roles: ['committee_member'], org: org.union },
      `mutation ($i: AttestDecisionMakerInput!) { attestDecisionMaker(input: $i) { id } }`,
      {
        i: {
          committeeId: committeeA,
          organizationId: org.union,
          role: 'UNION_GENERAL_SECRETARY',
        },
      },
    );
    expect(
      await appointCommitteeChair(send, memberA, committeeA, org.employerA),
    ).toBe(org.employerA);
    await send(
      memberA,
      `mutation ($i: AddWorkingGroupExpertInput!) { addWorkingGroupExpert(input: $i) { id } }`,
      {
        i: {
          committeeId: committeeA,
          name: 'María José Pérez',
          specialty: 'Ciencia de datos',
          organizationId: org.university,
        },
      },
    );
    expect(await installCommittee(send, ADMIN, committeeA)).toBe('INSTALLED');

    // A competing committee of the same sector, proposed by its employer.
    const competing = await installedCommittee(send, {
      admin: ADMIN,
      by: memberB,
      committee: {
        name: 'Comité Regional de Datos del Norte',
        sectorId,
        scope: 'REGIONAL',
        states: ['MX-NLE', 'MX-COA'],
      },
      members: [
        {
          organizationId: org.employerB,
          side: 'EMPLOYER',
          positionTitle: 'Director General',
          decisionMakerRole: 'CHIEF_EXECUTIVE',
        },
      ],
      chair: org.employerB,
    });
    committeeB = competing.id;

    const { sector } = await send(
      undefined,
      `query ($id: ID!) { sector(id: $id) { committees { id name scope status } } }`,
      { id: sectorId },
    );
    expect(sector.committees).toEqual([
      {
        id: committeeA,
        name: 'Comité de Gestión por Competencias de Datos',
        scope: 'NATIONAL',
        status: 'INSTALLED',
      },
      {
        id: committeeB,
        name: 'Comité Regional de Datos del Norte',
        scope: 'REGIONAL',
        status: 'INSTALLED',
      },
    ]);

    const v1 = await publishAgenda(send, memberA, committeeA, [
      { kind: 'FUNCTION', title: 'Análisis de datos', targetYear: YEAR + 1 },
      {
        kind: 'OCCUPATION',
        title: 'Científico de datos',
        targetYear: YEAR + 2,
      },
    ]);
    const v2 = await publishAgenda(send, memberA, committeeA, [
      { kind: 'OCCUPATION', title: 'Ingeniero de datos', targetYear: YEAR + 3 },
      { kind: 'FUNCTION', title: 'Análisis de datos', targetYear: YEAR + 1 },
    ]);
    expect(v2.version).toBe(2);
    // The function carried over keeps its id: standards name items by it.
    agendaItem.A = itemIds(v2);
    expect(agendaItem.A['Análisis de datos']).toBe(
      itemIds(v1)['Análisis de datos'],
    );
    // The regional committee's agenda comes first too.
    const regional = await publishAgenda(send, memberB, committeeB, [
      {
        kind: 'FUNCTION',
        title: 'Análisis de datos para la planeación regional',
        targetYear: YEAR + 2,
      },
    ]);
    agendaItem.B = itemIds(regional);
    const read = `query ($id: ID!) { committee(id: $id) {
      first: agenda(version: 1) { version items { priority kind title } }
      latest: agenda { version items { title } }
      agendaVersions { version }
      installation { installable unmetConditions }
      chair { organization { name } }
      members { organization { id } side decisionMaker { role } }
      workingGroup { name initials specialty }
    } }`;
    const { committee } = await send(undefined, read, { id: committeeA });
    expect(committee).toMatchObject({
      first: {
        version: 1,
        items: [
          { priority: 1, kind: 'FUNCTION', title: 'Análisis de datos' },
          { priority: 2, kind: 'OCCUPATION', title: 'Científico de datos' },
        ],
      },
      latest: {
        version: 2,
        items: [
          { title: 'Ingeniero de datos' },
          { title: 'Análisis de datos' },
        ],
      },
      agendaVersions: [{ version: 1 }, { version: 2 }],
      installation: { installable: false, unmetConditions: [] },
      chair: { organization: { name: 'Datos de Occidente S.A. de C.V.' } },
      members: [
        {
          organization: { id: org.union },
          side: 'LABOR',
          decisionMaker: { role: 'UNION_GENERAL_SECRETARY' },
        },
        {
          organization: { id: org.employerA },
          side: 'EMPLOYER',
          decisionMaker: { role: 'CHIEF_EXECUTIVE' },
        },
      ],
      // An expert's name is personal data: the public sees initials only.
      workingGroup: [
        {
          name: null,
          initials: expect.any(String),
          specialty: 'Ciencia de datos',
        },
      ],
    });
    const asMember = await send(memberA, read, { id: committeeA });
    expect(asMember.committee.workingGroup[0].name).toBe('María José Pérez');
  }, 30_000);

  it('keeps drafts to their committee and staff, and returns them with findings', async () => {
    // Standards learns of each installation (and its members) and of each
    // agenda through Kafka: draftStandard waits for it.
    std.s1 = await draftStandard(
      send,
      memberA,
      draftInput(
        committeeA,
        sectorId,
        'Análisis de datos para la toma de decisiones',
        3,
        agendaItem.A['Análisis de datos']!,
      ),
    );
    expect(std.s1).toMatchObject({
      code: expect.stringMatching(/^EC\d{4}$/),
      version: 1,
      status: 'DRAFT',
    });
    std.s2 = await draftStandard(
      send,
      memberB,
      draftInput(
        committeeB,
        sectorId,
        'Análisis de datos para la planeación regional',
        3,
        agendaItem.B['Análisis de datos para la planeación regional']!,
      ),
    );

    const look = `query ($id: ID!, $f: StandardFilter) {
      standard(id: $id) { id status }
      standards(filter: $f) { totalCount nodes { id } }
    }`;
    const vars = { id: std.s1.id, f: { sectorId } };
    const anonymous = await send(undefined, look, vars);
    expect(anonymous).toEqual({
      standard: null,
      standards: { totalCount: 0, nodes: [] },
    });
    const otherCommittee = await send(memberB, look, vars);
    expect(otherCommittee).toEqual({
      standard: null,
      standards: { totalCount: 1, nodes: [{ id: std.s2.id }] },
    });
    const ownCommittee = await send(memberA, look, vars);
    expect(ownCommittee).toEqual({
      standard: { id: std.s1.id, status: 'DRAFT' },
      standards: { totalCount: 1, nodes: [{ id: std.s1.id }] },
    });
    const admin = await send(ADMIN, look, vars);
    expect(admin.standard).toEqual({ id: std.s1.id, status: 'DRAFT' });
    expect(admin.standards.totalCount).toBe(2);

    // Methodology review returns the draft with a finding; the committee reads it.
    expect(await step(memberA, 'submitStandard', std.s1.id)).toBe('SUBMITTED');
    expect(await step(ADMIN, 'startReview', std.s1.id)).toBe('IN_REVIEW');
    const { returnStandard } = await send(
      ADMIN,
      `mutation ($id: ID!, $f: [FindingInput!]!) { returnStandard(id: $id, findings: $f) { status } }`,
      {
        id: std.s1.id,
        f: [
          {
            message: 'Precisar la audiencia de los hallazgos',
            elementIndex: 1,
          },
        ],
      },
    );
    expect(returnStandard.status).toBe('DRAFT');
    const { standard } = await send(
      memberA,
      `query ($id: ID!) { standard(id: $id) { status findings { round source message elementIndex } } }`,
      { id: std.s1.id },
    );
    expect(standard).toEqual({
      status: 'DRAFT',
      findings: [
        {
          round: 1,
          source: 'REVIEWER',
          message: 'Precisar la audiencia de los hallazgos',
          elementIndex: 1,
        },
      ],
    });
    await toCouncil(memberA, std.s1.id);
    await toCouncil(memberB, std.s2.id);
  }, 60_000);

  it('lets only seated council members vote: a tie rejects, a majority approves, an admin publishes', async () => {
    expect(await appointCouncil(send, ADMIN, COUNCIL)).toEqual(
      COUNCIL_SEATS.map((seat, i) => ({ seat, holderId: COUNCIL(i).sub })),
    );
    expect(
      await refusal(
        { sub: 'council-without-seat', roles: ['council'] },
        CAST_COUNCIL_VOTE,
        { id: std.s1.id, seat: 'GOVERNMENT_1', vote: 'AGAINST' },
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'SEAT_NOT_HELD' });

    await approve(std.s1.id);
    await approve(std.s2.id);

    // A third standard, drafted by an admin for committee A, ties and is rejected.
    const s3 = await draftStandard(
      send,
      ADMIN,
      draftInput(
        committeeA,
        sectorId,
        'Captura de registros en hojas de cálculo',
        2,
        agendaItem.A['Análisis de datos']!,
      ),
    );
    std.s3 = s3;
    await toCouncil(ADMIN, s3.id);
    // A quorum (7 of 13, every side), the chair not voting: 3 – 3 – 1 ties.
    for (const [seat, vote] of [
      ['GOVERNMENT_1', 'IN_FAVOR'],
      ['GOVERNMENT_2', 'AGAINST'],
      ['GOVERNMENT_3', 'ABSTAIN'],
      ['EMPLOYER_1', 'IN_FAVOR'],
      ['EMPLOYER_2', 'AGAINST'],
      ['LABOR_1', 'IN_FAVOR'],
      ['LABOR_2', 'AGAINST'],
    ] as const)
      await castCouncilVote(
        send,
        COUNCIL(COUNCIL_SEATS.indexOf(seat)),
        s3.id,
        seat,
        vote,
      );
    const { closeCouncilVote } = await send(
      COUNCIL(1),
      `mutation ($id: ID!) { closeCouncilVote(id: $id) { status councilTally { inFavor against abstentions } } }`,
      { id: s3.id },
    );
    expect(closeCouncilVote).toEqual({
      status: 'REJECTED',
      councilTally: { inFavor: 3, against: 3, abstentions: 1 },
    });

    expect(
      await refusal(memberA, PUBLISH_STANDARD, {
        id: std.s1.id,
        p: { gazetteDate: day(-3), gazetteReference: 'DOF, Segunda Sección' },
      }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const published = await publish(std.s1.id, 3);
    expect({ status: published.status, gazette: published.gazette }).toEqual({
      status: 'PUBLISHED',
      gazette: { date: day(-3), reference: `DOF ${day(-3)}, Segunda Sección` },
    });

    // Agenda first: the committee's agenda (committees) and how much of it
    // its published standards cover (standards), in one question.
    const { committee, standard } = await send(
      undefined,
      `query ($c: ID!, $s: ID!) {
        committee(id: $c) {
          agenda { version }
          agendaCoverage { agendaVersion itemCount coveredItemCount ratio
            items { item { id title } covered publishedStandards { code } } }
        }
        standard(id: $s) { agendaItem { id title kind inForce } }
      }`,
      { c: committeeA, s: std.s1.id },
    );
    expect(committee).toEqual({
      agenda: { version: 2 },
      agendaCoverage: {
        agendaVersion: 2,
        itemCount: 2,
        coveredItemCount: 1,
        ratio: 0.5,
        items: [
          {
            item: {
              id: agendaItem.A['Ingeniero de datos'],
              title: 'Ingeniero de datos',
            },
            covered: false,
            publishedStandards: [],
          },
          {
            item: {
              id: agendaItem.A['Análisis de datos'],
              title: 'Análisis de datos',
            },
            covered: true,
            publishedStandards: [{ code: std.s1.code }],
          },
        ],
      },
    });
    expect(standard.agendaItem).toEqual({
      id: agendaItem.A['Análisis de datos'],
      title: 'Análisis de datos',
      kind: 'FUNCTION',
      inForce: true,
    });
  }, 60_000);

  it('answers repeated queries from its cache, per caller, and a publication elsewhere is seen within 1 s', async () => {
    const STATUS = `query ($id: ID!) { standard(id: $id) { status } }`;
    const admin = await system.tokenFor(ADMIN);
    const ask = (token?: string, noCache = false) =>
      cachedAnswer(
        system.gatewayUrl,
        STATUS,
        { id: std.s2.id },
        token,
        noCache,
      );

    expect(await ask(admin)).toEqual({
      cache: 'MISS',
      data: { standard: { status: 'APPROVED' } },
    });
    // Answered from the cache once nothing changed in the standards subgraph
    // in between (the previous steps' events may still be arriving).
    expect(
      await eventually(
        async () => {
          const answer = await ask(admin);
          return answer.cache === 'HIT' ? answer : undefined;
        },
        { timeoutMs: 10_000, what: 'a cache hit' },
      ),
    ).toEqual({ cache: 'HIT', data: { standard: { status: 'APPROVED' } } });
    expect((await ask(admin, true)).cache).toBe('BYPASS');
    // The admin's answer is the admin's: an anonymous caller, who may not
    // see an unpublished standard, gets an answer of its own.
    const anonymous = await ask();
    expect(anonymous.cache).toBe('MISS');
    expect(anonymous.data).not.toEqual({ standard: { status: 'APPROVED' } });

    // Published through another gateway: this one learns of it from Kafka.
    const writer = await sharedTestSystem('committees-standards-writer', {
      gatewayEnv: { RESPONSE_CACHE_TTL_MS: '0' },
    });
    try {
      await publish(std.s2.id, 2, writer.send);
      // The bound: fresh within 1 s of the publication, for the admin
      // and for the anonymous caller, whose earlier answer was `null`.
      await eventually(
        async () =>
          ((await ask(admin)).data.standard?.status === 'PUBLISHED' &&
            (await ask()).data.standard?.status === 'PUBLISHED') ||
          undefined,
        { timeoutMs: 1_000, what: 'the published status through the cache' },
      );
    } finally {
      await writer.stop();
    }

    // Competing standards: same sector and level, the other committee.
    const { standard } = await send(
      undefined,
      `query ($id: ID!) { standard(id: $id) { competingStandards { id committee { name } } } }`,
      { id: std.s1.id },
    );
    expect(standard.competingStandards).toEqual([
      {
        id: std.s2.id,
        committee: { name: 'Comité Regional de Datos del Norte' },
      },
    ]);
  }, 60_000);

  it('nominates certifiers for a published standard of the committee, once each', async () => {
    // Committees learns of the publication through Kafka.
    for (const organizationId of [org.university, org.chamber])
      await send(
        memberA,
        NOMINATE,
        {
          i: { committeeId: committeeA, standardId: std.s1.id, organizationId },
        },
        ['STANDARD_NOT_PUBLISHED'],
      );
    expect(
      await refusal(memberA, NOMINATE, {
        i: {
          committeeId: committeeA,
          standardId: std.s1.id,
          organizationId: org.university,
        },
      }),
    ).toMatchObject({ code: 'CONFLICT', reason: 'NOMINATION_DUPLICATE' });
    const { standard } = await send(
      undefined,
      `query ($id: ID!) { standard(id: $id) {
        code status nominationCount committee { name }
        nominations { organization { name } }
      } }`,
      { id: std.s1.id },
    );
    expect(standard).toEqual({
      code: std.s1.code,
      status: 'PUBLISHED',
      nominationCount: 2,
      committee: { name: 'Comité de Gestión por Competencias de Datos' },
      nominations: [
        { organization: { name: 'Universidad de Guadalajara' } },
        { organization: { name: 'Cámara de la Industria Electrónica' } },
      ],
    });
  }, 60_000);

  it('revises, supersedes, compares and withdraws', async () => {
    const { reviseStandard } = await send(
      memberA,
      `mutation ($id: ID!) { reviseStandard(id: $id) { id code version status } }`,
      { id: std.s1.id },
    );
    expect(reviseStandard).toMatchObject({
      code: std.s1.code,
      version: 2,
      status: 'DRAFT',
    });
    std.s1v2 = reviseStandard;
    const changed = {
      ...PREPARE,
      performanceCriteria: [
        ...PREPARE.performanceCriteria,
        'Registra el origen de cada fuente',
      ],
    };
    await send(
      memberA,
      `mutation ($id: ID!, $i: EditDraftInput!) { editDraft(id: $id, input: $i) { id } }`,
      { id: std.s1v2.id, i: { elements: [changed, PRESENT, PROTECT] } },
    );
    await toCouncil(memberA, std.s1v2.id);
    await approve(std.s1v2.id);
    expect((await publish(std.s1v2.id, 1)).status).toBe('PUBLISHED');
    const old = await eventually(
      async () => {
        const { standard } = await send(
          undefined,
          `query ($id: ID!) { standard(id: $id) { status supersededBy { id version } } }`,
          { id: std.s1.id },
        );
        return standard.status === 'SUPERSEDED' && standard;
      },
      { timeoutMs: 20_000, what: 'the first version to be superseded' },
    );
    expect(old.supersededBy).toEqual({ id: std.s1v2.id, version: 2 });

    const { compareStandards } = await send(
      undefined,
      `query ($a: ID!, $b: ID!) { compareStandards(a: $a, b: $b) {
        changedFields unchangedElements
        elements { change title performanceCriteria { added removed } knowledge { added removed } }
      } }`,
      { a: std.s1.id, b: std.s1v2.id },
    );
    expect(compareStandards).toEqual({
      changedFields: [],
      unchangedElements: [PRESENT.title],
      elements: [
        {
          change: 'CHANGED',
          title: PREPARE.title,
          performanceCriteria: {
            added: ['Registra el origen de cada fuente'],
            removed: [],
          },
          knowledge: { added: [], removed: [] },
        },
        {
          change: 'ADDED',
          title: PROTECT.title,
          performanceCriteria: {
            added: PROTECT.performanceCriteria,
            removed: [],
          },
          knowledge: { added: PROTECT.knowledge, removed: [] },
        },
      ],
    });

    const { withdrawStandard } = await send(
      ADMIN,
      `mutation ($id: ID!, $r: String!) { withdrawStandard(id: $id, reason: $r) { status withdrawalReason } }`,
      {
        id: std.s1v2.id,
        r: 'Sustituida por la norma técnica de competencia laboral',
      },
    );
    expect(withdrawStandard).toEqual({
      status: 'WITHDRAWN',
      withdrawalReason:
        'Sustituida por la norma técnica de competencia laboral',
    });
  }, 60_000);

  it('searches by code, text, level, status and committee with cursor pages', async () => {
    const search = async (
      actor: Actor | undefined,
      f: Record<string, unknown>,
      first?: number,
      after?: string,
    ) => (await send(actor, SEARCH, { f, first, after })).standards;
    const ids = (page: any) => page.nodes.map((n: any) => n.id);

    // By code (either case): both versions, which are public.
    const byCode = await search(undefined, {
      search: std.s1.code.toLowerCase(),
    });
    expect(byCode.totalCount).toBe(2);
    expect(byCode.nodes).toEqual([
      { id: std.s1.id, code: std.s1.code, version: 1, status: 'SUPERSEDED' },
      { id: std.s1v2.id, code: std.s1.code, version: 2, status: 'WITHDRAWN' },
    ]);
    // By title text (in this file's sector: other test files share the
    // service): the rejected standard is not public.
    expect(ids(await search(undefined, { search: 'DATOS', sectorId }))).toEqual(
      [std.s1.id, std.s2.id, std.s1v2.id],
    );
    expect(
      (await search(ADMIN, { search: 'hojas de cálculo', sectorId })).nodes,
    ).toEqual([expect.objectContaining({ id: std.s3.id, status: 'REJECTED' })]);
    expect(
      (await search(undefined, { search: 'hojas de cálculo', sectorId }))
        .totalCount,
    ).toBe(0);
    // By level and status.
    const published = await search(undefined, {
      level: 3,
      status: 'PUBLISHED',
      sectorId,
    });
    expect(published.totalCount).toBe(1);
    expect(ids(published)).toEqual([std.s2.id]);
    // By committee, one per page.
    const first = await search(memberA, { committeeId: committeeA }, 1);
    expect(first).toMatchObject({
      totalCount: 3,
      nodes: [{ id: std.s1.id }],
      pageInfo: { hasNextPage: true },
    });
    const second = await search(
      memberA,
      { committeeId: committeeA },
      1,
      first.pageInfo.endCursor,
    );
    expect(second).toMatchObject({
      totalCount: 3,
      nodes: [{ id: std.s3.id }],
      pageInfo: { hasNextPage: true },
    });
    const third = await search(
      memberA,
      { committeeId: committeeA },
      1,
      second.pageInfo.endCursor,
    );
    expect(third).toMatchObject({
      totalCount: 3,
      nodes: [{ id: std.s1v2.id }],
      pageInfo: { hasNextPage: false },
    });
    expect(
      (await search(memberB, { committeeId: committeeA })).totalCount,
    ).toBe(2);

    const { qualificationLevels } = await send(
      undefined,
      `{ qualificationLevels { level name descriptor } }`,
    );
    expect(qualificationLevels.map((l: any) => l.level)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    for (const level of qualificationLevels) {
      expect(level.name).toEqual(expect.any(String));
      expect(level.descriptor.length).toBeGreaterThan(20);
    }
  }, 30_000);

  it('federates Committee.standards showing only what the caller may see', async () => {
    const query = `query ($id: ID!) { committee(id: $id) { name standards { code version status } } }`;
    const publicView = await send(undefined, query, { id: committeeA });
    expect(publicView.committee).toEqual({
      name: 'Comité de Gestión por Competencias de Datos',
      standards: [
        { code: std.s1.code, version: 1, status: 'SUPERSEDED' },
        { code: std.s1.code, version: 2, status: 'WITHDRAWN' },
      ],
    });
    const memberView = await send(memberA, query, { id: committeeA });
    expect(memberView.committee.standards).toEqual([
      { code: std.s1.code, version: 1, status: 'SUPERSEDED' },
      { code: std.s3.code, version: 1, status: 'REJECTED' },
      { code: std.s1.code, version: 2, status: 'WITHDRAWN' },
    ]);
    const otherCommittee = await send(memberB, query, { id: committeeA });
    expect(otherCommittee.committee.standards).toEqual(
      publicView.committee.standards,
    );
  }, 30_000);
});
