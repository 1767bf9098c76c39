import { join } from 'node:path';
import { eventually, type LaunchedService } from '@conecta/test-kit';
import pino from 'pino';
import { createLogger, type Role } from '@conecta/service-kit';
import { issueToken } from '../../src/auth';
import { parseGatewayConfig } from '../../src/env';
import { createGatewayServer, type GatewayServer } from '../../src/server';
import { urlVariable } from '../../src/subgraphs';
import {
  SHARED_SYSTEM_ENV,
  TEST_SYSTEM_IDENTITY_SECRET,
  startSubgraphs,
  type SharedSubgraphs,
} from './subgraphs';

export { TEST_SYSTEM_IDENTITY_SECRET };
const JWT_SECRET = 'gateway-test-jwt-secret-with-at-least-32-chars';
const JWT = { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' };

/** Who a request acts as: the claims of the bearer token. */
export interface Actor {
  sub: string;
  roles: Role[];
  org?: string;
}

export interface GraphQLResponse {
  status: number;
  data?: any;
  errors?: any[];
}

/** Subgraphs on their own databases and topics, the real gateway in front. */
export interface TestSystem {
  /** The Kafka the subgraphs publish to, and their topics' prefix. */
  infra: { kafkaBrokers: string[]; topicPrefix: string };
  subgraphs: Map<string, { graphqlUrl: string; baseUrl: string }>;
  gatewayUrl: string;
  /** `http://localhost:port` of the gateway's /ready and /metrics (operator port). */
  operatorUrl: string;
  /** A bearer token the gateway accepts for `actor`. */
  tokenFor(actor: Actor): Promise<string>;
  /** POSTs to the gateway as `actor` (anonymous when omitted). */
  post(body: unknown, actor?: Actor | string): Promise<GraphQLResponse>;
  /**
   * Sends one operation as `actor` and returns its data. While every error's
   * reason is in `waitFor` (another service's projection has not received the
   * event yet), it retries; any other error fails the test.
   */
  send(
    actor: Actor | undefined,
    query: string,
    variables?: Record<string, unknown>,
    waitFor?: readonly string[],
  ): Promise<any>;
  /** The extensions of the single error an operation is refused with. */
  refusal(
    actor: Actor | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<Record<string, any>>;
  /** Stops what this test file started (the gateway; its subgraphs if its own). */
  stop(): Promise<void>;
}

/** A system whose subgraph processes belong to the test file (it may stop them). */
export interface OwnTestSystem extends TestSystem {
  subgraphs: Map<string, LaunchedService>;
}

/**
 * Starts `services` (default: every subgraph) as real processes of this test
 * file alone, each on its own database of an isolated infra, and a gateway in
 * front of them. For tests that stop subgraphs or need their own; others use
 * {@link sharedTestSystem}.
 */
export async function startTestSystem(
  name: string,
  {
    services,
    gatewayEnv = {},
  }: {
    services?: readonly string[];
    gatewayEnv?: Record<string, string>;
  } = {},
): Promise<OwnTestSystem> {
  const running = await startSubgraphs(name, {
    ...(services ? { services } : {}),
    // Subgraphs have depth and cost ceilings of their own, above the
    // gateway's (an entity fetch adds a level): a test that raises the
    // gateway's limits raises theirs with it.
    env: {
      ...(gatewayEnv['MAX_DEPTH']
        ? { MAX_DEPTH: String(Number(gatewayEnv['MAX_DEPTH']) + 4) }
        : {}),
      ...(gatewayEnv['MAX_COST']
        ? { MAX_COST: String(Number(gatewayEnv['MAX_COST']) * 2) }
        : {}),
    },
  });
  try {
    const system = await frontGateway(name, {
      infra: running.infra,
      subgraphs: running.subgraphs,
      logDir: running.logDir,
      gatewayEnv,
      stopBehind: running.stop,
    });
    return { ...system, subgraphs: running.subgraphs };
  } catch (error) {
    await running.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * A gateway of this test file's own (in-process, so `gatewayEnv` is its
 * alone) in front of the subgraphs the jest global setup started once for
 * the run (test/support/global-setup.ts). Test files share the subgraphs'
 * databases: each isolates its data by unique ids, codes and names, and
 * filters what it reads by them. `stop()` stops the gateway only.
 */
export async function sharedTestSystem(
  name: string,
  { gatewayEnv = {} }: { gatewayEnv?: Record<string, string> } = {},
): Promise<TestSystem> {
  const raw = process.env[SHARED_SYSTEM_ENV];
  if (!raw)
    throw new Error(
      `${SHARED_SYSTEM_ENV} is not set: this file runs in the gateway's ` +
        '`system` jest project, whose global setup starts the shared subgraphs ' +
        '(run it with `npx jest` from gateway/).',
    );
  const shared = JSON.parse(raw) as SharedSubgraphs;
  return frontGateway(name, {
    infra: {
      kafkaBrokers: shared.kafkaBrokers,
      topicPrefix: shared.topicPrefix,
    },
    subgraphs: new Map(Object.entries(shared.urls)),
    logDir: shared.logDir,
    gatewayEnv,
    stopBehind: async () => undefined,
  });
}

/** The real gateway (in this process) in front of `subgraphs`, and the test helpers around it. */
async function frontGateway(
  name: string,
  {
    infra,
    subgraphs,
    logDir,
    gatewayEnv,
    stopBehind,
  }: {
    infra: TestSystem['infra'];
    subgraphs: TestSystem['subgraphs'];
    logDir: string;
    gatewayEnv: Record<string, string>;
    stopBehind: () => Promise<void>;
  },
): Promise<TestSystem> {
  const gateway: GatewayServer = createGatewayServer(
    parseGatewayConfig({
      PORT: '0',
      IDENTITY_SECRET: TEST_SYSTEM_IDENTITY_SECRET,
      JWT_SECRET,
      LOG_LEVEL: 'silent',
      // The response cache is on, as in production: it learns what changed
      // from Kafka's offsets.
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      ...Object.fromEntries(
        [...subgraphs].map(([s, { graphqlUrl }]) => [
          urlVariable(s),
          graphqlUrl,
        ]),
      ),
      ...gatewayEnv,
    }),
    // Errors only (an INTERNAL answer is logged with its cause), beside the
    // subgraphs' logs.
    createLogger({
      name: `${name}-gateway`,
      level: 'error',
      destination: pino.destination({
        dest: join(logDir, `${name}-gateway.log`),
        sync: true,
      }),
    }),
  );
  const stop = async () => {
    try {
      await gateway.stop();
    } finally {
      await stopBehind();
    }
  };
  try {
    const gatewayUrl = await gateway.start(0);
    const tokens = new Map<string, Promise<string>>();
    const tokenFor = (actor: Actor) => {
      const key = JSON.stringify(actor);
      if (!tokens.has(key)) tokens.set(key, issueToken(actor, JWT));
      return tokens.get(key)!;
    };
    const system: TestSystem = {
      infra,
      subgraphs,
      gatewayUrl,
      operatorUrl: gateway.operatorUrl()!,
      tokenFor,
      async post(body, actor) {
        const token =
          typeof actor === 'string' ? actor : actor && (await tokenFor(actor));
        const response = await fetch(gatewayUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            // An English-speaking client: the API answers Spanish by default.
            'accept-language': 'en',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return {
          status: response.status,
          ...((await response.json()) as object),
        };
      },
      send(actor, query, variables = {}, waitFor = []) {
        const what = `${query.trim().slice(0, 70)}…`;
        return eventually(
          async () => {
            const { data, errors } = await system.post(
              { query, variables },
              actor,
            );
            if (!errors) return data as object;
            if (errors.every((e) => waitFor.includes(e.extensions?.reason)))
              return undefined;
            throw new Error(`${what}: ${JSON.stringify(errors)}`);
          },
          { timeoutMs: 30_000, what },
        );
      },
      async refusal(actor, query, variables = {}) {
        const { data, errors } = await system.post({ query, variables }, actor);
        expect({ data, errors }).toMatchObject({ errors: [expect.anything()] });
        expect(errors).toHaveLength(1);
        return errors![0].extensions;
      },
      stop,
    };
    return system;
  } catch (error) {
    // What runs behind is the caller's to stop.
    await gateway.stop().catch(() => undefined);
    throw error;
  }
}
