import pLimit from 'p-limit';
import { v7 as uuidv7 } from 'uuid';
import { placementMother } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

/*
 * The differencing attack of issue 12 (finding 3), run against the real
 * service: placements recorded through the API, published to Kafka and counted
 * by the consumer into FerretDB, then every whole-period window of six months,
 * every state and sector filter, and totals against their parts, asked as an
 * anonymous caller. An attacker subtracts every answer from every answer whose
 * population contains it (nested windows, a state inside the nation, the parts
 * of a total) and looks for a count from 1 to 4 or one person's salary change.
 */

let running: RunningOutcomes;
const client = () => running.client;

beforeAll(async () => {
  running = await startOutcomes('outcomes-differencing');
});

afterAll(() => running?.stop());

const THRESHOLD = 5;
/** Requests in flight at once: a few, the machine has 2 cores. */
const CONCURRENT_REQUESTS = 4;
const JAL = 'MX-JAL';
const NLE = 'MX-NLE';
const IT = '01900000-0000-7000-8000-0000000005e1';
const MANUFACTURING = '01900000-0000-7000-8000-0000000005e2';
const MONTHS = ['01', '02', '03', '04', '05', '06'];
const LAST_DAY: Record<string, string> = {
  '01': '31',
  '02': '28',
  '03': '31',
  '04': '30',
  '05': '31',
  '06': '30',
};

/** Placements per month, state and sector: several cells under the threshold. */
const LAYOUT: Array<[month: string, state: string, sector: string, n: number]> =
  [
    ['01', JAL, IT, 6],
    ['01', NLE, MANUFACTURING, 1],
    ['02', JAL, IT, 5],
    ['02', JAL, MANUFACTURING, 2],
    ['03', JAL, MANUFACTURING, 7],
    ['03', NLE, IT, 3],
    ['04', NLE, IT, 6],
    ['04', JAL, IT, 1],
    ['05', JAL, IT, 8],
    ['06', NLE, MANUFACTURING, 4],
    ['06', JAL, MANUFACTURING, 5],
  ];

interface Recorded {
  id: string;
  month: string;
  state: string;
  sectorId: string;
  change: number;
}
const people: Recorded[] = [];

const RECORD = /* GraphQL */ `
  mutation ($input: RecordPlacementInput!) {
    recordPlacement(input: $input) {
      id
    }
  }
`;

const ASK = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    salaryUplift(filter: $filter) {
      placements {
        value
        suppressed
      }
      medianChange
      meanChange
    }
    supply(filter: $filter) {
      period
      placed {
        value
        suppressed
      }
    }
  }
`;

interface Filter {
  from: string;
  to: string;
  granularity: 'MONTH' | 'QUARTER' | 'YEAR';
  state?: string;
  sectorId?: string;
}

/** A number the service released, with the people it nominally describes. */
interface Released {
  what: string;
  population: Set<string>;
  value: number;
}

/** A salary answer: its count, mean and the people it nominally describes. */
interface SalaryAnswer {
  what: string;
  population: Set<string>;
  count: number;
  mean: number;
}

/** Every whole-month window of the six months, the quarters and the year. */
function windows(): Filter[] {
  const all: Filter[] = [];
  for (let i = 0; i < MONTHS.length; i += 1)
    for (let j = i; j < MONTHS.length; j += 1)
      all.push({
        from: `2025-${MONTHS[i]}-01`,
        to: `2025-${MONTHS[j]}-${LAST_DAY[MONTHS[j]!]}`,
        granularity: 'MONTH',
      });
  all.push(
    { from: '2025-01-01', to: '2025-03-31', granularity: 'QUARTER' },
    { from: '2025-04-01', to: '2025-06-30', granularity: 'QUARTER' },
    { from: '2025-01-01', to: '2025-06-30', granularity: 'QUARTER' },
    { from: '2025-01-01', to: '2025-12-31', granularity: 'YEAR' },
  );
  return all;
}

const SCOPES: Array<Pick<Filter, 'state' | 'sectorId'>> = [
  {},
  { state: JAL },
  { state: NLE },
  { sectorId: IT },
  { sectorId: MANUFACTURING },
];

/** The people a filter nominally covers (what the attacker assumes). */
function populationOf(
  filter: Filter,
  months: readonly string[] = monthsOf(filter),
): Set<string> {
  return new Set(
    people
      .filter(
        (p) =>
          months.includes(p.month) &&
          (!filter.state || p.state === filter.state) &&
          (!filter.sectorId || p.sectorId === filter.sectorId),
      )
      .map((p) => p.id),
  );
}

function monthsOf(filter: Filter): string[] {
  const first = Number(filter.from.slice(5, 7));
  const last = Number(filter.to.slice(5, 7));
  return MONTHS.filter((m) => Number(m) >= first && Number(m) <= last);
}

/** The months of one period label of the series (2025-03, 2025-Q2, 2025). */
function monthsOfPeriod(label: string): string[] {
  if (/^\d{4}-\d{2}$/.test(label)) return [label.slice(5)];
  const quarter = /^\d{4}-Q(\d)$/.exec(label);
  if (quarter) {
    const q = Number(quarter[1]);
    return MONTHS.filter((m) => Math.ceil(Number(m) / 3) === q);
  }
  return MONTHS;
}

const isSubset = (a: Set<string>, b: Set<string>) =>
  a.size <= b.size && [...a].every((id) => b.has(id));

const describeFilter = (f: Filter) =>
  `${f.granularity} ${f.from}..${f.to}${f.state ? ` ${f.state}` : ''}${
    f.sectorId === IT ? ' IT' : f.sectorId ? ' manufacturing' : ''
  }`;

describe('differencing attack on suppressed analytics', () => {
  it('records the placements through the API and counts them from their events', async () => {
    const placements = LAYOUT.flatMap(([month, state, sectorId, count]) =>
      Array.from({ length: count }, (_, k) => ({ month, state, sectorId, k })),
    );
    // Independent writes: a few at a time.
    const limit = pLimit(CONCURRENT_REQUESTS);
    await Promise.all(
      placements.map(({ month, state, sectorId, k }, i) =>
        limit(async () => {
          const n = i + 1;
          // Realistic, uneven monthly salaries in centavos (never round figures).
          const before = 900_000 + n * 13_579;
          const change = 250_000 + ((n * 7_919) % 600_000) + 37;
          const { recordPlacement } = await client().ok(
            RECORD,
            {
              input: placementMother.developer({
                state,
                sectorId,
                employerId: uuidv7(),
                startDate: `2025-${month}-${String(1 + k).padStart(2, '0')}`,
                salaryBefore: before,
                salaryAfter: before + change,
              }),
            },
            admin,
          );
          people.push({
            id: recordPlacement.id,
            month,
            state,
            sectorId,
            change,
          });
        }),
      ),
    );
    await running.caughtUp();
    const { salaryUplift } = await client().ok(
      ASK,
      { filter: { from: '2025-01-01', to: '2025-12-31', granularity: 'YEAR' } },
      admin,
    );
    expect(salaryUplift.placements.value).toBe(people.length);
  });

  it('finds no count from 1 to 4 and no salary by subtracting answers of overlapping filters', async () => {
    const counts: Released[] = [];
    const salaries: SalaryAnswer[] = [];
    const findings: string[] = [];

    const filters: Filter[] = windows().flatMap((window) =>
      SCOPES.map((scope) => ({ ...window, ...scope })),
    );
    // The questions are independent reads: asked a few at a time, their
    // answers examined in order.
    const limit = pLimit(CONCURRENT_REQUESTS);
    const answers = await Promise.all(
      filters.map((filter) =>
        limit(() => client().ok(ASK, { filter }, anonymous)),
      ),
    );
    for (const [i, filter] of filters.entries()) {
      const what = describeFilter(filter);
      const population = populationOf(filter);
      const answer = answers[i]!;
      // (The funnel no longer totals placements: it follows a cohort of
      // trainees, none here; its cells are protected by the same rules.)
      const { salaryUplift, supply } = answer;
      if (salaryUplift.placements.value !== null)
        counts.push({
          what: `salaryUplift ${what}`,
          population,
          value: salaryUplift.placements.value,
        });
      if (
        salaryUplift.placements.value !== null &&
        salaryUplift.meanChange !== null
      )
        salaries.push({
          what,
          population,
          count: salaryUplift.placements.value,
          mean: salaryUplift.meanChange,
        });
      // Totals against their parts: the total minus the periods shown.
      let shownParts = 0;
      const hidden = new Set<string>();
      for (const point of supply) {
        const cell = populationOf(filter, monthsOfPeriod(point.period));
        if (point.placed.value === null) {
          cell.forEach((id) => hidden.add(id));
          continue;
        }
        shownParts += point.placed.value;
        counts.push({
          what: `supply ${point.period} ${what}`,
          population: cell,
          value: point.placed.value,
        });
      }
      if (salaryUplift.placements.value !== null && hidden.size > 0) {
        const derived = salaryUplift.placements.value - shownParts;
        if (derived >= 1 && derived < THRESHOLD)
          findings.push(
            `salaryUplift − shown periods (${what}) = ${derived} (really ${hidden.size})`,
          );
      }
    }

    // Nested populations: the difference is the count of the people between them.
    for (const big of counts)
      for (const small of counts) {
        if (big === small || !isSubset(small.population, big.population))
          continue;
        const derived = big.value - small.value;
        const really = big.population.size - small.population.size;
        if (derived >= 1 && derived < THRESHOLD)
          findings.push(
            `${big.what} − ${small.what} = ${derived} (really ${really})`,
          );
      }

    // Salaries: where two populations differ by one person, count × mean of
    // the larger minus that of the smaller is that person's salary change.
    const changes = new Map(people.map((p) => [p.id, p.change]));
    let onePersonPairs = 0;
    for (const big of salaries)
      for (const small of salaries) {
        if (
          big.population.size !== small.population.size + 1 ||
          !isSubset(small.population, big.population)
        )
          continue;
        onePersonPairs += 1;
        const [person] = [...big.population].filter(
          (id) => !small.population.has(id),
        );
        const derived = big.count * big.mean - small.count * small.mean;
        const actual = changes.get(person!)!;
        // Within one peso of the truth is a recovered salary.
        if (Math.abs(derived - actual) < 100)
          findings.push(
            `salary of one person from ${big.what} − ${small.what}: ${Math.round(derived)} (really ${actual})`,
          );
      }

    // The attack had material: overlapping answers were compared.
    expect(counts.length).toBeGreaterThan(200);
    expect(salaries.length).toBeGreaterThan(20);
    expect(onePersonPairs).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  });

  it('answers only whole calendar periods: a span not aligned to its granularity is BAD_USER_INPUT naming the field', async () => {
    const misaligned: Array<[Filter, string]> = [
      [{ from: '2025-01-15', to: '2025-03-31', granularity: 'MONTH' }, 'from'],
      [{ from: '2025-01-01', to: '2025-03-30', granularity: 'MONTH' }, 'to'],
      [
        { from: '2025-02-01', to: '2025-06-30', granularity: 'QUARTER' },
        'from',
      ],
      [{ from: '2025-01-01', to: '2025-11-30', granularity: 'YEAR' }, 'to'],
    ];
    for (const [filter, field] of misaligned) {
      const response = await client().request(ASK, { filter }, anonymous);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: `filter.${field}`,
      });
    }
  });
});
