import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import {
  ensureInfra,
  launchService,
  mongoUriWithDatabase,
  readSettings,
  type LaunchedService,
} from '@conecta/devstack';

// Issue 18's side-by-side: each operation against Conecta's gateway (response
// cache off, then on), stock @apollo/gateway and Hive Gateway with Hive
// Router's runtime, all three as processes of their own on the same
// supergraph and the same running subgraphs, 3 rounds in alternating order;
// the figures are each one's median over the rounds, and the gateway's CPU per
// request is read from /proc/<pid>/stat around each run.
//
// How the peers reach the subgraphs: subgraphs refuse unsigned requests, and
// a signed identity is bound to one body and lives 30 s, so no static header
// can stand in for it. The bench starts the subgraphs with
// ALLOW_UNSIGNED_IDENTITY=true (dev flag: a request without the headers is
// anonymous, `public`), the peers send none, and every gateway is called
// without credentials: all three get the same public answers from the same
// subgraph work. Conecta's gateway still signs the public identity for each
// subgraph call, and runs its rate limiter, Armor limits, metrics and logs.

/** Seconds per measured run (`BENCH_PEERS_SECONDS`, default 4). */
const DURATION_S = Number(process.env['BENCH_PEERS_SECONDS'] ?? '4');
const ROUNDS = Number(process.env['BENCH_PEERS_ROUNDS'] ?? '3');
// Load before the first round: JIT, connection pools, plan caches.
const WARMUP_S = 2;
// Measured with no load, before the rounds.
const IDLE_S = 5;
/** Seconds of rest before the idle figure (the cache's watcher pauses after 2 s). */
const IDLE_SETTLE_S = 3;
// autocannon ignores `duration` once `amount` is set: stop it ourselves too.
const MAX_REQUESTS = 50_000;
// /proc/<pid>/stat counts CPU time in clock ticks (USER_HZ): 100 per second
// on Linux whatever the kernel's HZ.
const TICK_MS = 10;

export interface SideBySideOperation {
  name: string;
  request: { query: string; variables?: Record<string, unknown> };
  connections: number;
}

interface Target {
  label: string;
  url: string;
  pid: number;
  headers: Record<string, string>;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  requests: number;
  errors: number;
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ]!;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count from after its `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5), i.e. 11 and 12 after the state (field 3).
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** One autocannon run; a response with GraphQL errors or not 2xx counts as an error. */
async function measure(
  target: Target,
  op: SideBySideOperation,
  seconds: number,
): Promise<Run> {
  const latencies: number[] = [];
  const cpuBefore = cpuMs(target.pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        connections: op.connections,
        duration: seconds,
        amount: MAX_REQUESTS,
        headers: { 'content-type': 'application/json', ...target.headers },
        body: JSON.stringify(op.request),
        verifyBody: (body) => {
          const text = String(body ?? '');
          return text.startsWith('{"data"') && !text.includes('"errors"');
        },
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
    const deadline = setTimeout(() => instance.stop(), seconds * 1_000);
  });
  const cpu = cpuMs(target.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const requests = result.requests.total;
  return {
    rps: requests / (result.duration || seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerRequest: cpu / Math.max(1, requests),
    requests,
    errors: result.non2xx + result.mismatches + result.errors + result.timeouts,
  };
}

/** The committed supergraph with each subgraph's URL replaced by the bench's. */
function supergraphFor(
  sdl: string,
  urls: Readonly<Record<string, string>>,
): string {
  return sdl.replace(
    /@join__graph\(name: "([a-z]+)", url: "[^"]*"\)/g,
    (whole, name: string) =>
      urls[name]
        ? `@join__graph(name: "${name}", url: "${urls[name]}")`
        : whole,
  );
}

/**
 * `BENCH_PROFILE=<dir>`: Conecta's gateway under one operation's load
 * (the baseline unless `BENCH_PROFILE_OP`; cache off) for 10 s after a warm-up, then
 * stopped so V8 writes its profile; prints where the CPU went.
 */
async function profile(
  conecta: LaunchedService,
  op: SideBySideOperation,
  dir: string,
): Promise<void> {
  const target: Target = {
    label: "Conecta's gateway, cache off",
    url: conecta.graphqlUrl,
    pid: conecta.process.pid!,
    headers: { 'cache-control': 'no-cache' },
  };
  await measure(target, op, WARMUP_S);
  const run = await measure(target, op, 10);
  say(
    `profiled ${op.name}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.cpuMsPerRequest.toFixed(2)} CPU ms/request, ${run.errors} errors`,
  );
  const before = new Set(readdirSync(dir));
  await conecta.stop();
  const written = readdirSync(dir).filter(
    (f) => f.endsWith('.cpuprofile') && !before.has(f),
  );
  for (const file of written) {
    say(`profile: ${join(dir, file)}`);
    summarizeProfile(join(dir, file), 25);
  }
}

/** Self time per function and per file of a V8 CPU profile (`--cpu-prof`), the top `n`. */
function summarizeProfile(file: string, n: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: {
      id: number;
      hitCount?: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }[];
    samples: number[];
  };
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    // node_modules/<package> (scoped too), or the file past the repo's root.
    const where =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      url.replace(/^.*\/(gateway|packages|services)\//, '$1/') ??
      '';
    const fn = `${functionName || '(anonymous)'} ${where || '(native)'}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    const key = where || functionName;
    byFile.set(key, (byFile.get(key) ?? 0) + hits);
  }
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([name, hits]) =>
          `  ${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}`,
      );
  say(`\nSelf time by package or file (${total} samples):`);
  top(byFile).forEach((line) => say(line));
  say('\nSelf time by function:');
  top(byFunction).forEach((line) => say(line));
}

export interface SideBySideOptions {
  /** Each subgraph's GraphQL URL, by name. */
  subgraphUrls: Readonly<Record<string, string>>;
  /** Database and topic prefix of the bench's system (Conecta's gateway reads its offsets). */
  prefix: string;
  /** Ports of the three gateways (+1000: Conecta's operator port), below the ephemeral range. */
  ports: Readonly<Record<'conecta' | 'apollo' | 'hive', number>>;
  /** The committed supergraph.graphql. */
  supergraphPath: string;
  /** Conecta's gateway and the two peers' entry points. */
  scripts: { conecta: string; apollo: string; hive: string; profiled: string };
  operations: SideBySideOperation[];
}

/**
 * Hive Gateway and Hive Router's runtime are not dependencies of the repo
 * (about 660 more packages for every `npm install`, for this bench only):
 * gateway/bench/peers holds their package.json and lockfile, installed once
 * with `npm ci` into devstack's cache, in a folder named by the lockfile's
 * hash (a changed lockfile installs afresh). Returns that folder.
 */
function ensurePeers(): string {
  const source = resolve(__dirname, '..', '..', 'bench', 'peers');
  const lock = readFileSync(join(source, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 12);
  const dir = join(readSettings().paths.cache, `bench-peers-${hash}`);
  if (existsSync(join(dir, 'node_modules', '.package-lock.json'))) return dir;
  say(`installing the side-by-side's peers (npm ci) into ${dir}…`);
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json'])
    copyFileSync(join(source, file), join(dir, file));
  execFileSync(
    'npm',
    ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    { cwd: dir, stdio: 'inherit' },
  );
  return dir;
}

/**
 * Starts the three gateways, measures every operation on each (Conecta's
 * twice: with `Cache-Control: no-cache`, then through its response cache),
 * prints the medians and the ratios, stops them.
 */
export async function sideBySide(options: SideBySideOptions): Promise<void> {
  const started = Date.now();
  const infra = await ensureInfra();
  const peersDir = ensurePeers();
  const dir = mkdtempSync(join(tmpdir(), 'conecta-bench-'));
  const supergraphFile = join(dir, 'supergraph.graphql');
  writeFileSync(
    supergraphFile,
    supergraphFor(
      readFileSync(options.supergraphPath, 'utf8'),
      options.subgraphUrls,
    ),
  );
  const logLevel = 'warn';
  const launched: LaunchedService[] = [];
  try {
    const launch = async (
      name: keyof SideBySideOptions['ports'],
      env: Record<string, string>,
    ) => {
      const service = await launchService({
        name: `${name} gateway`,
        script:
          name === 'conecta' && profileDir
            ? options.scripts.profiled
            : options.scripts[name],
        port: options.ports[name],
        env: { LOG_LEVEL: logLevel, ...env },
      });
      launched.push(service);
      return service;
    };
    const profileDir = process.env['BENCH_PROFILE'];
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const conecta = await launch('conecta', {
      // `BENCH_PROFILE=<dir>`: a V8 CPU profile of Conecta's gateway instead.
      ...(profileDir
        ? { PROFILED_SCRIPT: options.scripts.conecta, PROFILE_DIR: profileDir }
        : {}),
      // What startSystem gives its gateway, on its own ports.
      IDENTITY_SECRET:
        process.env['IDENTITY_SECRET'] ||
        'dev-only-identity-secret-change-me-0123456789',
      // Nobody signs tokens for this gateway: the side by side calls anonymously.
      JWT_SECRET: randomBytes(32).toString('hex'),
      MONGODB_URI: mongoUriWithDatabase(
        infra.mongoUri,
        `${options.prefix}conecta_gateway`,
      ),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: options.prefix,
      // Every request comes from 127.0.0.1: a limit no run reaches, so the
      // limiter still charges each request (the protection's cost is counted).
      RATE_LIMIT_PER_IP: '100000000',
      ...Object.fromEntries(
        Object.entries(options.subgraphUrls).map(([name, url]) => [
          `${name.toUpperCase()}_URL`,
          url,
        ]),
      ),
    });
    if (profileDir) {
      // `BENCH_PROFILE_OP=<index>` picks another operation (default 0, the baseline).
      const op =
        options.operations[Number(process.env['BENCH_PROFILE_OP'] ?? '0')];
      if (!op) throw new Error('BENCH_PROFILE_OP: no such operation');
      await profile(conecta, op, profileDir);
      return;
    }
    const apollo = await launch('apollo', { SUPERGRAPH_FILE: supergraphFile });
    const hive = await launch('hive', {
      SUPERGRAPH_FILE: supergraphFile,
      PEERS_DIR: peersDir,
    });
    const pid = (service: LaunchedService) => service.process.pid!;
    const targets: Target[] = [
      {
        label: "Conecta's gateway, cache off",
        url: conecta.graphqlUrl,
        pid: pid(conecta),
        headers: { 'cache-control': 'no-cache' },
      },
      {
        label: "Conecta's gateway, cache on",
        url: conecta.graphqlUrl,
        pid: pid(conecta),
        headers: {},
      },
      {
        label: '@apollo/gateway (stock)',
        url: apollo.graphqlUrl,
        pid: pid(apollo),
        headers: {},
      },
      {
        label: 'Hive Gateway + router runtime',
        url: hive.graphqlUrl,
        pid: pid(hive),
        headers: {},
      },
    ];

    say(
      `\n=== Side by side (BENCH_PEERS): ${targets.length} targets × ${options.operations.length} operations × ${ROUNDS} rounds of ${DURATION_S} s, alternating order; anonymous callers, subgraphs accepting unsigned (public) requests ===`,
    );
    // Same answer from every gateway before any figure.
    for (const op of options.operations) {
      const bodies = await Promise.all(
        targets.map(async (t) => {
          const response = await fetch(t.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...t.headers },
            body: JSON.stringify(op.request),
          });
          return (await response.text()).replace(/\s/g, '');
        }),
      );
      const [first, ...rest] = bodies;
      if (!first?.startsWith('{"data"') || first.includes('"errors"'))
        throw new Error(`${op.name}: Conecta answered ${first?.slice(0, 300)}`);
      rest.forEach((body, i) => {
        if (body !== first)
          say(
            `  note: ${op.name}: ${targets[i + 1]!.label} answers differently (${body.slice(0, 160)}…)`,
          );
      });
    }

    // What each gateway burns with no request at all: part of every
    // CPU-per-request figure, most visible where the subgraphs limit req/s.
    // Measured at rest: Conecta's reads Kafka's offsets every 250 ms while
    // its response cache is looked up, and pauses 2 s after the last lookup
    // (the answers compared above were lookups).
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_S * 1_000));
    const idle = new Map<number, number>();
    const idleBefore = new Map(
      [...new Set(targets.map((t) => t.pid))].map((p) => [p, cpuMs(p)]),
    );
    await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1_000));
    for (const [p, before] of idleBefore)
      idle.set(p, (cpuMs(p) - before) / IDLE_S);
    const loads: string[] = [loadAverage()];
    const runs = new Map<string, Run[]>();
    const key = (op: SideBySideOperation, t: Target) =>
      `${op.name}\0${op.connections}\0${t.label}`;
    for (const op of options.operations)
      for (const t of targets) await measure(t, op, WARMUP_S);
    for (let round = 0; round < ROUNDS; round += 1) {
      // Rotate, and reverse every other round: each target goes first once
      // and follows each other one in both orders.
      const rotated = targets.map(
        (_, i) => targets[(i + round) % targets.length]!,
      );
      const order = round % 2 === 1 ? rotated.reverse() : rotated;
      for (const op of options.operations)
        for (const t of order) {
          const run = await measure(t, op, DURATION_S);
          runs.set(key(op, t), [...(runs.get(key(op, t)) ?? []), run]);
        }
      loads.push(loadAverage());
      say(
        `  round ${round + 1}/${ROUNDS} done (${order.map((t) => t.label.split(',')[0]!.split(' ')[0]).join(' → ')}), load average ${loads.at(-1)}`,
      );
    }

    const summary = (op: SideBySideOperation, t: Target) => {
      const all = runs.get(key(op, t)) ?? [];
      return {
        rps: median(all.map((r) => r.rps)),
        p50: median(all.map((r) => r.p50)),
        p99: median(all.map((r) => r.p99)),
        cpu: median(all.map((r) => r.cpuMsPerRequest)),
        // The same less what the process burns with no request at all,
        // spread over the run's requests.
        busyCpu: median(
          all.map(
            (r) =>
              r.cpuMsPerRequest - (idle.get(t.pid) ?? 0) / Math.max(r.rps, 1),
          ),
        ),
        errors: all.reduce((n, r) => n + r.errors, 0),
        requests: all.reduce((n, r) => n + r.requests, 0),
      };
    };
    say(
      `\nMedians of ${ROUNDS} rounds (${DURATION_S} s each; CPU − idle: less the CPU of the same process with no requests; errors: non-2xx, GraphQL errors, timeouts, summed over the rounds)`,
    );
    say(
      `${'operation'.padEnd(46)} ${'gateway'.padEnd(30)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU ms/req'.padStart(10)} ${'− idle'.padStart(7)} ${'errors'.padStart(6)}`,
    );
    for (const op of options.operations)
      targets.forEach((t, i) => {
        const s = summary(op, t);
        say(
          `${(i === 0 ? `${op.name} (${op.connections} conn.)` : '').padEnd(46)} ${t.label.padEnd(30)} ${s.rps.toFixed(0).padStart(7)} ${s.p50.toFixed(1).padStart(7)} ${s.p99.toFixed(1).padStart(7)} ${s.cpu.toFixed(2).padStart(10)} ${s.busyCpu.toFixed(2).padStart(7)} ${String(s.errors).padStart(6)}`,
        );
      });
    say(
      '\nRatios, Conecta ÷ peer (req/s: ≥ 1 is at least as fast; p50, p99, CPU/req: ≤ 1 is at least as good)',
    );
    say(
      `${'operation'.padEnd(46)} ${'Conecta vs'.padEnd(44)} ${'req/s'.padStart(6)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'CPU'.padStart(6)} ${'− idle'.padStart(7)}`,
    );
    const [off, on, ...peers] = targets as [Target, Target, ...Target[]];
    for (const op of options.operations) {
      let first = true;
      for (const mine of [off, on])
        for (const peer of peers) {
          const a = summary(op, mine);
          const b = summary(op, peer);
          const ratio = (x: number, y: number) =>
            (y > 0 ? x / y : Number.NaN).toFixed(2).padStart(6);
          say(
            `${(first ? op.name : '').padEnd(46)} ${`${mine.label.split(', ')[1]} ÷ ${peer.label}`.padEnd(44)} ${ratio(a.rps, b.rps)} ${ratio(a.p50, b.p50)} ${ratio(a.p99, b.p99)} ${ratio(a.cpu, b.cpu)} ${ratio(a.busyCpu, b.busyCpu).padStart(7)}`,
          );
          first = false;
        }
    }
    say(
      `\nCPU with no requests (${IDLE_S} s): ${targets
        .filter((t, i) => targets.findIndex((u) => u.pid === t.pid) === i)
        .map(
          (t) => `${t.label.split(',')[0]} ${idle.get(t.pid)!.toFixed(0)} ms/s`,
        )
        .join(', ')}`,
    );
    say(
      `\nload average (1, 5, 15 min) before and after each round: ${loads.join(' | ')}; side by side took ${Math.round((Date.now() - started) / 1_000)} s`,
    );
  } finally {
    for (const service of launched.reverse()) await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
