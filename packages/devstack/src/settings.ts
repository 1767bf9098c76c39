import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Versions run by devstack; docker-compose pins the same ones. */
export const KAFKA_VERSION = '3.9.1';
/** slf4j-simple must match the slf4j-api that kafka_2.13 3.9.1 brings (1.7.36). */
export const SLF4J_VERSION = '1.7.36';
export const FERRETDB_VERSION = '1.24.2';

/** Where devstack keeps data, logs and pid files, and where it caches downloads. */
export interface Paths {
  /** `<repo root>/.devstack`, or `DEVSTACK_HOME`. */
  readonly home: string;
  readonly data: string;
  readonly logs: string;
  readonly run: string;
  /** `${DEVSTACK_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/conecta-devstack}`. */
  readonly cache: string;
}

/** Ports and timeouts, each overridable through the environment. */
export interface Settings {
  readonly paths: Paths;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly mongoPort: number;
  /** PostgreSQL, FerretDB's storage. */
  readonly postgresPort: number;
  readonly readyTimeoutMs: number;
}

/**
 * The monorepo root: the nearest ancestor of `from` whose package.json declares
 * `workspaces`. Falls back to the current directory outside the monorepo.
 */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
          workspaces?: unknown;
        };
        if (parsed.workspaces !== undefined) return dir;
      } catch {
        // A broken package.json further down is not the root; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

function intFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/** Reads the devstack settings from `env` (defaults in the README's config table). */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // The repo root is found from this package's own location first, so the CLI
  // works from any working directory inside or outside the monorepo.
  const root = findRepoRoot(__dirname);
  const home = resolve(env.DEVSTACK_HOME ?? join(root, '.devstack'));
  const cacheBase = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const cache = resolve(
    env.DEVSTACK_CACHE_DIR ?? join(cacheBase, 'conecta-devstack'),
  );
  return {
    paths: {
      home,
      data: join(home, 'data'),
      logs: join(home, 'logs'),
      run: join(home, 'run'),
      cache,
    },
    kafkaPort: intFromEnv(env, 'DEVSTACK_KAFKA_PORT', 9092),
    kafkaControllerPort: intFromEnv(
      env,
      'DEVSTACK_KAFKA_CONTROLLER_PORT',
      9093,
    ),
    mongoPort: intFromEnv(env, 'DEVSTACK_MONGO_PORT', 27017),
    // Not 5432, so a PostgreSQL of the machine's own is left alone.
    postgresPort: intFromEnv(env, 'DEVSTACK_POSTGRES_PORT', 27432),
    // Cold JVM start plus KRaft election on 2 busy cores takes well under this.
    readyTimeoutMs: intFromEnv(env, 'DEVSTACK_READY_TIMEOUT_MS', 120_000),
  };
}
