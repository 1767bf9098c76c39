import { fakerES_MX as faker } from '@faker-js/faker';
import { generateCompanyRfc } from '@conecta/mexico';
import {
  COMMITTEES,
  ORGANIZATIONS,
  SECTORS,
  STANDARD_TARGETS,
  generatedCompany,
  type CommitteeSeed,
  type StandardTarget,
} from './catalog';
import { loadCertification, type PublishedStandard } from './certification';
import { inBatches } from './in-batches';
import { loadTraining } from './training';
import { loadOutcomes } from './outcomes';
import { loadJourneys } from './journeys';
import { importCohortHistory, planCohortHistory } from './cohort-history';
import {
  openProgress,
  type DemoProgress,
  type DemoProgressOptions,
} from './progress';
import {
  createGraphClient,
  whenProjected,
  type Actor,
  type GraphClient,
  type TokenIssuer,
} from './graph-client';

export interface DemoOptions {
  /** The gateway's GraphQL URL: everything goes through the public API. */
  gatewayUrl: string;
  issueToken: TokenIssuer;
  /** Same seed, same data. Default 2013 (the year of the national goal). */
  seed?: number;
  /** Multiplies generated companies and extra standards (benchmarks use e.g. 100). Default 1. */
  scale?: number;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
  /**
   * Where the load records its progress, so an interrupted load resumes
   * (README: Resuming). Default: none — then an existing first sector means
   * "loaded" and nothing is resumed.
   */
  progress?: DemoProgressOptions;
  /** Stops the load between two mutations (what was answered is recorded): DemoLoadInterrupted. */
  signal?: AbortSignal;
}

export interface DemoSummary {
  skipped: boolean;
  sectors: number;
  organizations: number;
  committees: number;
  standards: Record<string, number>;
  certificates: number;
  demandRequests: number;
}

const ADMIN: Actor = { sub: 'demo-admin', roles: ['admin'] };
// The seats of standards' default council (the case study's: the chair, 6
// government, 3 employer, 3 labor), each held by a different person. Not
// imported from @conecta/events: devstack depends on the demo, and events'
// tests on devstack, so that import would be a build cycle.
const COUNCIL_SEATS = [
  'CHAIR',
  'GOVERNMENT_1',
  'GOVERNMENT_2',
  'GOVERNMENT_3',
  'GOVERNMENT_4',
  'GOVERNMENT_5',
  'GOVERNMENT_6',
  'EMPLOYER_1',
  'EMPLOYER_2',
  'EMPLOYER_3',
  'LABOR_1',
  'LABOR_2',
  'LABOR_3',
] as const;
const councillor = (i: number): Actor => ({
  sub: `demo-council-${i + 1}`,
  roles: ['council'],
});
// Technical working group: two experts per installed committee.
const EXPERT_SPECIALTIES = ['Diseño curricular', 'Evaluación de competencias'];
const EXPERT_NAMES = [
  'María Fernanda López Ortega',
  'José Luis Ramírez Castillo',
  'Guadalupe Hernández Ruiz',
  'Juan Carlos Méndez Salazar',
  'Ana Sofía Treviño Garza',
  'Roberto Aguilar Domínguez',
  'Claudia Patricia Morales Vega',
];
// Generated companies per sector at scale 1.
const COMPANIES_PER_SECTOR = 3;

/**
 * Loads the national demo dataset through the gateway, so every rule and event
 * applies: sectors, organizations (real chambers, unions, universities,
 * clusters, government bodies, plus seeded companies), committees in every
 * status, standards in every lifecycle state, the certifying network with
 * people evaluated and certified, and the training brokerage (vendors,
 * agreements, demand from states and clusters, funded projects, cohorts),
 * outcomes (placements, surveys, goals) and, last, people who go the whole
 * way from a cohort to a certificate and a job (journeys.ts). Idempotent: if
 * the catalog already holds the first sector, it does nothing.
 */
export async function loadDemoData({
  gatewayUrl,
  issueToken,
  seed = 2013,
  scale = 1,
  log = () => undefined,
  progress: progressOptions,
  signal,
}: DemoOptions): Promise<DemoSummary> {
  const direct = createGraphClient(gatewayUrl, issueToken);
  const existing = (
    await direct<{ sectorByCode: { id: string } | null }>(
      ADMIN,
      `query ($c: String!) { sectorByCode(code: $c) { id } }`,
      { c: SECTORS[0]!.code },
    )
  ).sectorByCode;
  const skipped: DemoSummary = {
    skipped: true,
    sectors: 0,
    organizations: 0,
    committees: 0,
    standards: {},
    certificates: 0,
    demandRequests: 0,
  };
  if (!progressOptions) {
    if (existing) {
      log('demo data already loaded (sector 5415 exists); skipping');
      return skipped;
    }
    return load(direct);
  }
  const progress = await openProgress(
    progressOptions,
    `seed:${seed}:scale:${scale}`,
  );
  try {
    const state = await decide(progress, existing?.id, log);
    if (state === 'skip') return skipped;
    const { anchor, ...summary } = await load(progress.wrap(direct, signal));
    // Last: only a load that got here is complete.
    await progress.complete(anchor);
    return summary;
  } finally {
    await progress.close();
  }

  async function load(
    graph: GraphClient,
  ): Promise<DemoSummary & { anchor: string }> {
    return loadEverything(graph, { seed, scale, log });
  }
}

/**
 * What to do given the progress record and whether the first sector exists:
 * skip a complete load, resume a partial one, start afresh when the record
 * describes data that is gone (databases reset), and skip (with a warning)
 * data loaded without a record.
 */
async function decide(
  progress: DemoProgress,
  firstSectorId: string | undefined,
  log: (line: string) => void,
): Promise<'skip' | 'load'> {
  if (progress.completion) {
    if (firstSectorId && firstSectorId === progress.completion.anchor) {
      log('demo data already loaded (complete); skipping');
      return 'skip';
    }
    if (firstSectorId) {
      log(
        'demo data present but not the recorded load; skipping (npm run infra:reset for a fresh one)',
      );
      return 'skip';
    }
    await progress.forget();
    return 'load';
  }
  if (progress.recorded > 0) {
    if (firstSectorId) {
      log(
        `resuming an interrupted demo load (${progress.recorded} mutations already done)`,
      );
      return 'load';
    }
    // The record describes databases that were reset since.
    await progress.forget();
    return 'load';
  }
  if (firstSectorId) {
    log(
      'demo data already loaded (sector 5415 exists, loaded without a progress record); skipping',
    );
    return 'skip';
  }
  return 'load';
}

async function loadEverything(
  graph: GraphClient,
  {
    seed,
    scale,
    log,
  }: { seed: number; scale: number; log: (line: string) => void },
): Promise<DemoSummary & { anchor: string }> {
  faker.seed(seed);
  const random = () =>
    faker.number.float({ min: 0, max: 1, multipleOf: 1e-9 }) % 1;

  const sectorIds = new Map<string, string>();
  for (const sector of SECTORS) {
    const { registerSector } = await graph(
      ADMIN,
      `mutation ($i: RegisterSectorInput!) { registerSector(input: $i) { id } }`,
      { i: sector },
    );
    sectorIds.set(sector.code, registerSector.id);
  }
  log(`sectors: ${sectorIds.size}`);
  // Only a seat's appointed holder may cast its vote.
  for (const [i, seat] of COUNCIL_SEATS.entries())
    await graph(
      ADMIN,
      `mutation ($s: CouncilSeat!, $h: ID!) { appointCouncilSeat(seat: $s, holderId: $h) { seat } }`,
      { s: seat, h: councillor(i).sub },
    );
  log(`council seats appointed: ${COUNCIL_SEATS.length}`);

  const organizationIds = new Map<string, string>();
  const register = async (
    key: string,
    input: { name: string; kind: string; state: string },
  ) => {
    const { registerOrganization } = await graph(
      ADMIN,
      `mutation ($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
      {
        i: { ...input, taxId: generateCompanyRfc(random) },
      },
    );
    organizationIds.set(key, registerOrganization.id);
  };
  for (const { key, ...org } of ORGANIZATIONS) await register(key, org);
  for (const sector of SECTORS) {
    for (let n = 0; n < COMPANIES_PER_SECTOR * scale; n += 1) {
      await register(generatedCompany(sector.code, n), {
        name: `${faker.company.name()} S.A. de C.V.`,
        kind: 'COMPANY',
        state: faker.helpers.arrayElement([
          'MX-JAL',
          'MX-NLE',
          'MX-BCN',
          'MX-QUE',
          'MX-CMX',
          'MX-GUA',
          'MX-PUE',
          'MX-CHH',
          'MX-SON',
          'MX-ROO',
        ]),
      });
    }
    for (let n = 0; n < scale; n += 1) {
      await register(`provider:${sector.code}:${n}`, {
        name: `Capacitación ${faker.location.city()} ${faker.company.buzzNoun()}`,
        kind: 'TRAINING_PROVIDER',
        state: 'MX-JAL',
      });
    }
  }
  log(`organizations: ${organizationIds.size}`);

  const standardCounts: Record<string, number> = {};
  // Drafted in order, committee by committee (a draft draws the standard's
  // code, so the same seed gives the same codes), then driven to their states
  // a few at a time: the workflows are independent, and one after the other
  // they were most of this step's time.
  const drafted: {
    id: string;
    state: StandardTarget;
    committeeId: string;
    sector: string;
  }[] = [];
  let target = 0;
  for (const committee of COMMITTEES) {
    const { committeeId, agendaItemIds } = await loadCommittee(
      graph,
      committee,
      sectorIds,
      organizationIds,
    );
    // Each standard covers the agenda item of its function; a scaled-up
    // copy covers the same function at another level.
    const titles = committee.standards.map((t) => ({ title: t, covers: t }));
    for (let extra = 1; extra < scale; extra += 1)
      titles.push(
        ...committee.standards.map((t) => ({
          title: `${t} (nivel ${extra + 1})`,
          covers: t,
        })),
      );
    for (const { title, covers } of titles) {
      const state = STANDARD_TARGETS[target % STANDARD_TARGETS.length]!;
      target += 1;
      const id = await draftStandard(graph, {
        committeeId,
        sectorId: sectorIds.get(committee.sector)!,
        agendaItemId: agendaItemIds.get(covers)!,
        title,
      });
      drafted.push({ id, state, committeeId, sector: committee.sector });
      standardCounts[state] = (standardCounts[state] ?? 0) + 1;
    }
    log(
      `committee ${committee.outcome.toLowerCase()}: ${committee.name} (${titles.length} standards drafted)`,
    );
  }
  const publishedIds = await inBatches(
    drafted,
    ({ id, state }) => advance(graph, id, state),
    { log, label: 'standards driven to their states' },
  );
  const published: PublishedStandard[] = drafted.flatMap(
    ({ committeeId, sector }, i) => {
      const id = publishedIds[i];
      return id ? [{ id, committeeId, sector }] : [];
    },
  );
  log(`standards driven to their states: ${drafted.length}`);
  const { certificates, personIds, accreditedStandards, livePeople, legacy } =
    await loadCertification(graph, {
      published,
      organizationIds,
      log,
    });
  // The broker's past courses, linked to the legacy registry's people:
  // drawn now (their jobs are among outcomes' placements), imported last.
  const cohortHistory = planCohortHistory({
    legacy,
    standards: accreditedStandards,
    organizationIds,
    seed,
  });
  const { demandRequests, enrollments } = await loadTraining(graph, {
    organizationIds,
    personIds,
    scale,
    log,
  });
  await loadOutcomes(graph, {
    personIds,
    organizationIds,
    sectorIds,
    standardIds: published.map((p) => p.id),
    linked: cohortHistory.placements,
    seed,
    scale,
    log,
  });
  // Last, so every mutation before it is what it always was (a progress
  // record of an earlier load still matches).
  const journeys = await loadJourneys(graph, {
    standards: accreditedStandards,
    // The credential cohorts enrolled the first of them.
    people: livePeople.slice(enrollments),
    organizationIds,
    sectorIds,
    seed,
    log,
  });
  // After everything else, so every mutation before it is what it was.
  await importCohortHistory(graph, cohortHistory, log);
  return {
    anchor: sectorIds.get(SECTORS[0]!.code)!,
    skipped: false,
    sectors: sectorIds.size,
    organizations: organizationIds.size,
    committees: COMMITTEES.length,
    standards: standardCounts,
    certificates: certificates + journeys.certificates,
    demandRequests,
  };
}

async function loadCommittee(
  graph: GraphClient,
  seed: CommitteeSeed,
  sectorIds: Map<string, string>,
  organizationIds: Map<string, string>,
): Promise<{ committeeId: string; agendaItemIds: Map<string, string> }> {
  // Item ids of the agenda in force, by title: each standard covers one.
  const agendaItemIds = new Map<string, string>();
  const { proposeCommittee } = await graph(
    ADMIN,
    `mutation ($i: ProposeCommitteeInput!) { proposeCommittee(input: $i) { id } }`,
    {
      i: {
        name: seed.name,
        sectorId: sectorIds.get(seed.sector),
        scope: seed.scope,
        ...(seed.states ? { states: seed.states } : {}),
      },
    },
  );
  const committeeId: string = proposeCommittee.id;
  for (const member of seed.members) {
    await graph(
      ADMIN,
      `mutation ($i: AddCommitteeMemberInput!) { addCommitteeMember(input: $i) { id } }`,
      {
        i: {
          committeeId,
          organizationId: organizationIds.get(member.organization),
          side: member.side,
          positionTitle: member.positionTitle,
          decisionMakerRole: member.role,
        },
      },
    );
  }
  if (seed.outcome === 'PROPOSED') return { committeeId, agendaItemIds }; // no chair yet: not installable
  await graph(
    ADMIN,
    `mutation ($i: CommitteeMemberRefInput!) { appointCommitteeChair(input: $i) { id } }`,
    {
      i: {
        committeeId,
        organizationId: organizationIds.get(seed.members[0]!.organization),
      },
    },
  );
  for (const [n, specialty] of EXPERT_SPECIALTIES.entries())
    await graph(
      ADMIN,
      `mutation ($i: AddWorkingGroupExpertInput!) { addWorkingGroupExpert(input: $i) { id } }`,
      {
        i: {
          committeeId,
          name: EXPERT_NAMES[(seed.name.length + n) % EXPERT_NAMES.length],
          specialty: `${specialty}, ${seed.name.replace(/^Comité (Regional )?(de Gestión por Competencias )?(de )?/, '')}`,
          organizationId: organizationIds.get(seed.members[0]!.organization),
        },
      },
    );
  await graph(
    ADMIN,
    `mutation ($id: ID!) { installCommittee(id: $id) { id } }`,
    { id: committeeId },
  );
  // Two versions of the human-capital agenda: the second re-prioritizes the
  // first and adds an occupation, so earlier versions have something to show.
  const year = new Date().getFullYear();
  const functions = seed.standards.map((title, n) => ({
    kind: 'FUNCTION',
    title,
    targetYear: year + 1 + (n % 3),
  }));
  for (const items of functions.length === 0
    ? []
    : [
        functions,
        [
          ...functions.slice().reverse(),
          {
            kind: 'OCCUPATION',
            title: `Especialista en ${seed.standards[0]!.toLowerCase()}`,
            targetYear: year + 4,
            rationale:
              'Demanda creciente reportada por las empresas del comité',
          },
        ],
      ]) {
    const { publishHumanCapitalAgenda } = await graph(
      ADMIN,
      `mutation ($i: PublishHumanCapitalAgendaInput!) { publishHumanCapitalAgenda(input: $i) { version items { id title } } }`,
      { i: { committeeId, items } },
    );
    // The second version carries the functions over by title: same ids.
    for (const item of publishHumanCapitalAgenda.items as {
      id: string;
      title: string;
    }[])
      agendaItemIds.set(item.title, item.id);
  }
  if (seed.outcome === 'DISSOLVED') {
    await graph(
      ADMIN,
      `mutation ($i: DissolveCommitteeInput!) { dissolveCommittee(input: $i) { id } }`,
      {
        i: {
          committeeId,
          reason: 'Fusionado con el comité nacional del sector',
        },
      },
    );
  }
  return { committeeId, agendaItemIds };
}

function elementsFor(title: string) {
  return [
    {
      title: `Preparar el trabajo de ${title.toLowerCase()}`,
      performanceCriteria: [
        'Verifica que los insumos y herramientas cumplen la especificación',
        'Registra el plan de trabajo en el formato establecido',
      ],
      products: ['Plan de trabajo requisitado'],
      knowledge: [
        'Normas de seguridad aplicables',
        'Procedimientos de la organización',
      ],
      attitudes: ['Orden', 'Responsabilidad'],
    },
    {
      title: `Ejecutar ${title.toLowerCase()}`,
      performanceCriteria: [
        'Realiza la actividad conforme al procedimiento',
        'Verifica el resultado contra los criterios de calidad',
      ],
      products: ['Reporte de resultados'],
      knowledge: ['Principios técnicos de la función'],
      attitudes: ['Limpieza', 'Cooperación'],
    },
  ];
}

const STANDARD = 'id status';
const DAY_MS = 86_400_000;

/**
 * A past gazette date, the same for the same title and version on every run:
 * 2–7 years ago for a first version (so certificates of several years can be
 * imported after it), a revision at a fraction of that (later than the version
 * it supersedes). FNV-1a of the title keeps faker's sequence untouched.
 */
function pastGazetteDate(title: string, version: number): string {
  let hash = 0x811c9dc5;
  for (const char of title) {
    hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  }
  const daysAgo = Math.floor((2 * 365 + (hash % (5 * 365))) / version);
  return new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
}

/** Drafts a standard (its committee installed, with an agenda in force); answers its id. */
async function draftStandard(
  graph: GraphClient,
  {
    committeeId,
    sectorId,
    agendaItemId,
    title,
  }: {
    committeeId: string;
    sectorId: string;
    /** The item of the committee's agenda in force the standard covers. */
    agendaItemId: string;
    title: string;
  },
): Promise<string> {
  const draft = () =>
    graph(
      ADMIN,
      `mutation ($i: DraftStandardInput!) { draftStandard(input: $i) { ${STANDARD} } }`,
      {
        i: {
          committeeId,
          sectorId,
          agendaItemId,
          title,
          purpose: `Servir como referente para la evaluación y certificación de las personas que se desempeñan en ${title.toLowerCase()}.`,
          level: 2 + (title.length % 3),
          elements: elementsFor(title),
          validity: { certificateValidityYears: 3, reviewIntervalYears: 5 },
        },
      },
    );
  // The committee's installation and its agenda reach standards through Kafka.
  const { draftStandard } = await whenProjected(draft, [
    'COMMITTEE_NOT_INSTALLED',
    'NO_AGENDA_IN_FORCE',
  ]);
  return draftStandard.id as string;
}

/**
 * Drives a drafted standard to `state` through the real workflow. Returns
 * the id of the version left PUBLISHED, if any.
 */
async function advance(
  graph: GraphClient,
  id: string,
  state: StandardTarget,
): Promise<string | undefined> {
  const step = (
    mutation: string,
    as: Actor = ADMIN,
    variables: Record<string, unknown> = {},
  ) =>
    graph(
      as,
      `mutation ($id: ID!${Object.keys(variables)
        .map((k) => `, $${k}: ${VARIABLE_TYPES[k]}`)
        .join('')}) { ${mutation} { ${STANDARD} } }`,
      { id, ...variables },
    );
  if (state === 'DRAFT') return undefined;
  await step('submitStandard(id: $id)');
  if (state === 'SUBMITTED') return undefined;
  await step('startReview(id: $id)');
  if (state === 'IN_REVIEW') return undefined;
  if (state === 'RETURNED') {
    await step('returnStandard(id: $id, findings: $findings)', ADMIN, {
      findings: [
        {
          message:
            'Los criterios de desempeño del elemento 2 no son observables',
          elementIndex: 1,
        },
      ],
    });
    return undefined;
  }
  await step('sendToCouncil(id: $id)');
  if (state === 'IN_COUNCIL_VOTE') return undefined;
  // Every seat votes; the last vote closes it. Rejected: more against than in favour.
  const inFavour = state === 'REJECTED' ? 4 : 9;
  for (const [i, seat] of COUNCIL_SEATS.entries()) {
    await step(
      'castCouncilVote(id: $id, seat: $seat, vote: $vote)',
      councillor(i),
      { seat, vote: i < inFavour ? 'IN_FAVOR' : 'AGAINST' },
    );
  }
  if (state === 'APPROVED' || state === 'REJECTED') return undefined;
  const { standard } = await graph(
    ADMIN,
    `query ($id: ID!) { standard(id: $id) { title version } }`,
    { id },
  );
  const gazetteDate = pastGazetteDate(standard.title, standard.version);
  await step('publishStandard(id: $id, input: $publication)', ADMIN, {
    publication: {
      gazetteDate,
      gazetteReference: `DOF ${gazetteDate}, Sección Tercera`,
    },
  });
  if (state === 'WITHDRAWN') {
    await step('withdrawStandard(id: $id, reason: $reason)', ADMIN, {
      reason: 'Sustituido por un estándar de mayor alcance',
    });
    return undefined;
  }
  if (state === 'SUPERSEDED') {
    const { reviseStandard } = await graph(
      ADMIN,
      `mutation ($id: ID!) { reviseStandard(id: $id) { id } }`,
      { id },
    );
    return advance(graph, reviseStandard.id, 'PUBLISHED');
  }
  return id;
}

const VARIABLE_TYPES: Record<string, string> = {
  findings: '[FindingInput!]!',
  seat: 'CouncilSeat!',
  vote: 'CouncilVoteChoice!',
  publication: 'PublishStandardInput!',
  reason: 'String!',
};
