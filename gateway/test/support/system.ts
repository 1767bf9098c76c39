import {
  eventually,
  isolatedInfra,
  launchService,
  mongoUriWithDatabase,
  type IsolatedInfra,
  type LaunchedService,
} from '@conecta/test-kit';
import { MongoClient } from 'mongodb';
import { createLogger, type Role } from '@conecta/service-kit';
import { issueToken } from '../../src/auth';
import { parseGatewayConfig } from '../../src/env';
import { createGatewayServer, type GatewayServer } from '../../src/server';
import { SUBGRAPHS, urlVariable } from '../../src/subgraphs';

/** The secret the test gateway signs identities with (tests tamper with it). */
export const TEST_SYSTEM_IDENTITY_SECRET =
  'gateway-test-identity-secret-with-32-chars';
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

/** Real subgraph processes on their own databases and topics, the real gateway in front. */
export interface TestSystem {
  infra: IsolatedInfra;
  subgraphs: Map<string, LaunchedService>;
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
  stop(): Promise<void>;
}

/**
 * Starts `services` (default: every subgraph) as real processes, each on its own
 * database of an isolated infra, and a gateway in front of them.
 */
export async function startTestSystem(
  name: string,
  {
    services = SUBGRAPHS.map((s) => s.name),
    gatewayEnv = {},
  }: {
    services?: readonly string[];
    gatewayEnv?: Record<string, string>;
  } = {},
): Promise<TestSystem> {
  const infra = isolatedInfra(name);
  const subgraphs = new Map<string, LaunchedService>();
  let gateway: GatewayServer | undefined;
  const stop = async () => {
    try {
      await gateway?.stop();
    } finally {
      await Promise.all([...subgraphs.values()].map((s) => s.stop()));
      await dropServiceDatabases();
      await infra.cleanup();
    }
  };
  // Each subgraph has a database of its own, beside the gateway's.
  const serviceDb = (service: string) => `${infra.dbName}_${service}`;
  const dropServiceDatabases = async () => {
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
  };
  try {
    const launched = await Promise.all(
      services.map((service) =>
        launchService({
          name: service,
          script: require.resolve(`@conecta/${service}/dist/index.js`),
          env: {
            SERVICE_NAME: service,
            MONGODB_URI: mongoUriWithDatabase(
              infra.mongoUri,
              serviceDb(service),
            ),
            KAFKA_BROKERS: infra.kafkaBrokers.join(','),
            KAFKA_TOPIC_PREFIX: infra.topicPrefix,
            IDENTITY_SECRET: TEST_SYSTEM_IDENTITY_SECRET,
            LOG_LEVEL: 'warn',
            // /ready and /metrics on a free port of their own.
            OPERATOR_PORT: '0',
            // Subgraphs have depth and cost ceilings of their own, above the
            // gateway's (an entity fetch adds a level): a test that raises the
            // gateway's limits raises theirs with it.
            ...(gatewayEnv['MAX_DEPTH']
              ? { MAX_DEPTH: String(Number(gatewayEnv['MAX_DEPTH']) + 4) }
              : {}),
            ...(gatewayEnv['MAX_COST']
              ? { MAX_COST: String(Number(gatewayEnv['MAX_COST']) * 2) }
              : {}),
          },
        }).then((s) => subgraphs.set(service, s).get(service)!),
      ),
    );
    gateway = createGatewayServer(
      parseGatewayConfig({
        PORT: '0',
        IDENTITY_SECRET: TEST_SYSTEM_IDENTITY_SECRET,
        JWT_SECRET,
        LOG_LEVEL: 'silent',
        ...Object.fromEntries(
          services.map((s, i) => [urlVariable(s), launched[i]!.graphqlUrl]),
        ),
        ...gatewayEnv,
      }),
      createLogger({ name: `${name}-gateway`, level: 'silent' }),
    );
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
    await stop().catch(() => undefined);
    throw error;
  }
}
