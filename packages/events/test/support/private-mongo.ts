import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { FERRETDB_VERSION } from '@conecta/devstack';
import { MongoClient } from 'mongodb';

/**
 * A MongoDB-wire server of this test's own, which it can take away and bring
 * back (a database outage) without touching the shared one other suites use.
 */
export interface PrivateMongo {
  /** `mongodb://127.0.0.1:<port>/<dbName>`. */
  readonly uri: string;
  readonly dbName: string;
  readonly engine: string;
  /** Kills the server (SIGKILL, like a crash): clients get connection errors until `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers. */
  start(): Promise<void>;
  /** Drops the test database, then stops the server for good. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * devstack's FerretDB binary (its cache: DEVSTACK_CACHE_DIR, else
 * ~/.cache/conecta-devstack), as devstack starts it, on the shared
 * PostgreSQL (DEVSTACK_POSTGRES_PORT, default 27432) but as a separate
 * process on a port of its own, with a small pool; the test's database
 * lives only there. Failing that, a `mongod` on PATH with a temporary dbpath.
 */
function command(port: number): {
  engine: string;
  file: string;
  args: string[];
  cleanup(): void;
} {
  const cache =
    process.env.DEVSTACK_CACHE_DIR ??
    join(
      process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
      'conecta-devstack',
    );
  const ferretdb = join(cache, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
  if (existsSync(ferretdb)) {
    const pgPort = process.env.DEVSTACK_POSTGRES_PORT ?? '27432';
    return {
      engine: `FerretDB ${FERRETDB_VERSION}`,
      file: ferretdb,
      args: [
        `--listen-addr=127.0.0.1:${port}`,
        // A handful of PostgreSQL connections: the shared server allows 420
        // and the shared FerretDB takes up to 400.
        `--postgresql-url=postgres://postgres@127.0.0.1:${pgPort}/postgres?pool_max_conns=8`,
      ],
      cleanup: () => undefined,
    };
  }
  const mongod = onPath('mongod');
  if (mongod) {
    const dbPath = mkdtempSync(join(tmpdir(), 'conecta-private-mongod-'));
    return {
      engine: 'mongod',
      file: mongod,
      args: [
        '--dbpath',
        dbPath,
        '--bind_ip',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      cleanup: () => rmSync(dbPath, { recursive: true, force: true }),
    };
  }
  throw new Error(
    `no MongoDB-wire server to start privately: neither ${ferretdb} (npm run infra:up builds it) nor mongod on PATH`,
  );
}

async function waitUntilAnswering(
  uri: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `private MongoDB exited (${child.exitCode}):\n${output()}`,
      );
    const probe = new MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    try {
      await probe.connect();
      await probe.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(
          `private MongoDB did not answer: ${String(error)}\n${output()}`,
        );
    } finally {
      await probe.close().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts a {@link PrivateMongo} holding database `dbName`. */
export async function launchPrivateMongo(
  dbName: string,
): Promise<PrivateMongo> {
  const port = await freePort();
  const spec = command(port);
  const base = `mongodb://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';
  // Never outlive the test process, even when it dies without afterAll.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    output = '';
    const started = spawn(spec.file, spec.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    child = started;
    await waitUntilAnswering(base, started, () => output);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null)
      return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    uri: `${base}/${dbName}`,
    dbName,
    engine: spec.engine,
    start,
    stop,
    async destroy() {
      try {
        await start();
        const client = await MongoClient.connect(base, {
          serverSelectionTimeoutMS: 5_000,
        });
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      } finally {
        await stop();
        spec.cleanup();
        process.off('exit', killOnExit);
      }
    },
  };
}
