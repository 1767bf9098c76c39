import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  DemoLoadInterrupted,
  loadDemoData,
  type DemoSummary,
} from '@conecta/demo';
import {
  ensureInfra,
  mongoUriWithDatabase,
  startSystem,
} from '@conecta/devstack';
import { eventually } from '@conecta/test-kit';
import { STANDARD_STATUSES } from '../../services/standards/src/domain/lifecycle';

// `npm start` end to end, as a user meets it: devstack's startSystem runs every
// built subgraph and the gateway as real processes (Kafka and MongoDB for
// real) and loads the national demo through the gateway. The user presses
// Ctrl-C in the middle of the load, runs `npm start` again, and gets the whole
// demo, nothing sent twice; a third start skips the complete load. One demo
// load in all, since it is the most expensive thing the suite does. Ports are
// shifted and databases/topics prefixed, so a developer's own `npm start` and
// data are untouched.

const PORT_OFFSET = 20_000;
const prefix = `t${randomBytes(4).toString('hex')}_`;
const DEMO = { seed: 2013, scale: 1 };
let system: Awaited<ReturnType<typeof startSystem>> | undefined;
let mongoUri: string;

const start = (demo: typeof DEMO | false) =>
  startSystem(
    { ...process.env, LOG_LEVEL: 'warn' },
    { portOffset: PORT_OFFSET, prefix, demo },
  );

beforeAll(async () => {
  mongoUri = (await ensureInfra({ env: process.env })).mongoUri;
}, 300_000);

afterAll(async () => {
  await system?.stop();
  if (!mongoUri) return;
  const client = await MongoClient.connect(mongoUri);
  try {
    const { databases } = await client.db().admin().listDatabases();
    for (const { name } of databases)
      if (name.startsWith(prefix)) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}, 120_000);

async function query(q: string) {
  const response = await fetch(system!.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${system!.token}`,
    },
    body: JSON.stringify({ query: q }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** What the graph holds, counted the way a user would. */
async function counts() {
  const { sectors } = await query('{ sectors { code committees { id } } }');
  const standards: Record<string, number> = {};
  for (const status of STANDARD_STATUSES) {
    const found = await query(
      `{ standards(filter: { status: ${status} }) { totalCount } }`,
    );
    if (found.standards.totalCount > 0)
      standards[status] = found.standards.totalCount;
  }
  const published = await query(
    '{ standards(filter: { status: PUBLISHED }, first: 100) { nodes { certificateCount } } }',
  );
  return {
    sectors: sectors.length,
    committees: new Set(
      sectors.flatMap((s: { committees: { id: string }[] }) =>
        s.committees.map((c) => c.id),
      ),
    ).size,
    standards,
    certificates: published.standards.nodes.reduce(
      (n: number, s: { certificateCount: number }) => n + s.certificateCount,
      0,
    ),
  };
}

/** The counts an uninterrupted load reports for itself (its summary). */
function expected(summary: DemoSummary) {
  const standards: Record<string, number> = {};
  for (const [state, n] of Object.entries(summary.standards)) {
    // The loader's targets: RETURNED is a standard back in DRAFT; a
    // SUPERSEDED target leaves the old version SUPERSEDED and a PUBLISHED revision.
    const status = state === 'RETURNED' ? 'DRAFT' : state;
    standards[status] = (standards[status] ?? 0) + n;
    if (state === 'SUPERSEDED')
      standards.PUBLISHED = (standards.PUBLISHED ?? 0) + n;
  }
  return {
    sectors: summary.sectors,
    committees: summary.committees,
    standards,
    certificates: summary.certificates,
  };
}

it('npm start: an interrupted demo load resumes on the next start to the counts of an uninterrupted one, every area is served, and a complete load is skipped', async () => {
  // 1. `npm start`, and Ctrl-C once the first committee's standards are in.
  system = await start(false);
  expect(system.gatewayUrl).toBe('http://localhost:24000/graphql');
  // The gateway's operator port: 1000 above its public one.
  expect((await fetch('http://localhost:25000/ready')).status).toBe(200);
  const progress = {
    mongoUri: mongoUriWithDatabase(mongoUri, `${prefix}conecta_demo`),
  };
  const interrupt = new AbortController();
  await expect(
    loadDemoData({
      ...DEMO,
      gatewayUrl: system.gatewayUrl,
      issueToken: system.issueToken,
      progress,
      signal: interrupt.signal,
      log: (line) => {
        if (line.startsWith('committee ')) interrupt.abort();
      },
    }),
  ).rejects.toBeInstanceOf(DemoLoadInterrupted);
  const partial = await counts();
  expect(partial.sectors).toBeGreaterThan(0);
  expect(partial.certificates).toBe(0);
  await system.stop();
  system = undefined;

  // 2. The next `npm start` resumes the load instead of skipping half a demo.
  system = await start(DEMO);
  const resumed = system.demo!;
  expect(resumed.skipped).toBe(false);
  expect(resumed.certificates).toBeGreaterThan(0);
  // Nothing sent twice: what the graph holds is exactly what the load reports.
  expect(await counts()).toEqual(expected(resumed));

  // 3. Every area is served. Committees: several per sector, in every status.
  const sectors = await query('{ sectors { code committees { status } } }');
  expect(
    new Set(
      sectors.sectors.flatMap((s: { committees: { status: string }[] }) =>
        s.committees.map((c) => c.status),
      ),
    ),
  ).toEqual(new Set(['PROPOSED', 'INSTALLED', 'DISSOLVED']));
  // Standards in every lifecycle state, as the admin sees them.
  const { standards } = await counts();
  for (const status of STANDARD_STATUSES)
    expect({ status, present: (standards[status] ?? 0) > 0 }).toEqual({
      status,
      present: true,
    });
  // Published standards have at least three accredited certifiers.
  const published = await query(
    '{ standards(filter: { status: PUBLISHED }, first: 100) { nodes { certifyingBodies { certifyingBody { id } } } } }',
  );
  expect(
    published.standards.nodes.every(
      (s: { certifyingBodies: unknown[] }) => s.certifyingBodies.length >= 3,
    ),
  ).toBe(true);
  // Several years of history: training holds the imported demand register…
  const from = `${new Date().getUTCFullYear() - 6}-01-01`;
  // Whole years: public analytics answer whole periods only.
  const to = `${new Date().getUTCFullYear()}-12-31`;
  const demand = await query(
    '{ demandRequests(filter: { status: FULFILLED }) { requestedAt } }',
  );
  expect(
    new Set(
      demand.demandRequests.map((d: { requestedAt: string }) =>
        d.requestedAt.slice(0, 4),
      ),
    ).size,
  ).toBeGreaterThanOrEqual(5);
  // …and it reaches outcomes through Kafka with the legacy certificates and
  // the placements, so universities see multi-year trends. Outcomes consumes
  // in batches (hundreds of events a second) and has the demo's backlog
  // within a minute of its last write; the bound leaves room for a busy CI.
  const yearsWith = (points: any[], count: (p: any) => number | null) =>
    points.filter((p) => (count(p) ?? 0) > 0).length;
  let seen: Record<string, number> = {};
  await eventually(
    async () => {
      const trends = await query(`{
        demandTrends(filter: { from: "${from}", to: "${to}", granularity: YEAR }) { requestedHeadcount { value } }
        supply(filter: { from: "${from}", to: "${to}", granularity: YEAR }) { certified { value } placed { value } }
      }`);
      seen = {
        demand: yearsWith(
          trends.demandTrends,
          (p) => p.requestedHeadcount.value,
        ),
        certified: yearsWith(trends.supply, (p) => p.certified.value),
        placed: yearsWith(trends.supply, (p) => p.placed.value),
      };
      return Object.values(seen).every((years) => years >= 2);
    },
    { timeoutMs: 120_000, what: 'multi-year trends in outcomes' },
  ).catch((error: Error) => {
    throw new Error(
      `${error.message}; years with data: ${JSON.stringify(seen)}`,
    );
  });

  // 4. A complete load is skipped.
  const log: string[] = [];
  const again = await loadDemoData({
    ...DEMO,
    gatewayUrl: system.gatewayUrl,
    issueToken: system.issueToken,
    progress,
    log: (line) => log.push(line),
  });
  expect(again.skipped).toBe(true);
  expect(log).toContain('demo data already loaded (complete); skipping');
}, 1_200_000);
