import { fakerES_MX as faker } from '@faker-js/faker';
import { whenProjected, type Actor, type GraphClient } from './graph-client';

const BROKER: Actor = { sub: 'demo-broker', roles: ['broker'] };
const ADMIN: Actor = { sub: 'demo-admin', roles: ['admin'] };
const DAY_MS = 86_400_000;
const date = (daysFromNow: number) =>
  new Date(Date.now() + daysFromNow * DAY_MS).toISOString().slice(0, 10);
/** Pesos to centavos (money is integer centavos). */
const pesos = (mxn: number) => mxn * 100;

/** Global vendors' credentials with market prices (MXN). */
const CREDENTIALS = [
  {
    vendor: 'Amazon Web Services',
    name: 'AWS Certified Cloud Practitioner',
    code: 'CLF-C02',
    exam: 2_000,
    training: 8_000,
  },
  {
    vendor: 'Microsoft',
    name: 'Microsoft Certified: Azure Fundamentals',
    code: 'AZ-900',
    exam: 1_900,
    training: 6_500,
  },
  {
    vendor: 'Cisco',
    name: 'Cisco Certified Network Associate',
    code: 'CCNA 200-301',
    exam: 6_000,
    training: 25_000,
  },
  {
    vendor: 'CompTIA',
    name: 'CompTIA Security+',
    code: 'SY0-701',
    exam: 7_500,
    training: 20_000,
  },
  {
    vendor: 'Oracle',
    name: 'Oracle Certified Professional: Java SE 17 Developer',
    code: '1Z0-829',
    exam: 4_500,
    training: 18_000,
  },
] as const;

/** Who asks for training: state governments and IT clusters, with where. */
const REQUESTERS = [
  { key: 'gob-jal', state: 'MX-JAL', city: 'Guadalajara' },
  { key: 'ijalti', state: 'MX-JAL', city: 'Zapopan' },
  { key: 'gob-nl', state: 'MX-NLE', city: 'Monterrey' },
  { key: 'csoftmty', state: 'MX-NLE', city: 'San Pedro Garza García' },
  { key: 'cluster-tic-bc', state: 'MX-BCN', city: 'Tijuana' },
  { key: 'se', state: 'MX-CMX', city: 'Ciudad de México' },
] as const;

/** A requester of the historical register: an organization of the catalog (by key), its state and cities. */
interface HistoryRequester {
  key: string;
  state: string;
  cities: readonly string[];
  /** Typical headcount of one request, in people (multiples of 5). */
  headcount: readonly [min: number, max: number];
}

const GOVERNMENT = [20, 150] as const;
const CLUSTER = [10, 60] as const;
const CHAMBER = [15, 80] as const;
const HISTORY_REQUESTERS = {
  gobJal: {
    key: 'gob-jal',
    state: 'MX-JAL',
    cities: ['Guadalajara', 'Zapopan', 'Tlaquepaque', 'El Salto'],
    headcount: GOVERNMENT,
  },
  gobJalCoast: {
    key: 'gob-jal',
    state: 'MX-JAL',
    cities: ['Puerto Vallarta'],
    headcount: GOVERNMENT,
  },
  ijalti: {
    key: 'ijalti',
    state: 'MX-JAL',
    cities: ['Zapopan', 'Guadalajara'],
    headcount: CLUSTER,
  },
  coparmexJal: {
    key: 'coparmex-jal',
    state: 'MX-JAL',
    cities: ['Guadalajara', 'Puerto Vallarta'],
    headcount: CHAMBER,
  },
  gobNl: {
    key: 'gob-nl',
    state: 'MX-NLE',
    cities: ['Monterrey', 'Apodaca', 'Santa Catarina', 'General Escobedo'],
    headcount: GOVERNMENT,
  },
  csoftmty: {
    key: 'csoftmty',
    state: 'MX-NLE',
    cities: ['Monterrey', 'San Pedro Garza García'],
    headcount: CLUSTER,
  },
  automotrizNl: {
    key: 'cluster-automotriz-nl',
    state: 'MX-NLE',
    cities: [
      'Apodaca',
      'Santa Catarina',
      'General Escobedo',
      'Salinas Victoria',
    ],
    headcount: CLUSTER,
  },
  ticBc: {
    key: 'cluster-tic-bc',
    state: 'MX-BCN',
    cities: ['Tijuana', 'Mexicali', 'Ensenada'],
    headcount: CLUSTER,
  },
  se: {
    key: 'se',
    state: 'MX-CMX',
    cities: ['Ciudad de México'],
    headcount: GOVERNMENT,
  },
  canieti: {
    key: 'canieti',
    state: 'MX-CMX',
    cities: ['Ciudad de México'],
    headcount: CHAMBER,
  },
  canacintra: {
    key: 'canacintra',
    state: 'MX-CMX',
    cities: ['Ciudad de México'],
    headcount: CHAMBER,
  },
  aeroQro: {
    key: 'aerocluster-qro',
    state: 'MX-QUE',
    cities: ['Querétaro', 'El Marqués', 'Colón'],
    headcount: CLUSTER,
  },
  canirac: {
    key: 'canirac',
    state: 'MX-ROO',
    cities: ['Cancún', 'Playa del Carmen', 'Tulum'],
    headcount: CHAMBER,
  },
  dif: {
    key: 'dif',
    state: 'MX-CMX',
    cities: ['Ciudad de México'],
    headcount: GOVERNMENT,
  },
} satisfies Record<string, HistoryRequester>;
const R = HISTORY_REQUESTERS;

/** When training demand is filed (index 0 = January): fiscal-year budgets in Q1, a second wave after summer, a quiet December. */
const FILING_SEASON = [
  1.35, 1.4, 1.25, 1.0, 0.9, 0.8, 0.7, 1.05, 1.2, 1.05, 0.8, 0.5,
] as const;
/** Hotels train before the spring-break and winter high seasons. */
const HOTEL_SEASON = [
  0.9, 0.8, 0.9, 1.2, 1.3, 1.1, 0.8, 0.8, 1.0, 1.3, 1.2, 0.7,
] as const;

/**
 * Lines of historical demand: who asked, for what (vendor credentials by
 * code, standards by sector code), how many requests a month at scale 1 at
 * the start of the window, and the yearly growth. IT and electronics grow
 * fast (nearshoring, cloud), manufacturing barely, hospitality follows the
 * tourist seasons.
 */
const HISTORY_LINES: readonly {
  requesters: readonly HistoryRequester[];
  credentials?: readonly string[];
  sectors?: readonly string[];
  perMonth: number;
  yearlyGrowth: number;
  season: readonly number[];
  /** How hard the 2020 pandemic hit filing (1 = not at all). */
  pandemic: number;
}[] = [
  {
    // Cloud: the fastest-growing ask of IT clusters and state programs.
    requesters: [
      R.ijalti,
      R.csoftmty,
      R.ticBc,
      R.gobJal,
      R.gobNl,
      R.canieti,
      R.se,
    ],
    credentials: ['CLF-C02', 'AZ-900'],
    perMonth: 1.0,
    yearlyGrowth: 0.35,
    season: FILING_SEASON,
    pandemic: 0.8,
  },
  {
    requesters: [R.canieti, R.ticBc, R.gobNl, R.ijalti, R.se],
    credentials: ['CCNA 200-301', 'SY0-701'],
    perMonth: 0.8,
    yearlyGrowth: 0.15,
    season: FILING_SEASON,
    pandemic: 0.7,
  },
  {
    // Software development: Java developers and the sector's standards.
    requesters: [R.ijalti, R.csoftmty, R.ticBc, R.gobJal, R.gobNl, R.se],
    credentials: ['1Z0-829'],
    sectors: ['5415'],
    perMonth: 1.4,
    yearlyGrowth: 0.22,
    season: FILING_SEASON,
    pandemic: 0.7,
  },
  {
    // Electronics: Guadalajara's and Tijuana's assembly plants.
    requesters: [R.ticBc, R.gobJal, R.ijalti, R.canieti, R.gobNl],
    sectors: ['3344'],
    perMonth: 1.0,
    yearlyGrowth: 0.18,
    season: FILING_SEASON,
    pandemic: 0.5,
  },
  {
    requesters: [R.automotrizNl, R.gobNl, R.gobJal, R.canacintra],
    sectors: ['3361'],
    perMonth: 1.4,
    yearlyGrowth: 0.03,
    season: FILING_SEASON,
    pandemic: 0.4,
  },
  {
    requesters: [R.aeroQro, R.ticBc, R.gobNl],
    sectors: ['3364'],
    perMonth: 0.6,
    yearlyGrowth: 0.08,
    season: FILING_SEASON,
    pandemic: 0.4,
  },
  {
    requesters: [R.canirac, R.gobJalCoast, R.coparmexJal],
    sectors: ['7211'],
    perMonth: 0.8,
    yearlyGrowth: 0.03,
    season: HOTEL_SEASON,
    pandemic: 0.15,
  },
  {
    requesters: [R.dif, R.se],
    sectors: ['6241', '9312'],
    perMonth: 0.4,
    yearlyGrowth: 0,
    season: FILING_SEASON,
    pandemic: 1,
  },
];

/** Why historical requests were cancelled, as the register puts it. */
const CANCELLATION_REASONS = [
  'Recorte presupuestal del programa estatal',
  'La empresa pospuso las contrataciones',
  'No se integró el grupo mínimo de participantes',
  'Se atendió con recursos propios de la empresa',
  'Cambio de prioridades del clúster',
] as const;
const PANDEMIC_REASON = 'Suspendida por la contingencia sanitaria (COVID-19)';
/** Months of the 2020 lockdowns (UTC, [from, to)). */
const PANDEMIC = [Date.UTC(2020, 3, 1), Date.UTC(2021, 0, 1)] as const;
/** Years of history (from this many years ago to last month). */
const HISTORY_YEARS = 6;
/** importDemandHistory takes at most 500 records per call. */
const HISTORY_BATCH = 500;

/** Universities that host cohorts, and where. */
const VENUES = [
  { key: 'udg', state: 'MX-JAL', city: 'Guadalajara' },
  { key: 'uanl', state: 'MX-NLE', city: 'San Nicolás de los Garza' },
  { key: 'uabc', state: 'MX-BCN', city: 'Tijuana' },
  { key: 'unam', state: 'MX-CMX', city: 'Ciudad de México' },
] as const;

/**
 * The training brokerage of the demo: vendor credentials, agreements negotiated
 * with training providers (commonly 50–70% off), demand from state governments
 * and clusters, projects co-funded by a public fund, cohorts at universities,
 * and people enrolled; then the broker's register of earlier years imported as
 * closed historical demand (about 800 requests at scale 1, times `scale`), so
 * demand trends span six years.
 */
export async function loadTraining(
  graph: GraphClient,
  {
    organizationIds,
    personIds,
    scale,
    log,
  }: {
    organizationIds: Map<string, string>;
    personIds: string[];
    scale: number;
    log: (line: string) => void;
  },
): Promise<{
  demandRequests: number;
  historicalDemandRequests: number;
  projects: number;
  enrollments: number;
}> {
  const providers = [...organizationIds.entries()]
    .filter(([key]) => key.startsWith('provider:'))
    .map(([, id]) => id);
  let demandRequests = 0;
  let projects = 0;
  let enrollments = 0;
  let nextPerson = 0;
  const credentialIds = new Map<string, string>();
  /** Demand requests drawn so far: requester, credential, headcount, day. */
  const requested = new Set<string>();
  for (const [c, credential] of CREDENTIALS.entries()) {
    const { registerVendorCredential } = await graph(
      ADMIN,
      `mutation ($i: RegisterVendorCredentialInput!) { registerVendorCredential(input: $i) { id } }`,
      {
        i: {
          vendor: credential.vendor,
          name: credential.name,
          code: credential.code,
          examMarketPrice: pesos(credential.exam),
          trainingMarketPrice: pesos(credential.training),
        },
      },
    );
    const credentialId: string = registerVendorCredential.id;
    credentialIds.set(credential.code, credentialId);
    const target = { credentialId };
    // Drawn once, outside the retried attempt: a retry must not shift the
    // seeded sequence, or a resumed load would ask for other data.
    const discountBps = faker.number.int({ min: 50, max: 70 }) * 100;
    const extraTrainingHours = faker.number.int({ min: 8, max: 40 });
    // The provider's registration reaches training through Kafka.
    const { signAgreement } = await whenProjected(
      () =>
        graph(
          BROKER,
          `mutation ($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`,
          {
            i: {
              providerId: providers[c % providers.length],
              target,
              discountBps,
              extraTrainingHours,
              examVouchersPerParticipant: 1,
              validFrom: date(0),
              validUntil: date(365),
              minCohortSize: 10,
              states: REQUESTERS.map((r) => r.state).filter(
                (s, i, all) => all.indexOf(s) === i,
              ),
              online: true,
            },
          },
        ),
      ['ORGANIZATION_NOT_FOUND'],
    );
    const demandIds: string[] = [];
    for (let r = 0; r < 2 * scale; r += 1) {
      const requester = REQUESTERS[(c + r) % REQUESTERS.length]!;
      const headcount = faker.number.int({ min: 2, max: 12 }) * 10;
      let neededInDays = faker.number.int({ min: 120, max: 360 });
      // One organization asks once for the same training, place, size and
      // day (training refuses the same live request twice): a draw that
      // repeats one is needed a day later.
      while (
        requested.has(`${requester.key}|${c}|${headcount}|${neededInDays}`)
      )
        neededInDays += 1;
      requested.add(`${requester.key}|${c}|${headcount}|${neededInDays}`);
      const { requestTraining } = await whenProjected(
        () =>
          graph(
            BROKER,
            `mutation ($i: RequestTrainingInput!) { requestTraining(input: $i) { id } }`,
            {
              i: {
                requesterId: organizationIds.get(requester.key),
                state: requester.state,
                city: requester.city,
                target,
                headcount,
                neededBy: date(neededInDays),
              },
            },
          ),
        ['ORGANIZATION_NOT_FOUND'],
      );
      demandIds.push(requestTraining.id);
      demandRequests += 1;
    }
    // The first request of each credential stays OPEN; the rest become a funded project.
    const { draftTrainingProject } = await graph(
      BROKER,
      `mutation ($i: DraftTrainingProjectInput!) { draftTrainingProject(input: $i) { id } }`,
      {
        i: {
          name: `Certificación ${credential.name} ${new Date().getUTCFullYear()}`,
          fundName:
            'Fondo Sectorial para la Innovación y la Formación de Capital Humano',
          agreementId: signAgreement.id,
          demandRequestIds: demandIds.slice(1),
          requestedFundShareBps: 5_000,
        },
      },
    );
    const projectId: string = draftTrainingProject.id;
    await graph(
      BROKER,
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      { id: projectId },
    );
    await graph(
      ADMIN,
      `mutation ($i: ApproveTrainingProjectInput!) { approveTrainingProject(input: $i) { id } }`,
      { i: { id: projectId, approvedFundShareBps: 5_000 } },
    );
    projects += 1;

    const venue = VENUES[c % VENUES.length]!;
    const { scheduleCohort } = await graph(
      BROKER,
      `mutation ($i: ScheduleCohortInput!) { scheduleCohort(input: $i) { id } }`,
      {
        i: {
          agreementId: signAgreement.id,
          projectId,
          venueId: organizationIds.get(venue.key),
          state: venue.state,
          city: venue.city,
          mode: 'HYBRID',
          startsOn: date(14),
          endsOn: date(56),
          capacity: 25,
        },
      },
    );
    // People registered in certification reach training through Kafka.
    for (let e = 0; e < 12 && nextPerson < personIds.length; e += 1) {
      const personId = personIds[nextPerson++]!;
      await whenProjected(
        () =>
          graph(
            BROKER,
            `mutation ($i: EnrollInput!) { enroll(input: $i) { id } }`,
            { i: { cohortId: scheduleCohort.id, personId } },
          ),
        ['PERSON_NOT_FOUND'],
      );
      enrollments += 1;
    }
  }
  log(
    `training: ${CREDENTIALS.length} vendor credentials, ${demandRequests} demand requests, ${projects} funded projects, ${enrollments} enrollments`,
  );
  const history = historicalDemand({
    now: new Date(),
    organizationIds,
    credentialIds,
    standards: await publishedStandards(graph),
    scale,
  });
  const historicalDemandRequests = await importHistory(graph, history, log);
  log(
    `training history: ${historicalDemandRequests} historical demand requests imported (${history.length} in the register)`,
  );
  return { demandRequests, historicalDemandRequests, projects, enrollments };
}

/** One record of the broker's legacy demand register (HistoricalDemandRecordInput). */
interface HistoryRecord {
  reference: string;
  requesterId: string;
  state: string;
  city: string;
  target: { standardId: string } | { credentialId: string };
  headcount: number;
  requestedAt: string;
  neededBy: string;
  status: 'FULFILLED' | 'CANCELLED';
  closedAt?: string;
  cancellationReason?: string;
}

/**
 * The broker's register of demand before Conecta: from {@link HISTORY_YEARS}
 * years ago to last month, month by month, each line's requests growing
 * yearly and following its season (counts rounded at random, so the
 * expected volume holds), about 800 records at scale 1. Closed: most were
 * fulfilled by their needed-by date, some cancelled on the way (more in the
 * 2020 lockdowns). Deterministic from faker's seed.
 */
export function historicalDemand({
  now,
  organizationIds,
  credentialIds,
  standards,
  scale,
}: {
  now: Date;
  organizationIds: Map<string, string>;
  /** Vendor credential ids by code. */
  credentialIds: Map<string, string>;
  /** Published standards with their sector code. */
  standards: readonly { id: string; sector: string }[];
  scale: number;
}): HistoryRecord[] {
  const yesterday = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate() - 1,
  );
  const firstMonth = Date.UTC(
    now.getUTCFullYear() - HISTORY_YEARS,
    now.getUTCMonth(),
  );
  const records: HistoryRecord[] = [];
  for (let m = 0; m < HISTORY_YEARS * 12; m += 1) {
    const month = new Date(firstMonth);
    month.setUTCMonth(month.getUTCMonth() + m);
    const year = month.getUTCFullYear();
    const inPandemic =
      month.getTime() >= PANDEMIC[0] && month.getTime() < PANDEMIC[1];
    for (const line of HISTORY_LINES) {
      const requesters = line.requesters.filter((r) =>
        organizationIds.has(r.key),
      );
      const targets = [
        ...(line.credentials ?? []).flatMap((code) => {
          const id = credentialIds.get(code);
          return id ? [{ credentialId: id }] : [];
        }),
        ...standards
          .filter((s) => line.sectors?.includes(s.sector))
          .map((s) => ({ standardId: s.id })),
      ];
      if (requesters.length === 0 || targets.length === 0) continue;
      const expected =
        line.perMonth *
        scale *
        (1 + line.yearlyGrowth) ** (m / 12) *
        line.season[month.getUTCMonth()]! *
        (inPandemic ? line.pandemic : 1);
      const count = Math.floor(expected + faker.number.float());
      for (let n = 0; n < count; n += 1) {
        const requester = faker.helpers.arrayElement(requesters);
        // Filed on a working afternoon in Mexico (UTC−6): 09:00–17:59 local.
        const requestedAt = Date.UTC(
          year,
          month.getUTCMonth(),
          faker.number.int({ min: 1, max: 25 }),
          faker.number.int({ min: 15, max: 23 }),
          faker.number.int({ min: 0, max: 59 }),
        );
        // Needed in 1½–7 months; the most recent ones are closed by yesterday.
        const neededBy = Math.min(
          requestedAt + faker.number.int({ min: 45, max: 210 }) * DAY_MS,
          yesterday,
        );
        const cancelled = faker.number.float() < (inPandemic ? 0.45 : 0.16);
        const [min, max] = requester.headcount;
        records.push({
          reference: '', // numbered below, in filing order
          requesterId: organizationIds.get(requester.key)!,
          state: requester.state,
          city: faker.helpers.arrayElement(requester.cities),
          target: faker.helpers.arrayElement(targets),
          headcount: faker.number.int({ min: min / 5, max: max / 5 }) * 5,
          requestedAt: new Date(requestedAt).toISOString(),
          neededBy: new Date(neededBy).toISOString().slice(0, 10),
          status: cancelled ? 'CANCELLED' : 'FULFILLED',
          ...(cancelled && {
            // Called off somewhere between the request and its deadline.
            closedAt: new Date(
              requestedAt + faker.number.float() * (neededBy - requestedAt),
            ).toISOString(),
            cancellationReason: inPandemic
              ? PANDEMIC_REASON
              : faker.helpers.arrayElement(CANCELLATION_REASONS),
          }),
        });
      }
    }
  }
  // The register numbers its records per year, in filing order.
  const sequence = new Map<string, number>();
  return records
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
    .map((record) => {
      const year = record.requestedAt.slice(0, 4);
      const n = (sequence.get(year) ?? 0) + 1;
      sequence.set(year, n);
      return {
        ...record,
        reference: `RD-${year}-${String(n).padStart(5, '0')}`,
      };
    });
}

interface StandardPage {
  nodes: { id: string; sector: { code: string } }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Every PUBLISHED standard with its sector code, through the graph (standards + committees). */
async function publishedStandards(
  graph: GraphClient,
): Promise<{ id: string; sector: string }[]> {
  const found: { id: string; sector: string }[] = [];
  let after: string | null = null;
  do {
    const { standards }: { standards: StandardPage } = await graph(
      ADMIN,
      `query ($after: String) { standards(filter: { status: PUBLISHED }, first: 100, after: $after) { nodes { id sector { code } } pageInfo { endCursor hasNextPage } } }`,
      { after },
    );
    for (const node of standards.nodes)
      found.push({ id: node.id, sector: node.sector.code });
    after = standards.pageInfo.hasNextPage
      ? standards.pageInfo.endCursor
      : null;
  } while (after);
  return found;
}

/**
 * Imports the broker's legacy register through the gateway as the admin
 * (`importDemandHistory`), in batches of at most 500, one progress line per
 * batch. Idempotent: a reference imported before is skipped.
 *
 * @returns how many requests were imported
 */
async function importHistory(
  graph: GraphClient,
  records: readonly HistoryRecord[],
  log: (line: string) => void,
): Promise<number> {
  if (records.length === 0) return 0;
  const source = `Registro de demanda ${records[0]!.requestedAt.slice(0, 4)}–${records.at(-1)!.requestedAt.slice(0, 4)}`;
  const batches = Math.ceil(records.length / HISTORY_BATCH);
  let imported = 0;
  for (let b = 0; b < batches; b += 1) {
    const batch = records.slice(b * HISTORY_BATCH, (b + 1) * HISTORY_BATCH);
    const startedAt = Date.now();
    // Requesters and standards reach training's projections through Kafka.
    const { importDemandHistory } = await whenProjected(
      () =>
        graph(
          ADMIN,
          `mutation ($i: ImportDemandHistoryInput!) { importDemandHistory(input: $i) { importedCount skippedCount } }`,
          { i: { source, records: batch } },
        ),
      ['ORGANIZATION_NOT_FOUND', 'STANDARD_NOT_FOUND'],
    );
    imported += importDemandHistory.importedCount;
    log(
      `training history: batch ${b + 1}/${batches} of "${source}": ${importDemandHistory.importedCount} imported, ${importDemandHistory.skippedCount} skipped (${batch[0]!.requestedAt.slice(0, 7)} to ${batch.at(-1)!.requestedAt.slice(0, 7)}, ${Date.now() - startedAt} ms)`,
    );
  }
  return imported;
}
