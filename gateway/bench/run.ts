import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import { Client as PgClient } from 'pg';
import { ensureInfra, infraStatus, startSystem } from '@conecta/devstack';
import { signIdentity } from '@conecta/service-kit';
import { eventually } from '@conecta/test-kit';
import { sideBySide } from './side-by-side';

// `npm run bench`: every built subgraph and the gateway as real processes on
// 127.0.0.1 (devstack's startSystem, ports +BENCH_PORT_OFFSET, default
// 10000, databases and topics prefixed `${BENCH_PREFIX}_`, default `bench_`), the national demo loaded once through the gateway plus
// draft standards up to LIST_STANDARDS, then for three representative
// operations (and an in-memory baseline that isolates the gateway's own
// cost): one request each to count the MongoDB commands per subgraph (the
// subgraphs' /metrics), the same for lists of 1, 10 and 100, then latency one
// request at a time and under autocannon's load, against the gateway and
// against the subgraph that owns the operation's root. Prints figures;
// asserts nothing about time.
// Below the ephemeral port range (32768–60999 on Linux), where an outgoing
// connection may hold a port at random; each operator port is +1000.
// `BENCH_PORT_OFFSET` and `BENCH_PREFIX` let a second run share the machine
// (other ports, other databases and topics).
const PORT_OFFSET = Number(process.env['BENCH_PORT_OFFSET'] ?? '10000');
const PREFIX = process.env['BENCH_PREFIX'] ?? 'bench';
if (!Number.isInteger(PORT_OFFSET) || PORT_OFFSET < 0 || PORT_OFFSET > 26_000)
  throw new Error(
    `BENCH_PORT_OFFSET must be an integer from 0 to 26000, below the ephemeral ports (got ${process.env['BENCH_PORT_OFFSET']})`,
  );
if (!/^[a-z][a-z0-9]*$/.test(PREFIX))
  throw new Error(
    `BENCH_PREFIX must be lowercase letters and digits (got ${PREFIX})`,
  );
// The demo's scales to measure at, each on a system and databases of its own
// (`BENCH_SCALES=1,10,100`; default 1). Scale 1 loads in about a minute through
// the gateway and scale N about N times longer: everything is multiplied.
const SCALES = (process.env['BENCH_SCALES'] ?? '1')
  .split(',')
  .map((s) => Number(s.trim()));
// Issue 18's side by side with stock @apollo/gateway and Hive Gateway (see
// side-by-side.ts), at the first scale: on by default, `BENCH_PEERS=0` skips
// it, `BENCH_PEERS=only` runs only it (after the demo is loaded).
const PEERS = (process.env['BENCH_PEERS'] ?? '1').trim();
if (!['0', '1', 'only'].includes(PEERS))
  throw new Error(`BENCH_PEERS must be 0, 1 or only (got ${PEERS})`);
// The peers cannot sign Conecta's identity (bound to each body, 30 s): the
// subgraphs take an unsigned request as an anonymous one (a dev flag that
// production refuses). Subgraphs inherit this process's environment.
if (PEERS !== '0') process.env['ALLOW_UNSIGNED_IDENTITY'] = 'true';
const SEED = 2013;
// The list operation asks for 100: seed drafts until there are this many.
const LIST_STANDARDS = 120;
const LIST_SIZES = [1, 10, 100] as const;
const DURATION_S = 5;
const CONNECTIONS = 10;
// Bounded even on a fast machine: at most this many requests per run.
const MAX_REQUESTS = 20_000;
// Sent before each measured run: JIT, connection pools, plan cache.
const WARMUP_REQUESTS = 10;
// Then timed one at a time: latency without queueing (what one user sees on
// an idle system), where the gateway's own cost shows best. 500, so the p99 is
// the fifth slowest: of 100, one pause of the machine decided it (a 2 ms
// cached request's p99 moved ×1.4–×6.6 between runs at the same scale).
const SERIAL_REQUESTS = 500;
// Same development secret devstack's startSystem gives every process.
const DEV_IDENTITY_SECRET = 'dev-only-identity-secret-change-me-0123456789';
const SUBGRAPH_NAMES = [
  'committees',
  'standards',
  'certification',
  'training',
  'outcomes',
] as const;
type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
// Cursor continuations of one query, not queries of their own.
const CONTINUATIONS = new Set(['getMore', 'killCursors']);

interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

interface Operation {
  name: string;
  gateway: GraphQLRequest;
  /** The same question asked of the subgraph that owns the root field. */
  direct: { subgraph: SubgraphName; request: GraphQLRequest; note: string };
}

/** A GraphQL call through the gateway: the data, typed by the caller. */
type Gql = <T = unknown>(request: GraphQLRequest) => Promise<T>;

/** One operation's figures at one scale, for the closing table. */
interface ScaleRow {
  scale: number;
  name: string;
  /** Through the response cache, or with `Cache-Control: no-cache` (every request computed). */
  via: 'cache' | 'no cache';
  serialP50: number;
  serialP99: number;
  rps: number;
  non2xx: number;
}

interface Figures {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
}

type Counts = Record<string, number>;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

const signed = (ms: number) =>
  `${ms < 0 ? '−' : '+'}${Math.abs(ms).toFixed(1)}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ]!;
}

async function load(
  url: string,
  body: GraphQLRequest,
  headers: Record<string, string>,
): Promise<Figures> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // autocannon ignores `duration` once `amount` is set: stop it at the
    // deadline ourselves, so the run is bounded in both.
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION_S,
        amount: MAX_REQUESTS,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        setupClient: (client) => {
          client.on('response', (_status: number, _bytes: number, ms: number) =>
            latencies.push(ms),
          );
        },
      },
      (err, done) => {
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve(done);
      },
    );
    const deadline = setTimeout(() => instance.stop(), DURATION_S * 1_000);
  });
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.total / (result.duration || DURATION_S)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
  };
}

/** One GraphQL request; throws on any error, so the bench never measures failures. */
async function post<T = unknown>(
  url: string,
  request: GraphQLRequest,
  headers: Record<string, string>,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !response.ok)
    throw new Error(
      `${url} answered ${response.status}: ${JSON.stringify(body.errors)}`,
    );
  return body.data as T;
}

/** Prometheus counter values of `name`, summed by the label `by`, where `where` holds. */
async function scrape(
  url: string,
  name: string,
  by: string,
  where: (labels: string) => boolean = () => true,
): Promise<Counts> {
  const text = await (await fetch(url)).text();
  const counts: Counts = {};
  for (const [, labels, value] of text.matchAll(
    new RegExp(`^${name}\\{([^}]*)\\} (\\d+)`, 'gm'),
  )) {
    const key = new RegExp(`${by}="([^"]+)"`).exec(labels!)?.[1];
    if (key && where(labels!)) counts[key] = (counts[key] ?? 0) + Number(value);
  }
  return counts;
}

function delta(before: Counts, after: Counts): Counts {
  return Object.fromEntries(
    Object.keys(after)
      .map((k) => [k, after[k]! - (before[k] ?? 0)] as const)
      .filter(([, d]) => d !== 0),
  );
}

const sum = (counts: Counts, keep: (key: string) => boolean = () => true) =>
  Object.entries(counts)
    .filter(([k]) => keep(k))
    .reduce((total, [, n]) => total + n, 0);

/** Ports as npm start assigns them: each service's package.json `conecta.port`. */
// Operator endpoints (/metrics) sit this far above each public port (service-kit and gateway default).
const OPERATOR_PORT_OFFSET = 1_000;
// Longest wait for the load's backlog before measuring anyway.
const QUIET_WAIT_MS = 15 * 60_000;

/**
 * Waits until every subgraph has relayed its outbox and every consumer has
 * committed all it reads (the demo load leaves a backlog behind), so the
 * figures measure the requests, not the catching-up. Two quiet readings
 * 6 s apart: the outbox gauge is refreshed every ~5 s.
 */
async function untilQuiet(metricsUrls: string[]): Promise<void> {
  const started = Date.now();
  const backlog = async () => {
    let total = 0;
    for (const url of metricsUrls) {
      const text = await (await fetch(url)).text();
      for (const [, value] of text.matchAll(
        /^conecta_(?:consumer_lag|outbox_pending_documents)(?:\{[^}]*\})? (\d+)/gm,
      ))
        total += Number(value);
    }
    return total;
  };
  let quiet = 0;
  let lastSaid = 0;
  while (quiet < 2) {
    const left = await backlog();
    quiet = left === 0 ? quiet + 1 : 0;
    if (left > 0 && Date.now() - lastSaid > 30_000) {
      say(
        `waiting for the relays and consumers to catch up: ${left} events and documents to go (${Math.round((Date.now() - started) / 1_000)} s)`,
      );
      lastSaid = Date.now();
    }
    if (Date.now() - started > QUIET_WAIT_MS) {
      say(
        `still ${left} events and documents behind after ${QUIET_WAIT_MS / 60_000} min: measuring anyway (figures include the catching-up)`,
      );
      return;
    }
    if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 6_000));
  }
  say(
    `relays and consumers caught up (${Math.round((Date.now() - started) / 1_000)} s)`,
  );
}

/** `http://host:port` of the operator endpoints of a process serving `graphqlUrl`. */
function operatorBase(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  return `${url.protocol}//${url.hostname}:${Number(url.port) + OPERATOR_PORT_OFFSET}`;
}

// At most this long for the subgraphs' start-up work (outcomes reads its
// people mirror in 15–20 s at scale 100).
const SETTLE_LIMIT_MS = 60_000;

/** The subgraphs whose /ready is degraded now, each with its degraded checks. */
async function degradedSubgraphs(): Promise<string[]> {
  const busy: string[] = [];
  for (const name of SUBGRAPH_NAMES) {
    const url = `http://127.0.0.1:${subgraphPort(name) + OPERATOR_PORT_OFFSET}/ready`;
    const report = (await (await fetch(url)).json()) as {
      status: string;
      degraded?: string[];
    };
    if (report.status !== 'ready')
      busy.push(`${name} (${(report.degraded ?? []).join(', ')})`);
  }
  return busy;
}

/**
 * Waits until no subgraph's /ready is degraded: work a service starts in the
 * background would otherwise be measured as the first operations' latency.
 * Says what it waits for; past SETTLE_LIMIT_MS it says so and measures anyway.
 */
async function untilSettled(): Promise<void> {
  let said = '';
  await eventually(
    async () => {
      const busy = (await degradedSubgraphs()).join('; ');
      if (busy && busy !== said)
        say(`waiting for start-up work: ${(said = busy)}`);
      return busy === '';
    },
    { timeoutMs: SETTLE_LIMIT_MS, what: 'the subgraphs to settle' },
  ).catch((error: Error) => say(`${error.message}; measuring anyway`));
}

function subgraphPort(name: SubgraphName): number {
  const manifest = JSON.parse(
    readFileSync(require.resolve(`@conecta/${name}/package.json`), 'utf8'),
  ) as { conecta: { port: number } };
  return manifest.conecta.port + PORT_OFFSET;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (SCALES.some((scale) => !Number.isInteger(scale) || scale < 1))
    throw new Error(
      `BENCH_SCALES must be positive integers, e.g. 1,10,100 (got ${SCALES.join(',')})`,
    );
  const table: ScaleRow[] = [];
  for (const scale of SCALES) table.push(...(await benchAtScale(scale)));
  summarize(table);
  const servers = (await infraStatus())
    .map((s) => `${s.name}: ${s.engine ?? s.address}`)
    .join(', ');
  say(
    `\nmachine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${servers}; load generator, gateway, subgraphs and servers all on this machine`,
  );
  say(`bench took ${Math.round((Date.now() - started) / 1_000)} s`);
}

/**
 * Per operation and scale: one-at-a-time p50 and p99 and req/s at 10
 * connections, through the gateway, and each figure against its scale-1 value
 * (the target: no figure worse than 1.5× at scale 100).
 */
function summarize(table: ScaleRow[]): void {
  say(
    `\nThrough the gateway, by scale (serial: ${SERIAL_REQUESTS} requests one at a time; req/s: ${CONNECTIONS} connections, ${DURATION_S} s)`,
  );
  say(
    `${'operation'.padEnd(44)} ${'via'.padEnd(8)} ${'scale'.padStart(5)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(6)} ${'errors'.padStart(6)}  vs scale 1 (p50, p99, req/s)`,
  );
  for (const row of table) {
    const base = table.find(
      (r) => r.scale === 1 && r.name === row.name && r.via === row.via,
    );
    const vs =
      base && row.scale !== 1
        ? `×${(row.serialP50 / base.serialP50).toFixed(2)}, ×${(row.serialP99 / base.serialP99).toFixed(2)}, ×${(row.rps / Math.max(base.rps, 1)).toFixed(2)}`
        : '';
    say(
      `${row.name.padEnd(44)} ${row.via.padEnd(8)} ${String(row.scale).padStart(5)} ${row.serialP50.toFixed(1).padStart(7)} ${row.serialP99.toFixed(1).padStart(7)} ${String(row.rps).padStart(6)} ${String(row.non2xx).padStart(6)}  ${vs}`,
    );
  }
}

/** Full reads (sequential scans) per collection of the scale's databases, with its size. */
type FullReads = Map<string, { scans: number; rows: number }>;

/**
 * On devstack's FerretDB, the sequential scans PostgreSQL counted per
 * collection: a query no index serves. devstack's PostgreSQL plans a scan only
 * where no index applies, so these are the query shapes that grow with their
 * collection. Undefined on another store (a mongod, MONGODB_URI).
 */
async function fullReads(prefix: string): Promise<FullReads | undefined> {
  const postgres = (await infraStatus()).find(
    (s) => s.name === 'postgres' && s.state === 'running',
  );
  if (!postgres) return undefined;
  const client = new PgClient({
    connectionString: `${postgres.address.replace('postgres://', 'postgres://postgres@')}/postgres`,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{
      schema: string;
      table: string;
      scans: string;
      rows: string;
    }>(
      `SELECT schemaname AS schema, relname AS table, seq_scan AS scans, n_live_tup AS rows
         FROM pg_stat_user_tables
        WHERE schemaname LIKE $1 AND relname NOT LIKE '\\_ferretdb\\_%'`,
      [`${prefix.replace(/_/g, '\\_')}%`],
    );
    // FerretDB names a collection's table `<collection>_<8 hex digits>`.
    return new Map(
      rows.map((r) => [
        `${r.schema.slice(prefix.length)}.${r.table.replace(/_[0-9a-f]{8}$/, '')}`,
        { scans: Number(r.scans), rows: Number(r.rows) },
      ]),
    );
  } finally {
    await client.end();
  }
}

function reportFullReads(
  before: FullReads | undefined,
  after: FullReads | undefined,
): void {
  if (!before || !after) {
    say("\nFull reads: not counted (the store is not devstack's FerretDB)");
    return;
  }
  const grown = [...after]
    .map(([name, { scans, rows }]) => ({
      name,
      rows,
      scans: scans - (before.get(name)?.scans ?? 0),
    }))
    .filter((r) => r.scans > 0)
    .sort((a, b) => b.scans - a.scans);
  say(
    '\nCollections read in full by the measured requests (queries no index serves; they grow with the collection):',
  );
  if (grown.length === 0) say('  none');
  for (const r of grown)
    say(
      `  ${r.name.padEnd(48)} ${String(r.scans).padStart(7)} full reads of ${r.rows} documents`,
    );
}

/** A verification code of the scale's registry, read from certification's database. */
async function someVerificationCode(prefix: string): Promise<string> {
  const { mongoUri } = await ensureInfra();
  const client = await MongoClient.connect(mongoUri);
  try {
    const certificates = client
      .db(`${prefix}conecta_certification`)
      .collection<{ verificationCode?: string }>('certificates');
    const count = await certificates.countDocuments();
    // One from the middle of the registry, not the first one written.
    const [certificate] = await certificates
      .find({ verificationCode: { $exists: true } })
      .skip(Math.floor(count / 2))
      .limit(1)
      .toArray();
    if (!certificate?.verificationCode)
      throw new Error('the demo registry has no certificate to verify');
    return certificate.verificationCode;
  } finally {
    await client.close();
  }
}

async function benchAtScale(scale: number): Promise<ScaleRow[]> {
  const started = Date.now();
  const prefix = `${PREFIX}_s${scale}_`;
  say(`\n=== scale ${scale} (databases and topics ${prefix}*) ===`);
  const system = await startSystem(
    // The bench measures throughput, not the per-IP limit; quiet request logs.
    { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '0' },
    { portOffset: PORT_OFFSET, prefix, demo: { seed: SEED, scale } },
  );
  say(
    `system and demo at scale ${scale} ready in ${Math.round((Date.now() - started) / 1_000)} s`,
  );
  try {
    const gatewayUrl = system.gatewayUrl.replace('localhost', '127.0.0.1');
    // /metrics is on each process's operator port: 1000 above its public one.
    const gatewayMetrics = `${operatorBase(gatewayUrl)}/metrics`;
    const auth = { authorization: `Bearer ${system.token}` };
    // Every request computed by the subgraphs: the response cache is skipped.
    const fresh = { ...auth, 'cache-control': 'no-cache' };
    const viaGateway: Gql = (request) => post(gatewayUrl, request, fresh);
    const subgraph = (name: SubgraphName) => {
      const base = `http://127.0.0.1:${subgraphPort(name)}`;
      return {
        graphql: `${base}/graphql`,
        metrics: `http://127.0.0.1:${subgraphPort(name) + OPERATOR_PORT_OFFSET}/metrics`,
      };
    };
    // A subgraph called directly, as the gateway calls it: the identity
    // signed for that subgraph and that body, afresh for each use (a
    // signature lives 30 s, longer than one load run).
    const directHeaders = (name: SubgraphName, request: GraphQLRequest) =>
      signIdentity(
        { subject: 'bench', roles: ['admin'], issuedAt: Date.now() },
        process.env['IDENTITY_SECRET'] || DEV_IDENTITY_SECRET,
        { audience: name, body: JSON.stringify(request) },
      );

    await untilSettled();
    await seedStandards(viaGateway);
    await describeListPage(viaGateway);
    const code = await richestPublishedStandard(viaGateway);
    const verificationCode = await someVerificationCode(prefix);
    const today = new Date().toISOString().slice(0, 10);
    const trendsFilter = {
      from: `${Number(today.slice(0, 4)) - 2}-01-01`,
      // Whole months: public analytics answer whole periods only.
      to: `${today.slice(0, 4)}-12-31`,
      granularity: 'MONTH',
      state: 'MX-JAL',
    };
    const operations: Operation[] = [
      {
        name: 'verifyCertificate (public)',
        gateway: {
          query: VERIFY_CERTIFICATE,
          variables: { code: verificationCode },
        },
        direct: {
          subgraph: 'certification',
          request: {
            query: VERIFY_CERTIFICATE_DIRECT,
            variables: { code: verificationCode },
          },
          note: 'its own fields and the standard reference',
        },
      },
      {
        // Baseline: answered from memory, so the difference is the gateway.
        name: 'baseline: qualification levels (no database)',
        gateway: { query: QUALIFICATION_LEVELS },
        direct: {
          subgraph: 'standards',
          request: { query: QUALIFICATION_LEVELS },
          note: 'the same query',
        },
      },
      {
        name: `standard ${code} + committee, certifiers, training, usage`,
        gateway: { query: STANDARD_ACROSS_SERVICES, variables: { code } },
        direct: {
          subgraph: 'standards',
          request: { query: STANDARD_DIRECT, variables: { code } },
          note: 'its own fields and the committee reference',
        },
      },
      {
        name: '100 standards + committee, certifiers',
        gateway: { query: STANDARD_LIST, variables: { n: 100 } },
        direct: {
          subgraph: 'standards',
          request: { query: STANDARD_LIST_DIRECT, variables: { n: 100 } },
          note: 'the page with committee references',
        },
      },
      {
        name: 'demand trends, Jalisco, 2+ years by month',
        gateway: { query: DEMAND_TRENDS, variables: { f: trendsFilter } },
        direct: {
          subgraph: 'outcomes',
          request: { query: DEMAND_TRENDS, variables: { f: trendsFilter } },
          note: 'the same query',
        },
      },
    ];

    await untilQuiet(SUBGRAPH_NAMES.map((name) => subgraph(name).metrics));
    if (PEERS !== '0' && scale === SCALES[0])
      await sideBySide({
        subgraphUrls: Object.fromEntries(
          SUBGRAPH_NAMES.map((name) => [name, subgraph(name).graphql]),
        ),
        prefix,
        // Beside the bench's system (its gateway at 4000 + the offset).
        ports: {
          conecta: PORT_OFFSET + 4_100,
          apollo: PORT_OFFSET + 4_200,
          hive: PORT_OFFSET + 4_300,
        },
        supergraphPath: join(__dirname, '..', '..', 'supergraph.graphql'),
        scripts: {
          conecta: join(__dirname, '..', 'index.js'),
          apollo: join(__dirname, 'peers', 'apollo-gateway.js'),
          hive: join(__dirname, 'peers', 'hive-gateway.js'),
          profiled: join(__dirname, 'peers', 'profiled.js'),
        },
        operations: [
          {
            name: 'baseline: qualification levels',
            request: { query: QUALIFICATION_LEVELS },
            connections: CONNECTIONS,
          },
          {
            name: 'one standard, 5 services',
            request: { query: STANDARD_ACROSS_SERVICES, variables: { code } },
            connections: CONNECTIONS,
          },
          {
            name: '100 standards, 3 services',
            request: { query: STANDARD_LIST, variables: { n: 100 } },
            connections: CONNECTIONS,
          },
          {
            name: 'demand trends',
            request: { query: DEMAND_TRENDS, variables: { f: trendsFilter } },
            connections: CONNECTIONS,
          },
          {
            name: 'one standard, 5 services',
            request: { query: STANDARD_ACROSS_SERVICES, variables: { code } },
            connections: 50,
          },
        ],
      });
    if (PEERS === 'only') return [];
    const readsBefore = await fullReads(prefix);
    // Every operation answers without errors, both ways, before any figure.
    for (const op of operations) {
      await viaGateway(op.gateway);
      await post(
        subgraph(op.direct.subgraph).graphql,
        op.direct.request,
        directHeaders(op.direct.subgraph, op.direct.request),
      );
    }

    // Database commands of one request, per subgraph, from the subgraphs'
    // /metrics (`scope="request"`: only commands issued while a GraphQL
    // request is in flight; the outbox relays and consumers are background).
    // Nothing else sends requests meanwhile.
    const commandsOf = async (
      request: GraphQLRequest,
    ): Promise<{ commands: Record<SubgraphName, Counts>; calls: Counts }> => {
      const read = () =>
        Promise.all(
          SUBGRAPH_NAMES.map((name) =>
            scrape(
              subgraph(name).metrics,
              'conecta_subgraph_mongo_commands_total',
              'command',
              (labels) => labels.includes('scope="request"'),
            ),
          ),
        );
      const readCalls = () =>
        scrape(
          gatewayMetrics,
          'conecta_gateway_subgraph_requests_total',
          'subgraph',
        );
      const [before, callsBefore] = [await read(), await readCalls()];
      await viaGateway(request);
      const [after, callsAfter] = [await read(), await readCalls()];
      return {
        commands: Object.fromEntries(
          SUBGRAPH_NAMES.map((name, i) => [name, delta(before[i]!, after[i]!)]),
        ) as Record<SubgraphName, Counts>,
        calls: delta(callsBefore, callsAfter),
      };
    };
    const listCounts = (counts: Counts) =>
      Object.entries(counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');

    say('\nMongoDB commands per request, by subgraph (one request each):');
    for (const op of operations) {
      const { commands, calls } = await commandsOf(op.gateway);
      say(`  ${op.name}`);
      for (const name of SUBGRAPH_NAMES)
        if (calls[name] || sum(commands[name]) > 0)
          say(
            `    ${name.padEnd(14)} ${String(calls[name] ?? 0).padStart(2)} call(s)  ${String(sum(commands[name])).padStart(3)} command(s): ${listCounts(commands[name]) || '-'}`,
          );
    }

    say(
      '\nList of N standards (+ committee, certifying bodies): database queries per subgraph',
    );
    say(
      `  ${'subgraph'.padEnd(14)} ${LIST_SIZES.map((n) => `N=${n}`.padStart(7)).join(' ')}  verdict   (queries exclude getMore cursor batches)`,
    );
    const bySize = [];
    for (const n of LIST_SIZES)
      bySize.push(await commandsOf({ query: STANDARD_LIST, variables: { n } }));
    let allConstant = true;
    for (const name of SUBGRAPH_NAMES) {
      const queries = bySize.map(({ commands }) =>
        sum(commands[name], (k) => !CONTINUATIONS.has(k)),
      );
      const batches = bySize.map(({ commands }) =>
        sum(commands[name], (k) => CONTINUATIONS.has(k)),
      );
      if (queries.every((q) => q === 0)) continue;
      // Bounded: a list 10× and 100× longer costs no more queries than the
      // longest of the shorter ones (N+1 would add one per item).
      const grows =
        queries[2]! > Math.max(queries[0]!, queries[1]!) ||
        queries[1]! > queries[0]! + 1;
      if (grows) allConstant = false;
      say(
        `  ${name.padEnd(14)} ${queries.map((q) => String(q).padStart(7)).join(' ')}  ${grows ? 'GROWS' : 'OK   '}` +
          (batches.some((b) => b > 0)
            ? `     (+ getMore: ${batches.join(' / ')})`
            : ''),
      );
    }
    say(
      `  subgraph calls ${bySize.map(({ calls }) => String(sum(calls)).padStart(7)).join(' ')}  ${new Set(bySize.map(({ calls }) => sum(calls))).size === 1 ? 'OK' : 'GROWS'}`,
    );
    say(
      `  batching: ${allConstant ? 'OK, bounded by a constant' : 'GROWS with N'}`,
    );

    say(
      `\nLoad: ${WARMUP_REQUESTS} warm-up and ${SERIAL_REQUESTS} timed requests one at a time, then autocannon with ${CONNECTIONS} connections for ${DURATION_S} s (at most ${MAX_REQUESTS} requests), per operation and target`,
    );
    const scaleRows: ScaleRow[] = [];
    const rows: {
      op: Operation;
      direct: Figures;
      gateway: Figures;
      cached: Figures;
      hitRate: number;
      serial: { direct: number; gateway: number; cached: number };
    }[] = [];
    const cacheAnswers = () =>
      scrape(gatewayMetrics, 'conecta_gateway_response_cache_total', 'status');
    for (const op of operations) {
      const target = subgraph(op.direct.subgraph).graphql;
      const serial = {
        direct: [] as number[],
        gateway: [] as number[],
        cached: [] as number[],
      };
      const answersBefore = await cacheAnswers();
      for (let i = 0; i < WARMUP_REQUESTS + SERIAL_REQUESTS; i += 1) {
        const timed = i >= WARMUP_REQUESTS;
        let t0 = performance.now();
        await post(
          target,
          op.direct.request,
          directHeaders(op.direct.subgraph, op.direct.request),
        );
        if (timed) serial.direct.push(performance.now() - t0);
        t0 = performance.now();
        await viaGateway(op.gateway);
        if (timed) serial.gateway.push(performance.now() - t0);
        t0 = performance.now();
        await post(gatewayUrl, op.gateway, auth);
        if (timed) serial.cached.push(performance.now() - t0);
      }
      const median = (values: number[]) =>
        percentile(
          [...values].sort((a, b) => a - b),
          50,
        );
      const direct = await load(
        target,
        op.direct.request,
        directHeaders(op.direct.subgraph, op.direct.request),
      );
      const gateway = await load(gatewayUrl, op.gateway, fresh);
      const cached = await load(gatewayUrl, op.gateway, auth);
      const answers = delta(answersBefore, await cacheAnswers());
      rows.push({
        op,
        direct,
        gateway,
        cached,
        hitRate: (answers['HIT'] ?? 0) / Math.max(1, sum(answers)),
        serial: {
          direct: median(serial.direct),
          gateway: median(serial.gateway),
          cached: median(serial.cached),
        },
      });
      for (const [via, times, figures] of [
        ['no cache', serial.gateway, gateway],
        ['cache', serial.cached, cached],
      ] as const)
        scaleRows.push({
          scale,
          name: op.name.replace(code, 'EC…'),
          via,
          serialP50: median(times),
          serialP99: percentile(
            [...times].sort((a, b) => a - b),
            99,
          ),
          rps: figures.rps,
          non2xx: figures.non2xx,
        });
    }

    say(
      `\n${'operation'.padEnd(58)} ${'via'.padEnd(26)} ${'1-conn'.padStart(7)} ${'req'.padStart(6)} ${'req/s'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'non2xx'.padStart(6)}`,
    );
    const line = (name: string, via: string, serial: number, f: Figures) =>
      say(
        `${name.padEnd(58)} ${via.padEnd(26)} ${serial.toFixed(1).padStart(7)} ${String(f.requests).padStart(6)} ${String(f.rps).padStart(6)} ${f.p50.toFixed(1).padStart(7)} ${f.p95.toFixed(1).padStart(7)} ${f.p99.toFixed(1).padStart(7)} ${String(f.non2xx).padStart(6)}`,
      );
    for (const { op, direct, gateway, cached, serial } of rows) {
      line(op.name, 'gateway, response cache', serial.cached, cached);
      line('', 'gateway, no-cache', serial.gateway, gateway);
      line('', `${op.direct.subgraph} directly`, serial.direct, direct);
    }
    say(
      '(1-conn: median ms of the requests sent one at a time; the rest under load)',
    );
    say(
      '\nresponse cache (HIT share of the cached requests; cached vs no-cache throughput and one-at-a-time p50):',
    );
    for (const { op, gateway, cached, serial, hitRate } of rows)
      say(
        `  ${op.name}: ${(hitRate * 100).toFixed(1)} % hits, ×${(cached.rps / Math.max(gateway.rps, 1)).toFixed(1)} req/s, p50 ${serial.cached.toFixed(1)} ms vs ${serial.gateway.toFixed(1)} ms`,
      );
    say(
      '\ngateway overhead (no-cache) relative to the subgraph called directly:',
    );
    for (const { op, direct, gateway, serial } of rows)
      say(
        `  ${op.name}: one at a time ${signed(serial.gateway - serial.direct)} ms; under load p50 ${signed(gateway.p50 - direct.p50)} ms, throughput ×${(gateway.rps / Math.max(direct.rps, 1)).toFixed(2)} (direct: ${op.direct.subgraph}, ${op.direct.note})`,
      );
    reportFullReads(readsBefore, await fullReads(prefix));
    say(`scale ${scale} took ${Math.round((Date.now() - started) / 1_000)} s`);
    return scaleRows;
  } catch (err) {
    process.stderr.write(
      `bench: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    throw err;
  } finally {
    say('stopping the system…');
    await system.stop();
  }
}

/** Drafts standards on the installed committees until there are LIST_STANDARDS (kept across runs). */
async function seedStandards(gql: Gql): Promise<void> {
  const { standards } = await gql<{ standards: { totalCount: number } }>({
    query: '{ standards(first: 1) { totalCount } }',
  });
  const missing = LIST_STANDARDS - standards.totalCount;
  if (missing <= 0) return;
  const { committees } = await gql<{
    committees: {
      id: string;
      sector: { id: string };
      agenda: { items: { id: string }[] } | null;
    }[];
  }>({
    query:
      '{ committees(filter: { status: INSTALLED }) { id sector { id } agenda { items { id } } } }',
  });
  // A standard is drafted for an item of its committee's agenda in force.
  const withAgenda = committees.filter((c) => c.agenda?.items.length);
  if (withAgenda.length === 0)
    throw new Error('no installed committee with an agenda');
  say(`drafting ${missing} standards so the list has ${LIST_STANDARDS}…`);
  for (let i = 0; i < missing; i += 1) {
    const committee = withAgenda[i % withAgenda.length]!;
    const items = committee.agenda!.items;
    const title = `Operación de procesos de referencia ${i + 1}`;
    await gql({
      query:
        'mutation ($i: DraftStandardInput!) { draftStandard(input: $i) { id } }',
      variables: {
        i: {
          committeeId: committee.id,
          sectorId: committee.sector.id,
          agendaItemId: items[i % items.length]!.id,
          title,
          purpose: `Servir como referente para evaluar y certificar a quienes se desempeñan en ${title.toLowerCase()}.`,
          level: 1 + (i % 5),
          elements: [
            {
              title: 'Preparar la operación',
              performanceCriteria: ['Verifica el equipo antes de iniciar'],
              knowledge: ['Normas de seguridad aplicables'],
            },
          ],
          validity: { certificateValidityYears: 3, reviewIntervalYears: 5 },
        },
      },
    });
  }
}

/**
 * What the list operation's page of 100 holds at this scale: its cost follows
 * its content (a published standard lists its certifying bodies, a draft
 * none), which differs from scale to scale, so it is printed beside the
 * figures.
 */
async function describeListPage(gql: Gql): Promise<void> {
  const { standards } = await gql<{
    standards: {
      nodes: { status: string; certifyingBodies: unknown[] }[];
    };
  }>({ query: STANDARD_LIST, variables: { n: 100 } });
  const byStatus = new Map<string, number>();
  for (const { status } of standards.nodes)
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const bodies = standards.nodes.reduce(
    (n, s) => n + s.certifyingBodies.length,
    0,
  );
  say(
    `the list's page of ${standards.nodes.length} standards: ${[...byStatus]
      .map(([status, n]) => `${n} ${status}`)
      .join(', ')}; ${bodies} certifying bodies listed`,
  );
}

/** The published standard with the most certifying bodies (the demo's national network). */
async function richestPublishedStandard(gql: Gql): Promise<string> {
  const { standards } = await gql<{
    standards: {
      nodes: {
        code: string;
        certifyingBodies: unknown[];
        trainingOffers: unknown[];
      }[];
    };
  }>({
    query:
      '{ standards(filter: { status: PUBLISHED }, first: 50) { nodes { code certifyingBodies { feeCentavos } trainingOffers { id } } } }',
  });
  const nodes = [...standards.nodes];
  if (nodes.length === 0) throw new Error('no published standard');
  nodes.sort(
    (a, b) =>
      b.certifyingBodies.length +
      b.trainingOffers.length -
      (a.certifyingBodies.length + a.trainingOffers.length),
  );
  return nodes[0]!.code;
}

const QUALIFICATION_LEVELS = `
  query QualificationLevels {
    qualificationLevels { level name descriptor }
  }
`;
// (a) One standard and what four other services know about it.
const STANDARD_ACROSS_SERVICES = `
  query StandardAcrossServices($code: String!) {
    standardByCode(code: $code) {
      code
      title
      level
      status
      committee { name status sector { name } }
      certificateCount
      certifyingBodies { feeCentavos states certifyingBody { name kind } }
      trainingOffers { discountBps validUntil provider { name } }
      usage { used certificatesLast12Months { value suppressed } }
    }
  }
`;
// (v) What a partner app or an employer checks: a certificate's public status,
// with the standard's title from standards and the body's name.
const VERIFY_CERTIFICATE = `
  query Verify($code: String!) {
    verifyCertificate(code: $code) {
      status standardCode issuerName holderInitials
      standard { code title level }
      certifyingBody { name }
    }
  }
`;
const VERIFY_CERTIFICATE_DIRECT = `
  query VerifyDirect($code: String!) {
    verifyCertificate(code: $code) {
      status standardCode issuerName holderInitials
      standard { id }
      certifyingBody { name }
    }
  }
`;
const STANDARD_DIRECT = `
  query StandardDirect($code: String!) {
    standardByCode(code: $code) { id code title level status committee { id } }
  }
`;
// (b) A page of standards with fields from committees and certification.
const STANDARD_LIST = `
  query StandardList($n: Int!) {
    standards(first: $n) {
      totalCount
      nodes {
        code
        title
        status
        committee { name }
        certificateCount
        certifyingBodies { feeCentavos certifyingBody { name } }
      }
    }
  }
`;
const STANDARD_LIST_DIRECT = `
  query StandardListDirect($n: Int!) {
    standards(first: $n) { totalCount nodes { id code title status committee { id } } }
  }
`;
// (c) Analytics for a university: requested headcount by month in its state.
const DEMAND_TRENDS = `
  query DemandTrends($f: OutcomeFilter!) {
    demandTrends(filter: $f) {
      period
      requestedHeadcount { value suppressed }
      requests { value suppressed }
      growthRate
    }
  }
`;

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
    process.exit(1);
  },
);
