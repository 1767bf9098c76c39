import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { parse } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import { createLogger } from '@conecta/service-kit';
import { parseGatewayConfig } from '../../src/env';
import {
  createGatewayServer,
  type GatewayServer,
  type GatewayServerOptions,
} from '../../src/server';

// Two tiny subgraphs built in the test: `fast` owns Thing, `slow` adds a field
// to it that takes `slow.delayMs` to resolve. Composed into a supergraph the
// real gateway serves, so limits, timeouts and headers are tested without
// MongoDB or Kafka.
export const IDENTITY_SECRET = 'stub-identity-secret-with-at-least-32-chars';
export const JWT_SECRET = 'stub-jwt-secret-with-at-least-32-characters!';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;

interface Thing {
  id: string;
}

export interface StubSubgraph {
  name: string;
  url: string;
  typeDefs: string;
  /** Headers of every request received, oldest first. */
  received: IncomingHttpHeaders[];
  /** The raw body of every request received, in the same order. */
  bodies: string[];
  /** How long `slow` takes per request (ms). */
  delayMs: number;
  stop(): Promise<void>;
}

export async function startStub(
  name: string,
  typeDefs: string,
  resolvers: (stub: StubSubgraph) => object,
): Promise<StubSubgraph> {
  const app = express();
  const httpServer: Server = createServer(app);
  const stub: StubSubgraph = {
    name,
    url: '',
    typeDefs,
    received: [],
    bodies: [],
    delayMs: 0,
    stop: async () => {
      await apollo.stop();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(typeDefs),
      resolvers: resolvers(stub) as never,
    }),
  });
  await apollo.start();
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use(
    '/graphql',
    (req, _res, next) => {
      stub.received.push(req.headers);
      next();
    },
    express.json({
      verify: (_req, _res, buf) => void stub.bodies.push(buf.toString('utf8')),
    }),
    expressMiddleware(apollo),
  );
  await new Promise<void>((resolve) =>
    httpServer.listen(0, '127.0.0.1', resolve),
  );
  const { port } = httpServer.address() as AddressInfo;
  stub.url = `http://127.0.0.1:${port}/graphql`;
  return stub;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export interface StubWorld {
  fast: StubSubgraph;
  slow: StubSubgraph;
  supergraphSdl: string;
  stop(): Promise<void>;
}

export async function startStubWorld(): Promise<StubWorld> {
  const fast = await startStub(
    'fast',
    `${FEDERATION}
     type Query { thing: Thing things(n: Int!): [Thing!]! }
     type Thing @key(fields: "id") { id: ID! name: String! child: Thing }`,
    () => ({
      Query: {
        thing: () => ({ id: '1' }),
        things: (_: unknown, { n }: { n: number }) =>
          Array.from({ length: n }, (_x, i) => ({ id: String(i + 1) })),
      },
      Thing: {
        name: ({ id }: Thing) => `thing ${id}`,
        child: ({ id }: Thing) => ({ id: `${id}.1` }),
      },
    }),
  );
  const slow = await startStub(
    'slow',
    `${FEDERATION}
     type Query { slowHello: String }
     type Mutation { touchSlow: String }
     type Thing @key(fields: "id") { id: ID! slowField: String }`,
    (stub) => ({
      Mutation: { touchSlow: () => 'touched' },
      Query: {
        slowHello: async () => {
          await sleep(stub.delayMs);
          return 'hello';
        },
      },
      Thing: {
        __resolveReference: async (thing: Thing) => {
          await sleep(stub.delayMs);
          return thing;
        },
        slowField: ({ id }: Thing) => `slow ${id}`,
      },
    }),
  );
  const composed = composeServices(
    [fast, slow].map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(s.typeDefs),
    })),
  );
  if (composed.errors) throw new Error(composed.errors.join('\n'));
  return {
    fast,
    slow,
    supergraphSdl: composed.supergraphSdl,
    stop: async () => {
      await fast.stop();
      await slow.stop();
    },
  };
}

export interface StartedGateway {
  server: GatewayServer;
  url: string;
  base: string;
  /** `http://127.0.0.1:port` of /ready and /metrics (the operator port). */
  operator: string;
  /** Every log line the gateway wrote, parsed. */
  logs: Record<string, unknown>[];
}

/** The real gateway in front of the stub world, with config overrides. */
export function startGatewayOn(
  world: StubWorld,
  env: Record<string, string> = {},
  options: Pick<GatewayServerOptions, 'apiKeyVerifier'> = {},
): Promise<StartedGateway> {
  return startGatewayOver(
    [world.fast, world.slow],
    world.supergraphSdl,
    env,
    options,
  );
}

/** The real gateway in front of stub subgraphs composed as `supergraphSdl`, with config overrides. */
export async function startGatewayOver(
  subgraphs: readonly StubSubgraph[],
  supergraphSdl: string,
  env: Record<string, string> = {},
  options: Pick<
    GatewayServerOptions,
    'apiKeyVerifier' | 'answerSingleFetchAsSent'
  > = {},
): Promise<StartedGateway> {
  const logs: Record<string, unknown>[] = [];
  const config = parseGatewayConfig({
    PORT: '0',
    IDENTITY_SECRET,
    JWT_SECRET,
    LOG_LEVEL: 'info',
    ...env,
  });
  const server = createGatewayServer(
    config,
    createLogger({
      name: 'gateway-test',
      level: 'info',
      destination: {
        write: (line: string) => void logs.push(JSON.parse(line)),
      },
    }),
    {
      supergraphSdl,
      subgraphs: subgraphs.map((s) => ({ name: s.name, url: s.url })),
      ...options,
    },
  );
  const url = (await server.start(0)).replace('localhost', '127.0.0.1');
  return {
    server,
    url,
    base: url.replace(/\/graphql$/, ''),
    operator: server.operatorUrl()!.replace('localhost', '127.0.0.1'),
    logs,
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: any[] };
}

/**
 * POSTs a GraphQL request (or any body) to the gateway, as an
 * English-speaking client (`Accept-Language: en`; the API answers Spanish by
 * default) unless `headers` say otherwise.
 */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'en',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer['body'],
  };
}
