import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { signIdentity, type Identity } from '@conecta/service-kit';
import type { Logger } from 'pino';
import { authenticate } from './auth';
import { subgraphUrl, type GatewayConfig } from './env';
import { SUBGRAPHS } from './subgraphs';

/** Composed at build time from every subgraph's schema.graphql (compose-cli). */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

// A JSON GraphQL request larger than this is abuse, not a query.
const MAX_BODY = '1mb';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
}

/** Forwards the caller's verified identity, signed, and the request id to subgraphs. */
class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loading run without a request context.
    if (!('identity' in context) || !context.identity) return;
    const headers = signIdentity(
      { ...context.identity, issuedAt: Date.now() },
      this.secret,
    );
    for (const [name, value] of Object.entries(headers))
      request.http?.headers.set(name, value);
    request.http?.headers.set('x-request-id', context.requestId);
  }
}

/**
 * Builds the gateway without listening: `start(port)` loads the supergraph and
 * listens; `stop()` stops accepting and drains in-flight requests.
 */
export function createGatewayServer(config: GatewayConfig, logger: Logger) {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) =>
      new IdentityForwardingDataSource(
        subgraphUrl(config, name, url ?? ''),
        config.IDENTITY_SECRET,
      ),
  });
  const app = express();
  const httpServer: Server = createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  let loaded = false;

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Ready when the supergraph is loaded and every subgraph answers its /health.
  app.get('/ready', async (_req, res) => {
    const checks: Record<string, string> = {
      supergraph: loaded ? 'ok' : 'not loaded',
    };
    await Promise.all(
      SUBGRAPHS.map(async (s) => {
        const url = subgraphUrl(config, s.name, s.url).replace(
          /\/graphql$/,
          '/health',
        );
        try {
          const response = await fetch(url, {
            signal: AbortSignal.timeout(2_000),
          });
          checks[s.name] = response.ok
            ? 'ok'
            : `error: HTTP ${response.status}`;
        } catch (err) {
          checks[s.name] =
            `error: ${err instanceof Error ? err.message : String(err)}`;
        }
      }),
    );
    const ready = Object.values(checks).every((c) => c === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  return {
    async start(port: number): Promise<string> {
      await apollo.start();
      loaded = true;
      app.use(
        '/graphql',
        express.json({ limit: MAX_BODY }),
        expressMiddleware(apollo, {
          context: async ({ req }) => {
            const requestId = req.header('x-request-id') ?? randomUUID();
            const identity = await authenticate(req.header('authorization'), {
              secret: config.JWT_SECRET,
              issuer: config.JWT_ISSUER,
              audience: config.JWT_AUDIENCE,
            });
            logger.debug(
              { requestId, subject: identity.subject, roles: identity.roles },
              'request',
            );
            return { identity, requestId };
          },
        }),
      );
      await new Promise<void>((resolve) => httpServer.listen(port, resolve));
      const address = httpServer.address();
      const actualPort =
        typeof address === 'object' && address ? address.port : port;
      return `http://localhost:${actualPort}/graphql`;
    },
    async stop(): Promise<void> {
      await apollo.stop();
    },
  };
}

export type GatewayServer = ReturnType<typeof createGatewayServer>;
