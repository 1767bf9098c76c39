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
import { STANDARD_STATUSES } from '../../services/standards/src/domain/lifecycle';

// `npm start` interrupted while loading the demo (Ctrl-C, a crash, a failing
// step) must not leave half a demo behind a "loaded" answer: the next load
// resumes it to the same counts as a load that never stopped, and a complete
// load is then skipped. The whole system runs for real (every subgraph, the
// gateway, Kafka, MongoDB) on its own ports, databases and topics.

const prefix = `d${randomBytes(4).toString('hex')}_`;
let system: Awaited<ReturnType<typeof startSystem>>;
let mongoUri: string;

beforeAll(async () => {
  system = await startSystem(
    { ...process.env, LOG_LEVEL: 'warn' },
    // Apart from start-system.test.ts (+20000, operator ports +21000), which may
    // run beside it: gateway 27000, subgraphs 27001–27005, operators +1000.
    { portOffset: 23_000, prefix, demo: false },
  );
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

const options = (log: string[], signal?: AbortSignal) => ({
  gatewayUrl: system.gatewayUrl,
  issueToken: system.issueToken,
  log: (line: string) => log.push(line),
  progress: {
    mongoUri: mongoUriWithDatabase(mongoUri, `${prefix}conecta_demo`),
  },
  signal,
});

async function query(q: string) {
  const response = await fetch(system.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${system.token}`,
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

it('resumes an interrupted demo load to the counts of an uninterrupted one, then skips it', async () => {
  // 1. Interrupted part-way: Ctrl-C once the first committee's standards are in.
  const interrupt = new AbortController();
  const firstLog: string[] = [];
  const firstRun = loadDemoData({
    ...options(firstLog, interrupt.signal),
    log: (line) => {
      firstLog.push(line);
      if (line.startsWith('committee ')) interrupt.abort();
    },
  });
  await expect(firstRun).rejects.toBeInstanceOf(DemoLoadInterrupted);
  const partial = await counts();
  expect(partial.sectors).toBeGreaterThan(0);
  expect(partial.certificates).toBe(0);

  // 2. The next load resumes it instead of skipping half a demo.
  const secondLog: string[] = [];
  const resumed = await loadDemoData(options(secondLog));
  expect(secondLog.some((l) => l.startsWith('resuming'))).toBe(true);
  expect(resumed.skipped).toBe(false);
  expect(resumed.certificates).toBeGreaterThan(0);
  // Nothing sent twice: what the graph holds is exactly what the load reports.
  expect(await counts()).toEqual(expected(resumed));

  // 3. A complete load is skipped.
  const thirdLog: string[] = [];
  expect((await loadDemoData(options(thirdLog))).skipped).toBe(true);
  expect(thirdLog).toContain('demo data already loaded (complete); skipping');
}, 1_800_000);
