import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureInfra, launchKafka, stopInfra } from '@conecta/devstack';
import type { KafkaHandle } from '@conecta/devstack';
import { MongoClient } from 'mongodb';

/**
 * Ports of the suite's own servers, apart from the shared devstack (9092,
 * 27017, 27432), the events tests' brokers (291xx) and devstack's own test
 * (293xx): other developers' tests keep running while the suite takes its
 * servers down.
 */
export const PRIVATE_PORTS = {
  kafka: 29_492,
  mongo: 29_493,
  postgres: 29_494,
  kafkaController: 29_495,
} as const;

/** The suite's private Kafka, FerretDB and PostgreSQL, and the faults it can inflict on them. */
export interface PrivateStack {
  readonly kafkaBrokers: string[];
  /** `mongodb://127.0.0.1:29493` (no database: each scenario names its own). */
  readonly mongoUri: string;
  /** Where the servers keep data, logs and pid files. */
  readonly home: string;
  /** Stops the broker (SIGTERM, as an orchestrator does) and resolves once it exited. */
  stopKafka(): Promise<void>;
  /** Starts the broker again on its data and resolves once it answers. */
  startKafka(): Promise<void>;
  /** Kills FerretDB (SIGKILL, a crash) and resolves once it is gone. */
  stopDatabase(): Promise<void>;
  /** Starts FerretDB again (PostgreSQL kept its data) and resolves once it answers. */
  startDatabase(): Promise<void>;
  /** Stops every server of the stack. */
  destroy(): Promise<void>;
}

/**
 * Starts the private stack through devstack: a throwaway broker
 * (`launchKafka`), and FerretDB on PostgreSQL under a state folder of its own
 * (`ensureInfra` with `DEVSTACK_HOME` and ports moved), so `stopInfra` on that
 * folder stops exactly these servers.
 */
export async function startPrivateStack(
  repoRoot: string,
  say: (line: string) => void,
): Promise<PrivateStack> {
  const home = join(repoRoot, '.devstack', 'faults');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEVSTACK_HOME: home,
    DEVSTACK_KAFKA_PORT: String(PRIVATE_PORTS.kafka),
    DEVSTACK_KAFKA_CONTROLLER_PORT: String(PRIVATE_PORTS.kafkaController),
    DEVSTACK_MONGO_PORT: String(PRIVATE_PORTS.mongo),
    DEVSTACK_POSTGRES_PORT: String(PRIVATE_PORTS.postgres),
    // Never the shared servers, whatever the caller's environment says.
    MONGODB_URI: '',
  };
  say(`starting a private Kafka on 127.0.0.1:${PRIVATE_PORTS.kafka}…`);
  const kafka: KafkaHandle = await launchKafka({
    name: 'faults',
    port: PRIVATE_PORTS.kafka,
    controllerPort: PRIVATE_PORTS.kafkaController,
    env,
  });
  // The broker above is ours; ensureInfra then starts only the MongoDB side.
  const mongoEnv = { ...env, KAFKA_BROKERS: kafka.brokers.join(',') };
  say(
    `starting a private FerretDB on 127.0.0.1:${PRIVATE_PORTS.mongo} (PostgreSQL on ${PRIVATE_PORTS.postgres})…`,
  );
  const { mongoUri } = await ensureInfra({ env: mongoEnv });
  const mongoPidFile = join(home, 'run', 'mongo.json');

  return {
    kafkaBrokers: kafka.brokers,
    mongoUri,
    home,
    stopKafka: () => kafka.stop(),
    startKafka: () => kafka.start(),
    async stopDatabase() {
      const { pid } = JSON.parse(await readFile(mongoPidFile, 'utf8')) as {
        pid: number;
      };
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await sleep(100);
      // A fresh client must now fail: the server is really gone.
      const probe = new MongoClient(mongoUri, {
        serverSelectionTimeoutMS: 500,
      });
      const answers = await probe
        .db('admin')
        .command({ ping: 1 })
        .then(
          () => true,
          () => false,
        )
        .finally(() => probe.close().catch(() => undefined));
      if (answers)
        throw new Error(`FerretDB (pid ${pid}) still answers after SIGKILL`);
    },
    async startDatabase() {
      await ensureInfra({ env: mongoEnv });
    },
    async destroy() {
      await kafka.destroy().catch(() => undefined);
      await stopInfra({ env: mongoEnv });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
