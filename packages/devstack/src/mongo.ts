import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  cp,
  mkdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';

import { ServerStartError } from './errors';
import {
  isPortInUse,
  runToCompletion,
  spawnDetached,
  waitUntilReady,
  writePidRecord,
} from './processes';
import type { PidRecord, StartedServer } from './processes';
import { postgresUrl } from './postgres';
import { say, secondsSince } from './report';
import { FERRETDB_VERSION } from './settings';
import type { Paths, Settings } from './settings';

/** Which server speaks MongoDB wire locally: a real mongod if on PATH, else FerretDB. */
export type MongoEngine = 'mongod' | 'ferretdb';

/** Our Go module embedding FerretDB, shipped with this package (see ferretdb/main.go). */
const FERRETDB_SOURCE = join(__dirname, '..', 'ferretdb');
/** Applied to FerretDB's own source before the build (see the patch's comments). */
const PATCH = join('patches', 'conecta.patch');
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go', PATCH];
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

export function ferretdbBinary(paths: Paths): string {
  return join(paths.cache, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

export function mongoPidPath(paths: Paths): string {
  return join(paths.run, 'mongo.json');
}

export function mongoLogPath(paths: Paths, engine: MongoEngine): string {
  return join(paths.logs, `${engine}.log`);
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of SOURCE_FILES)
    hash.update(await readFile(join(FERRETDB_SOURCE, file)));
  return hash.digest('hex');
}

/** Whether the cached FerretDB binary exists and was built from the current source. */
export async function ferretdbIsBuilt(paths: Paths): Promise<boolean> {
  const binary = ferretdbBinary(paths);
  if (!existsSync(binary)) return false;
  const built = (
    await readFile(`${binary}.source-sha256`, 'utf8').catch(() => '')
  ).trim();
  // A binary without a stamp (built by hand) is trusted; a stale stamp is not.
  return built === '' || built === (await sourceHash());
}

/**
 * Builds FerretDB with Go into the cache, once (modules come from the Go module
 * proxy): our module in ferretdb/, with FerretDB's source copied beside it,
 * patched (patches/conecta.patch) and used through a `replace`. Built in a
 * temporary folder and renamed, so a concurrent or interrupted build never
 * leaves a broken binary behind.
 */
export async function provisionFerretdb(
  paths: Paths,
  go: string,
  git: string,
): Promise<void> {
  if (await ferretdbIsBuilt(paths)) return;
  const startedAt = Date.now();
  say(
    `building FerretDB ${FERRETDB_VERSION} with Go (first time only, a few minutes)…`,
  );
  const binary = ferretdbBinary(paths);
  await mkdir(join(binary, '..'), { recursive: true });
  const work = `${binary}.build-${process.pid}`;
  // Pure Go: no C toolchain needed.
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  try {
    await cp(FERRETDB_SOURCE, work, { recursive: true });
    const module = JSON.parse(
      await runToCompletion(
        go,
        ['mod', 'download', '-json', `${FERRETDB_MODULE}@v${FERRETDB_VERSION}`],
        { cwd: work, env },
      ),
    ) as { Dir: string };
    const source = join(work, 'ferretdb-source');
    await cp(module.Dir, source, { recursive: true });
    // The module cache is read-only.
    await runToCompletion('chmod', ['-R', 'u+w', source]);
    await runToCompletion(git, ['apply', join(FERRETDB_SOURCE, PATCH)], {
      cwd: source,
    });
    await runToCompletion(
      go,
      ['mod', 'edit', `-replace=${FERRETDB_MODULE}=./ferretdb-source`],
      { cwd: work, env },
    );
    await runToCompletion(go, ['build', '-trimpath', '-o', 'ferretdb', '.'], {
      cwd: work,
      env,
    });
    await chmod(join(work, 'ferretdb'), 0o755);
    await rename(join(work, 'ferretdb'), binary);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await writeFile(`${binary}.source-sha256`, `${await sourceHash()}\n`);
  say(`… FerretDB built in ${secondsSince(startedAt)}`);
}

/** Starts mongod or FerretDB on 127.0.0.1:`mongoPort`; does not wait for readiness. */
export async function startMongo(
  settings: Settings,
  engine: MongoEngine,
  mongod: string | undefined,
): Promise<PidRecord> {
  const { paths, mongoPort } = settings;
  const logPath = mongoLogPath(paths, engine);
  if (await isPortInUse(mongoPort)) {
    throw new ServerStartError(
      'MongoDB',
      `cannot start: port ${mongoPort} is already in use by another process (not one devstack started). Stop it, or set MONGODB_URI to use it`,
      logPath,
      '',
    );
  }
  const dataDir = join(paths.data, engine);
  let command: string;
  let args: string[];
  if (engine === 'mongod') {
    command = mongod as string;
    await mkdir(dataDir, { recursive: true });
    args = [
      '--dbpath',
      dataDir,
      '--bind_ip',
      '127.0.0.1',
      '--port',
      String(mongoPort),
    ];
  } else {
    command = ferretdbBinary(paths);
    args = [
      `--listen-addr=127.0.0.1:${mongoPort}`,
      `--postgresql-url=${postgresUrl(settings)}`,
    ];
  }
  const pid = await spawnDetached(
    command,
    args,
    logPath,
    // FerretDB allocates a lot per request; collecting at 5× the live heap
    // instead of 2× cut its CPU by about a third on the certification tests
    // (18.0 s → 11.4 s), for about 70 MB resident. GOGC in the environment wins.
    engine === 'mongod'
      ? process.env
      : { ...process.env, GOGC: process.env.GOGC ?? '400' },
  );
  const record: PidRecord = {
    pid,
    // The data dir (or PostgreSQL port) on the command line tells our server apart.
    marker: engine === 'mongod' ? dataDir : postgresUrl(settings),
    address: `mongodb://127.0.0.1:${mongoPort}`,
    engine:
      engine === 'mongod'
        ? 'mongod'
        : `FerretDB ${FERRETDB_VERSION} (PostgreSQL)`,
    logPath,
    startedAt: new Date().toISOString(),
  };
  await writePidRecord(mongoPidPath(paths), record);
  return record;
}

/**
 * Waits until `ping` succeeds on `uri`, or throws with the log tail after
 * `timeoutMs`, or at once if the started process exits.
 */
export async function waitForMongo(
  uri: string,
  timeoutMs: number,
  started?: StartedServer,
): Promise<void> {
  await waitUntilReady(
    `MongoDB at ${uri}`,
    async () => {
      const client = new MongoClient(uri, {
        serverSelectionTimeoutMS: 1_000,
        connectTimeoutMS: 1_000,
      });
      try {
        await client.connect();
        await client.db('admin').command({ ping: 1 });
      } finally {
        await client.close().catch(() => undefined);
      }
    },
    { timeoutMs, intervalMs: 300, started },
  );
}
