import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
import { say, secondsSince } from './report';
import { FERRETDB_VERSION } from './settings';
import type { Paths, Settings } from './settings';

/** Which server speaks MongoDB wire locally: a real mongod if on PATH, else FerretDB. */
export type MongoEngine = 'mongod' | 'ferretdb';

/** Our Go module embedding FerretDB, shipped with this package (see ferretdb/main.go). */
const FERRETDB_SOURCE = join(__dirname, '..', 'ferretdb');
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go'];

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
 * proxy). Built to a temporary name and renamed, so a concurrent or interrupted
 * build never leaves a broken binary behind.
 */
export async function provisionFerretdb(
  paths: Paths,
  go: string,
): Promise<void> {
  if (await ferretdbIsBuilt(paths)) return;
  const startedAt = Date.now();
  say(
    `building FerretDB ${FERRETDB_VERSION} with Go (first time only, a few minutes)…`,
  );
  const binary = ferretdbBinary(paths);
  await mkdir(join(binary, '..'), { recursive: true });
  const temp = `${binary}.tmp-${process.pid}`;
  try {
    await runToCompletion(go, ['build', '-trimpath', '-o', temp, '.'], {
      cwd: FERRETDB_SOURCE,
      // Pure Go (SQLite through modernc.org/sqlite): no C toolchain needed.
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    });
    await rename(temp, binary);
  } finally {
    await rm(temp, { force: true });
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
  await mkdir(dataDir, { recursive: true });
  let command: string;
  let args: string[];
  if (engine === 'mongod') {
    command = mongod as string;
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
      // FerretDB wants a directory URI ending in '/'.
      `--sqlite-url=file:${encodeURI(dataDir)}/`,
    ];
  }
  const pid = await spawnDetached(command, args, logPath);
  const record: PidRecord = {
    pid,
    // The data dir as it appears on the command line tells our server apart.
    marker: engine === 'mongod' ? dataDir : encodeURI(dataDir),
    address: `mongodb://127.0.0.1:${mongoPort}`,
    engine:
      engine === 'mongod' ? 'mongod' : `FerretDB ${FERRETDB_VERSION} (SQLite)`,
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
