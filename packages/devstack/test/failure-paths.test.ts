import {
  chmodSync,
  existsSync,
  mkdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';

import { ServerStartError, ensureInfra, infraStatus } from '../src';
import { isAlive } from '../src/processes';
import { kafkaLibDir } from '../src/kafka';
import { readSettings } from '../src/settings';
import { envWithoutExternalServers, runCli, tempDir } from './helpers';

// devstack's failure paths, on servers that cannot succeed: stub `mongod` and
// `java` executables first on PATH print a few log lines and then hang without
// ever opening their port (or exit at once). Everything runs on its own state
// folder and free ports, with its own cache, so the shared servers are never
// touched and nothing is downloaded.

const READY_TIMEOUT_MS = 3_000;

/** Writes an executable shell script `name` into `dir`. */
function stub(dir: string, name: string, script: string): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}`);
  chmodSync(file, 0o755);
}

// Not `exec sleep`: the shell must stay, since devstack recognises its server
// by the command line (data dir or properties path) in /proc/<pid>/cmdline.
const HANG = 'while :; do sleep 1; done\n';

const home = tempDir('failure-home');
const hangingBin = tempDir('failure-bin');
const crashingBin = tempDir('failure-crash-bin');
stub(
  hangingBin,
  'mongod',
  `echo "stub mongod: starting with $1 $2"
echo "stub mongod: recovering the journal"
echo "stub mongod: never listening"
${HANG}`,
);
stub(
  hangingBin,
  'java',
  `case "$*" in
  *kafka.tools.StorageTool*) echo "stub StorageTool: formatted"; exit 0 ;;
esac
echo "stub kafka: starting broker"
echo "stub kafka: waiting for a controller that never comes"
${HANG}`,
);
stub(
  crashingBin,
  'mongod',
  `echo "stub mongod: cannot lock the data directory" >&2
exit 100
`,
);

let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const [kafkaPort, controllerPort, mongoPort] = await Promise.all([
    getPort(),
    getPort(),
    getPort(),
  ]);
  env = {
    ...envWithoutExternalServers(),
    PATH: `${hangingBin}:${process.env.PATH ?? ''}`,
    DEVSTACK_HOME: home,
    // Inside the state folder, to show `reset` spares it.
    DEVSTACK_CACHE_DIR: join(home, 'cache'),
    DEVSTACK_KAFKA_PORT: String(kafkaPort),
    DEVSTACK_KAFKA_CONTROLLER_PORT: String(controllerPort),
    DEVSTACK_MONGO_PORT: String(mongoPort),
    DEVSTACK_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
  };
  // "Provisioned" Kafka: a jar folder in the cache, so no Maven run.
  const libs = kafkaLibDir(readSettings(env).paths);
  mkdirSync(libs, { recursive: true });
  writeFileSync(join(libs, 'kafka-stub.jar'), 'not a jar');
});

afterAll(async () => {
  // Stops any stub still running (by its pid file), then removes the folders.
  if (env) await runCli(['down'], env);
  for (const dir of [home, hangingBin, crashingBin])
    rmSync(dir, { recursive: true, force: true });
});

/** The pids of the servers devstack recorded as running in this state folder. */
async function runningPids(): Promise<number[]> {
  return (await infraStatus({ env }))
    .map((s) => s.pid)
    .filter((pid): pid is number => pid !== undefined);
}

/** ensureInfra's rejection (it must reject), timed. */
async function failedStart(
  startEnv: NodeJS.ProcessEnv,
): Promise<{ error: ServerStartError; ms: number }> {
  const startedAt = Date.now();
  const error = await ensureInfra({ env: startEnv }).then(
    () => {
      throw new Error('ensureInfra resolved, expected a ServerStartError');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ServerStartError);
  return { error: error as ServerStartError, ms: Date.now() - startedAt };
}

describe('devstack when a server cannot start', () => {
  it('fails at once with the log tail when the server exits while starting', async () => {
    const { error, ms } = await failedStart({
      ...env,
      PATH: `${crashingBin}:${process.env.PATH ?? ''}`,
      // The shared broker answers; only MongoDB is started here.
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    });
    expect(error.message).toMatch(/^MongoDB exited while starting\./);
    expect(error.message).toContain(
      `Last lines of ${join(home, 'logs', 'mongod.log')}:`,
    );
    expect(error.message).toContain(
      '  | stub mongod: cannot lock the data directory',
    );
    expect(ms).toBeLessThan(READY_TIMEOUT_MS);
  });

  it('fails after the readiness timeout with the log tail when MongoDB never becomes ready', async () => {
    const { error, ms } = await failedStart({
      ...env,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    });
    expect(error.server).toBe('MongoDB');
    expect(error.message).toMatch(
      /^MongoDB was not ready after 3 s \(last error: /,
    );
    expect(error.logPath).toBe(join(home, 'logs', 'mongod.log'));
    expect(error.logTail).toBe(
      [
        '  | stub mongod: starting with --dbpath ' +
          join(home, 'data', 'mongod'),
        '  | stub mongod: recovering the journal',
        '  | stub mongod: never listening',
      ].join('\n'),
    );
    expect(error.message).toContain(error.logTail);
    expect(ms).toBeGreaterThanOrEqual(READY_TIMEOUT_MS);
    expect(ms).toBeLessThan(READY_TIMEOUT_MS + 10_000);
  });

  it('fails after the readiness timeout with the log tail when Kafka never becomes ready', async () => {
    const { error, ms } = await failedStart({
      ...env,
      // The shared MongoDB answers; only Kafka is started here.
      MONGODB_URI: process.env.MONGODB_URI,
    });
    expect(error.server).toBe('Kafka');
    expect(error.message).toMatch(
      /^Kafka was not ready after 3 s \(last error: /,
    );
    expect(error.message).toContain(
      `Last lines of ${join(home, 'logs', 'kafka.log')}:`,
    );
    expect(error.message).toContain(
      '  | stub kafka: starting broker\n  | stub kafka: waiting for a controller that never comes',
    );
    expect(ms).toBeGreaterThanOrEqual(READY_TIMEOUT_MS);
    expect(ms).toBeLessThan(READY_TIMEOUT_MS + 10_000);
  });
});

describe('down, status and reset after a failed start', () => {
  it('down stops the servers left behind, a second down is fine, and status reports both stopped', async () => {
    // The two hanging servers from above are still running: nothing kills a
    // server that was slow to start, so `down` must find it.
    const pids = await runningPids();
    expect(pids).toHaveLength(2);

    const first = await runCli(['down'], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/stopped mongod \(pid \d+\)/);
    expect(first.stderr).toMatch(/stopped Apache Kafka [\d.]+ \(pid \d+\)/);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);

    const second = await runCli(['down'], env);
    expect(second.code).toBe(0);
    // Nothing left to stop: no server named with its pid.
    expect(second.stderr).not.toMatch(/\(pid \d+\)/);

    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^kafka\s+stopped\s/m);
    expect(status.stdout).toMatch(/^mongo\s+stopped\s/m);
  });

  it('reset stops a running server and deletes data and logs, but keeps the download cache', async () => {
    // A hanging MongoDB again, so reset has something to stop.
    await failedStart({ ...env, KAFKA_BROKERS: process.env.KAFKA_BROKERS });
    const [pid] = await runningPids();
    expect(pid).toEqual(expect.any(Number));
    const { paths } = readSettings(env);
    const jar = join(kafkaLibDir(paths), 'kafka-stub.jar');
    for (const path of [
      join(paths.data, 'mongod'),
      join(paths.data, 'kafka', 'devstack-cluster-id'),
      join(paths.logs, 'mongod.log'),
      join(paths.logs, 'kafka.log'),
      jar,
    ])
      expect(existsSync(path)).toBe(true);

    const reset = await runCli(['reset'], env);
    expect(reset.code).toBe(0);
    expect(isAlive(pid!)).toBe(false);
    expect(existsSync(paths.data)).toBe(false);
    expect(existsSync(paths.logs)).toBe(false);
    expect(existsSync(join(paths.run, 'mongo.json'))).toBe(false);
    expect(existsSync(jar)).toBe(true);

    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(/^kafka\s+stopped\s/m);
    expect(status.stdout).toMatch(/^mongo\s+stopped\s/m);
  });
});
