import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  isolatedInfra,
  launchService,
  mongoUriWithDatabase,
  type IsolatedInfra,
  type LaunchedService,
} from '@conecta/test-kit';
import { MongoClient } from 'mongodb';
import { SUBGRAPHS } from '../../src/subgraphs';

// The subgraph processes of a gateway test system, apart from the gateway
// (which runs in the test's own process): the jest global setup imports this
// file, so it imports nothing of the gateway beyond the subgraph list.

/** The secret the test gateway signs identities with (tests tamper with it). */
export const TEST_SYSTEM_IDENTITY_SECRET =
  'gateway-test-identity-secret-with-32-chars';

/** Real subgraph processes, each on its own database of one isolated infra. */
export interface RunningSubgraphs {
  infra: IsolatedInfra;
  subgraphs: Map<string, LaunchedService>;
  /** The folder of `<service>.log` (each process's output) and `gateway.log`. */
  logDir: string;
  /** Stops every process, then drops their databases. */
  stop(): Promise<void>;
}

/**
 * Starts `services` (default: every subgraph) as real processes, each on its
 * own database (`<infra db>_<service>`) and the infra's topic prefix, signed
 * with {@link TEST_SYSTEM_IDENTITY_SECRET}. `env` is added to each one's
 * (e.g. depth and cost ceilings). If one fails to start, the others are
 * stopped before the error is thrown.
 */
export async function startSubgraphs(
  name: string,
  {
    services = SUBGRAPHS.map((s) => s.name),
    env = {},
  }: {
    services?: readonly string[];
    env?: Record<string, string>;
  } = {},
): Promise<RunningSubgraphs> {
  const infra = isolatedInfra(name);
  const logDir = join(tmpdir(), 'conecta-gateway-tests', infra.dbName);
  mkdirSync(logDir, { recursive: true });
  const serviceDb = (service: string) => `${infra.dbName}_${service}`;
  const subgraphs = new Map<string, LaunchedService>();
  const stop = async () => {
    try {
      await Promise.all([...subgraphs.values()].map((s) => s.stop()));
    } finally {
      const client = new MongoClient(infra.mongoUri, {
        serverSelectionTimeoutMS: 5_000,
      });
      try {
        await client.connect();
        for (const service of services)
          await client.db(serviceDb(service)).dropDatabase();
      } finally {
        await client.close();
      }
      await infra.cleanup();
    }
  };
  // allSettled, not all: a failed start must not leave the others running
  // unseen (they would keep jest from exiting).
  const launched = await Promise.allSettled(
    services.map(async (service) => {
      const started = await launchService({
        name: service,
        // The built entry point next to the schema SUBGRAPHS names: no
        // node_modules link needed for a service newer than the last install.
        script: scriptOf(service),
        // Each subgraph's output, for reading after a failure.
        logFile: join(logDir, `${service}.log`),
        env: {
          SERVICE_NAME: service,
          MONGODB_URI: mongoUriWithDatabase(infra.mongoUri, serviceDb(service)),
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: infra.topicPrefix,
          IDENTITY_SECRET: TEST_SYSTEM_IDENTITY_SECRET,
          LOG_LEVEL: process.env.SUBGRAPH_LOG_LEVEL ?? 'warn',
          // /ready and /metrics on a free port of their own.
          OPERATOR_PORT: '0',
          ...env,
        },
      });
      subgraphs.set(service, started);
    }),
  );
  const failed = launched.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failed) {
    await stop().catch(() => undefined);
    throw failed.reason;
  }
  return { infra, subgraphs, logDir, stop };
}

/** A subgraph's built entry point, `services/<name>/dist/index.js`. */
function scriptOf(service: string): string {
  const definition = SUBGRAPHS.find((s) => s.name === service);
  if (!definition) throw new Error(`${service} is not a subgraph of SUBGRAPHS`);
  return join(dirname(definition.schemaPath), 'dist', 'index.js');
}

/**
 * The environment variable through which the jest global setup hands the
 * shared subgraphs to the test files (JSON of {@link SharedSubgraphs}).
 */
export const SHARED_SYSTEM_ENV = 'CONECTA_GATEWAY_TEST_SUBGRAPHS';

/** What a test file needs to put a gateway in front of the shared subgraphs. */
export interface SharedSubgraphs {
  urls: Record<string, { graphqlUrl: string; baseUrl: string }>;
  kafkaBrokers: string[];
  topicPrefix: string;
  logDir: string;
}

/** Where global-teardown.ts finds global-setup.ts's processes (jest runs both hooks in one process). */
export const SHARED_RUNNING = Symbol.for('conecta.gateway.sharedSubgraphs');

/**
 * The ceilings of the shared subgraphs: above what any gateway in front of
 * them allows (access-matrix.test.ts raises its gateway to depth 20 and cost
 * 1,000,000; an entity fetch adds levels), so the gateway's own limits are
 * the ones tested (protection.test.ts), as with startTestSystem's gatewayEnv.
 */
export const SHARED_SUBGRAPH_ENV = { MAX_DEPTH: '24', MAX_COST: '2000000' };
