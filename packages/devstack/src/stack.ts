import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { MissingToolError } from './errors';
import type { MissingTool } from './errors';
import {
  brokerLayout,
  kafkaLibDir,
  provisionKafka,
  startBroker,
  waitForKafka,
} from './kafka';
import type { BrokerLayout } from './kafka';
import { acquireLock } from './lock';
import {
  ferretdbIsBuilt,
  mongoPidPath,
  provisionFerretdb,
  startMongo,
  waitForMongo,
} from './mongo';
import type { MongoEngine } from './mongo';
import {
  postgresDataDir,
  postgresLogPath,
  postgresPidPath,
  startPostgres,
  waitForPostgres,
} from './postgres';
import {
  findOnPath,
  readPidRecord,
  runningRecord,
  stopProcess,
} from './processes';
import type { PidRecord } from './processes';
import { say, secondsSince } from './report';
import { readSettings } from './settings';
import type { Paths, Settings } from './settings';

/** Options shared by the library API; everything defaults to the environment. */
export interface InfraOptions {
  /** Environment to read settings from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Endpoints of a ready infrastructure. */
export interface InfraEndpoints {
  /** Without a database name, e.g. `mongodb://127.0.0.1:27017`. */
  readonly mongoUri: string;
  /** e.g. `['127.0.0.1:9092']`. */
  readonly kafkaBrokers: string[];
}

/** One line of `conecta-devstack status`. */
export interface ServerStatus {
  /** `kafka`, `mongo`, or `kafka-<name>` for a broker from launchKafka. */
  readonly name: string;
  readonly state: 'running' | 'stopped' | 'external';
  /** `127.0.0.1:9092`, `mongodb://127.0.0.1:27017`, or the external value. */
  readonly address: string;
  readonly engine?: string;
  readonly pid?: number;
  readonly logPath?: string;
}

function sharedBroker(settings: Settings): BrokerLayout {
  return brokerLayout(
    settings.paths,
    'kafka',
    settings.kafkaPort,
    settings.kafkaControllerPort,
  );
}

function splitBrokers(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
}

function externalKafka(env: NodeJS.ProcessEnv): string[] | undefined {
  const value = env.KAFKA_BROKERS?.trim();
  return value ? splitBrokers(value) : undefined;
}

function externalMongo(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.MONGODB_URI?.trim();
  return value ? value : undefined;
}

interface Tools {
  java?: string;
  mvn?: string;
  go?: string;
  git?: string;
  mongod?: string;
  engine?: MongoEngine;
}

/**
 * Finds, before anything is downloaded or started, every tool needed to start
 * Kafka and MongoDB locally; throws one MissingToolError naming all the
 * missing ones. Maven and Go are needed only while the cache is empty.
 */
export async function resolveTools(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  needKafka: boolean,
  needMongo: boolean,
): Promise<Tools> {
  const missing: MissingTool[] = [];
  const tools: Tools = {};
  if (needKafka) {
    tools.java = findOnPath('java', env);
    if (!tools.java) {
      missing.push({
        tool: 'java',
        neededFor: 'running Kafka',
        envVar: 'KAFKA_BROKERS',
      });
    }
    if (!existsSync(kafkaLibDir(settings.paths))) {
      tools.mvn = findOnPath('mvn', env);
      if (!tools.mvn) {
        missing.push({
          tool: 'mvn',
          neededFor: 'downloading the Kafka jars (first time only)',
          envVar: 'KAFKA_BROKERS',
        });
      }
    }
  }
  if (needMongo) {
    tools.mongod = findOnPath('mongod', env);
    tools.engine = tools.mongod ? 'mongod' : 'ferretdb';
    if (!tools.mongod && !(await ferretdbIsBuilt(settings.paths))) {
      tools.go = findOnPath('go', env);
      tools.git = findOnPath('git', env);
      for (const tool of ['go', 'git'] as const) {
        if (tools[tool]) continue;
        missing.push({
          tool,
          neededFor:
            'building FerretDB, the local MongoDB-wire server (first time only; a `mongod` on PATH is used instead if present)',
          envVar: 'MONGODB_URI',
        });
      }
    }
  }
  if (missing.length > 0) throw new MissingToolError(missing);
  return tools;
}

/**
 * Brings the local infrastructure up (`conecta-devstack up`) and resolves with
 * its endpoints. Idempotent: servers already running (pid file, live process,
 * ready) are reused; `KAFKA_BROKERS` / `MONGODB_URI`, when set, are used as they
 * are and nothing is started for them. The first run downloads the Kafka jars
 * with Maven and builds FerretDB with Go (minutes); later runs take seconds.
 * Waits for readiness up to `DEVSTACK_READY_TIMEOUT_MS` (default 120 s) per
 * server. Holds a lock so concurrent calls from several processes start one set.
 */
export async function ensureInfra(
  options: InfraOptions = {},
): Promise<InfraEndpoints> {
  const env = options.env ?? process.env;
  const settings = readSettings(env);
  const { paths } = settings;
  const startedAt = Date.now();

  const kafkaExternal = externalKafka(env);
  const mongoExternal = externalMongo(env);
  const kafkaBrokers = kafkaExternal ?? [`127.0.0.1:${settings.kafkaPort}`];
  const localMongoUri = `mongodb://127.0.0.1:${settings.mongoPort}`;
  const mongoUri = mongoExternal ?? localMongoUri;

  const release = await acquireLock(join(paths.run, 'devstack.lock'));
  try {
    const broker = sharedBroker(settings);
    const kafkaRunning = kafkaExternal
      ? undefined
      : await runningRecord(broker.pidPath);
    let mongoRunning = mongoExternal
      ? undefined
      : await runningRecord(mongoPidPath(paths));
    if (mongoRunning?.engine.includes('SQLite')) {
      // Left by a devstack from before FerretDB moved to PostgreSQL.
      say(`stopping ${mongoRunning.engine}: FerretDB now stores in PostgreSQL`);
      await stopProcess(mongoRunning.pid, mongoRunning.marker);
      mongoRunning = undefined;
    }
    const needKafka = !kafkaExternal && !kafkaRunning;
    const needMongo = !mongoExternal && !mongoRunning;

    const tools = await resolveTools(settings, env, needKafka, needMongo);

    // Maven is network-bound and Go is CPU-bound: provision both at once.
    await Promise.all([
      needKafka && tools.mvn ? provisionKafka(paths, tools.mvn) : undefined,
      needMongo && tools.engine === 'ferretdb' && tools.go && tools.git
        ? provisionFerretdb(paths, tools.go, tools.git)
        : undefined,
    ]);

    const kafkaReady = (async () => {
      if (kafkaExternal)
        return waitForKafka(kafkaBrokers, settings.readyTimeoutMs);
      if (kafkaRunning)
        return waitForKafka(
          kafkaBrokers,
          settings.readyTimeoutMs,
          label(kafkaRunning, 'Kafka'),
        );
      say(`starting Kafka on ${kafkaBrokers.join(',')}…`);
      const record = await startBroker(paths, tools.java as string, broker);
      return waitForKafka(
        kafkaBrokers,
        settings.readyTimeoutMs,
        label(record, 'Kafka'),
      );
    })();
    const mongoReady = (async () => {
      if (mongoExternal) return waitForMongo(mongoUri, settings.readyTimeoutMs);
      if (mongoRunning?.engine.startsWith('FerretDB'))
        await ensurePostgres(settings);
      if (mongoRunning)
        return waitForMongo(
          mongoUri,
          settings.readyTimeoutMs,
          label(mongoRunning, 'MongoDB'),
        );
      const engine = tools.engine as MongoEngine;
      if (engine === 'ferretdb') await ensurePostgres(settings);
      say(
        `starting ${engine === 'mongod' ? 'mongod' : 'FerretDB'} on ${localMongoUri}…`,
      );
      const record = await startMongo(settings, engine, tools.mongod);
      return waitForMongo(
        mongoUri,
        settings.readyTimeoutMs,
        label(record, 'MongoDB'),
      );
    })();
    // Both settle before we report, so a failure never leaves the other half-waited.
    const results = await Promise.allSettled([kafkaReady, mongoReady]);
    const failed = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    if (failed) throw failed.reason;

    if (needKafka || needMongo) say(`ready in ${secondsSince(startedAt)}`);
    return { mongoUri, kafkaBrokers };
  } finally {
    await release();
  }
}

/** Starts FerretDB's PostgreSQL unless it runs, and waits until it answers. */
async function ensurePostgres(settings: Settings): Promise<void> {
  const running = await runningRecord(postgresPidPath(settings.paths));
  if (running) return waitForPostgres(settings, label(running, 'PostgreSQL'));
  say(
    `starting PostgreSQL (FerretDB's storage) on 127.0.0.1:${settings.postgresPort}…`,
  );
  const record = await startPostgres(settings);
  await waitForPostgres(settings, label(record, 'PostgreSQL'));
}

function label(
  record: PidRecord,
  server: string,
): { pid: number; marker: string; logPath: string; label: string } {
  return {
    pid: record.pid,
    marker: record.marker,
    logPath: record.logPath,
    label: server,
  };
}

/** Pid files of every server devstack may have started: shared ones and launched brokers. */
async function pidFiles(paths: Paths): Promise<string[]> {
  const names = await readdir(paths.run).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(paths.run, name));
}

async function stopAll(paths: Paths): Promise<void> {
  const files = await pidFiles(paths);
  const postgres = postgresPidPath(paths);
  // FerretDB holds connections to PostgreSQL, whose shutdown waits for them: stop it last.
  await stopEach(files.filter((file) => file !== postgres));
  await stopEach(files.filter((file) => file === postgres));
}

async function stopEach(files: string[]): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const record = await readPidRecord(file);
      if (record) {
        const outcome = await stopProcess(record.pid, record.marker);
        if (outcome !== 'not-running') {
          say(`${outcome} ${record.engine} (pid ${record.pid})`);
        }
      }
      await rm(file, { force: true });
    }),
  );
}

/**
 * Stops every server devstack started under this state folder (shared ones and
 * brokers from launchKafka): SIGTERM, then SIGKILL after a 30 s grace period.
 * External servers are left alone. Resolves when all have exited.
 */
export async function stopInfra(options: InfraOptions = {}): Promise<void> {
  const { paths } = readSettings(options.env ?? process.env);
  const release = await acquireLock(join(paths.run, 'devstack.lock'));
  try {
    await stopAll(paths);
  } finally {
    await release();
  }
}

/** Each server's state (running, stopped or external), address, pid and log path. */
export async function infraStatus(
  options: InfraOptions = {},
): Promise<ServerStatus[]> {
  const env = options.env ?? process.env;
  const settings = readSettings(env);
  const { paths } = settings;
  const statuses: ServerStatus[] = [];

  const kafkaExternal = externalKafka(env);
  const broker = sharedBroker(settings);
  if (kafkaExternal) {
    statuses.push({
      name: 'kafka',
      state: 'external',
      address: kafkaExternal.join(','),
    });
  } else {
    statuses.push(
      describe(
        'kafka',
        `127.0.0.1:${settings.kafkaPort}`,
        broker.logPath,
        await runningRecord(broker.pidPath),
      ),
    );
  }

  const mongoExternal = externalMongo(env);
  if (mongoExternal) {
    statuses.push({ name: 'mongo', state: 'external', address: mongoExternal });
  } else {
    const engine: MongoEngine = findOnPath('mongod', env)
      ? 'mongod'
      : 'ferretdb';
    statuses.push(
      describe(
        'mongo',
        `mongodb://127.0.0.1:${settings.mongoPort}`,
        join(paths.logs, `${engine}.log`),
        await runningRecord(mongoPidPath(paths)),
      ),
    );
    if (engine === 'ferretdb') {
      statuses.push(
        describe(
          'postgres',
          `postgres://127.0.0.1:${settings.postgresPort}`,
          postgresLogPath(paths),
          await runningRecord(postgresPidPath(paths)),
        ),
      );
    }
  }

  for (const file of await pidFiles(paths)) {
    const name = file.slice(paths.run.length + 1, -'.json'.length);
    if (!name.startsWith('kafka-')) continue;
    const record = await runningRecord(file);
    if (record)
      statuses.push(describe(name, record.address, record.logPath, record));
  }
  return statuses;
}

function describe(
  name: string,
  address: string,
  logPath: string,
  record: PidRecord | undefined,
): ServerStatus {
  return record
    ? {
        name,
        state: 'running',
        address: record.address,
        engine: record.engine,
        pid: record.pid,
        logPath: record.logPath,
      }
    : { name, state: 'stopped', address, logPath };
}

/**
 * `down`, then deletes the data (Kafka topics, MongoDB databases), logs and
 * pid files. Keeps the download/build cache, so the next `up` takes seconds.
 */
export async function resetInfra(options: InfraOptions = {}): Promise<void> {
  const { paths } = readSettings(options.env ?? process.env);
  const release = await acquireLock(join(paths.run, 'devstack.lock'));
  try {
    await stopAll(paths);
    await rm(postgresDataDir(paths), { recursive: true, force: true });
    await rm(paths.data, { recursive: true, force: true });
    await rm(paths.logs, { recursive: true, force: true });
  } finally {
    await release();
  }
}
