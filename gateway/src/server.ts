import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import {
  ApolloServer,
  HeaderMap,
  type ApolloServerPlugin,
} from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { SERVICE_NAMES, createKafka, watchDataChanges } from '@conecta/events';
import {
  ACCEPT_LANGUAGE_HEADER,
  CONTENT_LANGUAGE_HEADER,
  DEFAULT_LANGUAGE,
  ERROR_KINDS,
  INTERNAL_ERROR_MESSAGES,
  contentLanguage,
  endServerSpan,
  kafkaOptionsFrom,
  negotiateLanguage,
  noteGraphQLOperation,
  startServerSpan,
  startTracing,
  type Language,
  type ServerSpan,
} from '@conecta/service-kit';
import { context as otelContext } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { createApiKeyStore, type ApiKeyStore } from './api-key-store';
import {
  API_KEY_HEADER,
  createAuthenticator,
  type ApiKeyVerifier,
  type Caller,
} from './auth';
import {
  CERTIFICATION_DOCUMENTS_PATH,
  certificationDocumentsRouter,
} from './certification-documents';
import type { GatewayContext, RequestObservation } from './context';
import {
  DASHBOARD_PATH,
  dashboardDirectory,
  dashboardRouter,
} from './dashboard';
import { subgraphTimeoutMs, subgraphUrl, type GatewayConfig } from './env';
import { rememberExecutorOperations } from './executor-operations';
import {
  IDEMPOTENCY_KEY_HEADER,
  idempotencyFrom,
  idempotencyPlugin,
} from './idempotency';
import { gatewayMessage, localizeGatewayError } from './messages';
import { createMetrics } from './metrics';
import { openDataRouter } from './open-data';
import {
  allowlistPlugin,
  persistedQueryCache,
  queryLimits,
  readOperationManifest,
  type OperationManifest,
} from './protection';
import { createRateLimits } from './rate-limit';
import { createResponseCache } from './response-cache';
import { createSingleFetchShortcut } from './single-fetch';
import { SUBGRAPH_UNAVAILABLE, SubgraphDataSource } from './subgraph-source';
import { SUBGRAPHS } from './subgraphs';

export type { GatewayContext } from './context';

/** Composed at build time from every subgraph's schema.graphql (compose-cli). */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

/** `extensions.code` of a request over its rate limit (HTTP 429). */
export const RATE_LIMITED = 'RATE_LIMITED';

// Incoming request ids are echoed into logs and headers: accept only a safe,
// bounded token (UUIDs and the like) and generate one otherwise.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
// Each readiness probe of a subgraph may take this long before it counts as down.
const READY_PROBE_MS = 2_000;
/**
 * The response cache's watcher pauses its polls of Kafka's offsets after this
 * long without a cache lookup; the next lookup reads them first (a few ms).
 * An idle gateway, or one asked only `no-cache` queries, then costs Kafka and
 * its own CPU nothing for the cache (issue 18's idle figure).
 */
const RESPONSE_CACHE_IDLE_MS = 2_000;

// Codes whose message is meant for the caller: Apollo's request errors, the
// domain kinds (from subgraphs or the gateway's own auth), the gateway's own.
// Anything else that originates in the gateway is masked as INTERNAL.
const PASS_THROUGH_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ApolloServerErrorCode),
  ...ERROR_KINDS,
  'INTERNAL',
  SUBGRAPH_UNAVAILABLE,
  RATE_LIMITED,
]);

export interface GatewayServerOptions {
  /**
   * The supergraph to serve; defaults to the committed supergraph.graphql
   * (ignored with `SUPERGRAPH_SOURCE=introspect`).
   */
  supergraphSdl?: string;
  /**
   * The subgraphs /ready probes (and, with `SUPERGRAPH_SOURCE=introspect`,
   * composes); defaults to SUBGRAPHS with their URL variables.
   */
  subgraphs?: readonly { name: string; url: string }[];
  /**
   * Looks up API keys instead of the MONGODB_URI store (tests count the
   * lookups); defaults to the store, or no API keys without MONGODB_URI.
   */
  apiKeyVerifier?: ApiKeyVerifier;
  /**
   * Answers a query planned as one fetch with the subgraph's data as sent
   * when Apollo's result shaping would change nothing (single-fetch.ts);
   * default true (tests compare both ways).
   */
  answerSingleFetchAsSent?: boolean;
}

/**
 * Builds the gateway without listening: `start(port)` connects the API key
 * store (when MONGODB_URI is set), loads the supergraph and listens; `stop()`
 * stops accepting, drains in-flight requests and closes the store.
 */
export function createGatewayServer(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayServerOptions = {},
) {
  // Process-wide, once (index.ts starts it first, with the exporter the
  // OTEL_* variables configure): every request gets a server span.
  startTracing({ serviceName: 'gateway' });
  const metrics = createMetrics();
  const subgraphs =
    options.subgraphs ??
    SUBGRAPHS.map((s) => ({
      name: s.name,
      url: subgraphUrl(config, s.name, s.url),
    }));
  // @apollo/gateway sends usage data to Apollo unless told not to: a national
  // registry's traffic stays here unless an operator sets it to 'false'.
  process.env['APOLLO_TELEMETRY_DISABLED'] = String(
    config.APOLLO_TELEMETRY_DISABLED,
  );
  const singleFetch = createSingleFetchShortcut();
  // Each operation built once per parsed document for Apollo's result
  // shaping, not on every request (executor-operations.ts).
  rememberExecutorOperations();
  const gateway = new ApolloGateway({
    supergraphSdl:
      config.SUPERGRAPH_SOURCE === 'introspect'
        ? // Dev mode: compose at start from the running subgraphs (each
          // `_service { sdl }` request signed by SubgraphDataSource).
          new IntrospectAndCompose({
            subgraphs: [...subgraphs],
            ...(config.SUPERGRAPH_POLL_MS > 0
              ? { pollIntervalInMs: config.SUPERGRAPH_POLL_MS }
              : {}),
          })
        : (options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8')),
    buildService: ({ name, url }) =>
      singleFetch.source(
        name,
        new SubgraphDataSource({
          name,
          url: subgraphUrl(config, name, url ?? ''),
          identitySecret: config.IDENTITY_SECRET,
          timeoutMs: subgraphTimeoutMs(config, name),
          metrics,
        }),
      ),
    experimental_didResolveQueryPlan: (resolved) =>
      singleFetch.didResolveQueryPlan(resolved),
  });
  const apiKeys: ApiKeyStore | undefined = config.MONGODB_URI
    ? createApiKeyStore({
        uri: config.MONGODB_URI,
        cacheMs: config.API_KEY_CACHE_MS,
      })
    : undefined;
  const authenticate = createAuthenticator(
    {
      ...(config.JWT_SECRET ? { secret: config.JWT_SECRET } : {}),
      ...(config.JWT_JWKS_URL ? { jwksUrl: config.JWT_JWKS_URL } : {}),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
    },
    options.apiKeyVerifier ?? apiKeys,
  );
  const rateLimits = createRateLimits({ perIp: config.RATE_LIMIT_PER_IP });
  const manifest: OperationManifest = config.OPERATION_ALLOWLIST_PATH
    ? readOperationManifest(config.OPERATION_ALLOWLIST_PATH)
    : new Map();
  const limits = queryLimits({
    maxDepth: config.MAX_DEPTH,
    maxAliases: config.MAX_ALIASES,
    maxTokens: config.MAX_TOKENS,
    maxCost: config.MAX_COST,
    maxDirectives: config.MAX_DIRECTIVES,
  });
  // The response cache needs to see changes: it runs only with Kafka.
  const changes =
    config.KAFKA_BROKERS && config.RESPONSE_CACHE_TTL_MS > 0
      ? watchDataChanges(
          createKafka(
            kafkaOptionsFrom(
              { ...config, KAFKA_BROKERS: config.KAFKA_BROKERS },
              'gateway',
              logger,
            ),
          ),
          {
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            intervalMs: config.RESPONSE_CACHE_POLL_MS,
            // Offsets are read only while the cache is looked up.
            idleAfterMs: RESPONSE_CACHE_IDLE_MS,
            onChange: (services) => responseCache.invalidate(services),
          },
        )
      : undefined;
  const responseCache = createResponseCache({
    ttlMs: config.RESPONSE_CACHE_TTL_MS,
    maxBytes: config.RESPONSE_CACHE_MAX_MB * 1_048_576,
    isCurrent: async () => (await changes?.fresh()) ?? false,
    watched: (subgraph) =>
      (SERVICE_NAMES as readonly string[]).includes(subgraph),
    observe: (status) => metrics.observeCache(status),
  });
  const probed = subgraphs.map((s) => ({
    name: s.name,
    health: s.url.replace(/\/graphql$/, '/health'),
  }));

  const app = express();
  // Nearly every request is POST /graphql: that exact path goes straight to
  // the /graphql pipeline, with what Express's app.handle gives a request
  // (its request and response prototypes: req.ip under 'trust proxy',
  // res.json…; res.locals) but without a pass through its router (a profile
  // under load showed it). Every other path (/graphql/… and other cases
  // included) goes through Express, which routes /graphql to the same
  // pipeline.
  const httpServer: Server = createServer((req, res) => {
    if (!graphqlPipeline || !isGraphqlPath(req.url)) return app(req, res);
    const request = Object.setPrototypeOf(req, app.request) as Request;
    const response = Object.setPrototypeOf(res, app.response) as Response;
    request.res = response;
    response.req = request;
    response.locals = Object.create(null) as Response['locals'];
    graphqlPipeline(request, response, (err?: unknown) => {
      if (err) errorHandler(err, request, response, () => undefined);
      else app(req, res);
    });
  });
  // /ready and /metrics: for the operator's probes and scraper, on a port of
  // their own that the load balancer does not route.
  const operatorApp = express();
  const operatorServer: Server = createServer(operatorApp);
  let operatorAddress: string | undefined;
  // The request's language for formatError, which sees no request (errors
  // of the context, such as authentication and rate limits, have no context
  // either); it lives and dies with this server.
  const requestLanguage = new AsyncLocalStorage<Language>();
  const apollo = new ApolloServer<GatewayContext>({
    gateway:
      options.answerSingleFetchAsSent === false
        ? gateway
        : singleFetch.gateway(gateway),
    includeStacktraceInErrorResponses: false,
    // Batched HTTP requests would multiply every per-request limit.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    persistedQueries: config.APQ_ENABLED
      ? { cache: persistedQueryCache(manifest) }
      : false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: (formatted, error) =>
      localizeGatewayError(
        formatError(formatted, error, logger),
        requestLanguage.getStore() ?? DEFAULT_LANGUAGE,
      ),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...limits.plugins,
      allowlistPlugin(config.ALLOWLIST_MODE, manifest),
      observationPlugin(),
      idempotencyPlugin(),
      ...(changes ? [responseCache.plugin] : []),
    ],
  });
  let loaded = false;

  app.disable('x-powered-by');
  operatorApp.disable('x-powered-by');
  if (config.TRUST_PROXY_HOPS > 0)
    app.set('trust proxy', config.TRUST_PROXY_HOPS);
  // /graphql first: nearly every request is one, and Express tries its
  // layers in order. One layer, whose pipeline start() fills once Apollo has
  // started (until then the request goes on to the other routes, as any
  // unknown path): a mounted app or router of its own would cost each
  // request a second pass of Express's routing (a profile under load showed
  // it).
  let graphqlPipeline: RequestHandler | undefined;
  const errorHandler = httpErrorHandler(logger);
  app.use('/graphql', (req, res, next) => {
    if (graphqlPipeline) graphqlPipeline(req, res, next);
    else next();
  });

  const health: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };
  app.get('/health', health);
  operatorApp.get('/health', health);
  // The universities' dashboard: static files, same origin as /graphql.
  app.use(DASHBOARD_PATH, dashboardRouter(dashboardDirectory()));
  // Certificates' public documents (issuer profiles, keys, status lists),
  // charged to the client address's budget like /graphql: public, not free.
  app.use(CERTIFICATION_DOCUMENTS_PATH, (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    rateLimits.consumeIp(ip).then((retryAfterSeconds) => {
      if (retryAfterSeconds === undefined) return next();
      res.set('Retry-After', String(retryAfterSeconds)).status(429);
      res.json({ error: 'too many requests', code: RATE_LIMITED });
    }, next);
  });
  app.use(certificationDocumentsRouter(config, logger));
  app.use(openDataRouter(config, logger, rateLimits));

  // Ready when the supergraph is loaded, every subgraph answers its /health,
  // and the API key store (when configured) answers.
  operatorApp.get('/ready', async (_req, res) => {
    const checks: Record<string, string> = {
      supergraph: loaded ? 'ok' : 'not loaded',
    };
    const probes = probed.map(async (s) => {
      try {
        const response = await fetch(s.health, {
          signal: AbortSignal.timeout(READY_PROBE_MS),
        });
        checks[s.name] = response.ok ? 'ok' : `error: HTTP ${response.status}`;
      } catch (err) {
        checks[s.name] = `error: ${errorMessage(err)}`;
      }
    });
    if (apiKeys)
      probes.push(
        apiKeys.readiness().then(
          () => void (checks['apiKeys'] = 'ok'),
          (err: unknown) =>
            void (checks['apiKeys'] = `error: ${errorMessage(err)}`),
        ),
      );
    await Promise.all(probes);
    const ready = Object.values(checks).every((c) => c === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  operatorApp.get('/metrics', async (_req, res) => {
    res
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });

  // Request id, trace context, and one log line plus metrics per request.
  const observe: RequestHandler = (req, res, next) => {
    const started = performance.now();
    const incoming = req.header('x-request-id');
    const requestId =
      incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    // The SERVER span, continuing the caller's valid traceparent (else a
    // new trace): subgraph calls are its children, and the log line names it.
    const server = startServerSpan(
      // The URL's path (req.url is the rest of it past /graphql when
      // Express routed the request).
      {
        method: req.method,
        path: (req.originalUrl ?? req.url).split('?', 1)[0]!,
        headers: req.headers,
      },
      '/graphql',
    );
    const observation: RequestObservation = { errorCodes: [] };
    // Errors answer in the client's language (Spanish unless it asks for
    // English); the answer says which, and caches keep languages apart.
    const language = negotiateLanguage(req.header(ACCEPT_LANGUAGE_HEADER));
    res.locals['language'] = language;
    res.setHeader(CONTENT_LANGUAGE_HEADER, contentLanguage(language));
    res.vary('Accept-Language');
    res.locals['requestId'] = requestId;
    res.locals['trace'] = server;
    res.locals['observation'] = observation;
    res.setHeader('x-request-id', requestId);
    res.once('close', () => {
      // The operation Apollo resolved (the body may name none).
      noteGraphQLOperation(server.span, {
        operationName: observation.operationName,
      });
      endServerSpan(server.span, res.statusCode);
    });
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1_000;
      const body = req.body as { operationName?: unknown } | undefined;
      const operationName =
        observation.operationName ??
        (typeof body?.operationName === 'string' ? body.operationName : null);
      const operation = metrics.operationLabel(operationName);
      metrics.observeRequest(
        operation,
        res.statusCode,
        seconds,
        observation.errorCodes,
      );
      const level =
        res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400 || observation.errorCodes.length > 0
            ? 'warn'
            : 'info';
      // The line is built only when it will be written (LOG_LEVEL).
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        requestId,
        ...(server.traceId ? { traceId: server.traceId } : {}),
        operation,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1_000 * 10) / 10,
        ...(observation.client ? { client: observation.client } : {}),
        ...(observation.errorCodes.length > 0
          ? { errors: observation.errorCodes }
          : {}),
      };
      logger[level](line, 'graphql request');
    });
    otelContext.with(server.context, next);
  };

  async function contextFor(
    req: Request,
    res: Response,
  ): Promise<GatewayContext> {
    const observation = res.locals['observation'] as RequestObservation;
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const apiKey = req.header(API_KEY_HEADER);
    try {
      // Refused before any work, whatever the operation: a client sending a
      // malformed key believes it is protected.
      const idempotency = idempotencyFrom(req.header(IDEMPOTENCY_KEY_HEADER));
      // Every request is charged to its client address before any work, the
      // API key lookup (a database read for an uncached key) included: a
      // flood of made-up keys is stopped here, not at the database.
      await limit(await rateLimits.consumeIp(ip));
      const caller: Caller = await authenticate({
        authorization: req.header('authorization'),
        apiKey,
      });
      if (caller.apiKey) await rateLimits.refundIp(ip);
      if (caller.apiKey)
        await limit(
          await rateLimits.consumeApiKey(
            caller.apiKey.id,
            caller.apiKey.rateLimitPerMinute,
          ),
        );
      observation.client = caller.identity.subject;
      return {
        identity: caller.identity,
        requestId: res.locals['requestId'] as string,
        trace: (res.locals['trace'] as ServerSpan).context,
        language: res.locals['language'] as Language,
        ...(caller.apiKey ? { apiKeyId: caller.apiKey.id } : {}),
        observation,
        touched: new Set(),
        subgraphBytes: 0,
        ...(idempotency ? { idempotency } : {}),
      };
    } catch (err) {
      const code =
        err instanceof GraphQLError ? err.extensions['code'] : undefined;
      observation.errorCodes.push(typeof code === 'string' ? code : 'INTERNAL');
      throw err;
    }
  }

  return {
    async start(port: number): Promise<string> {
      await apiKeys?.start();
      await changes?.start();
      await apollo.start();
      loaded = true;
      const graphql = apolloHandler(apollo, ({ req, res }) =>
        contextFor(req, res),
      );
      const json = jsonBody(
        config.MAX_BODY_BYTES,
        express.json({ limit: config.MAX_BODY_BYTES }),
      );
      graphqlPipeline = (req, res, next) =>
        observe(req, res, (err?: unknown) => {
          if (err) return next(err);
          json(req, res, (err?: unknown) => {
            if (err) return next(err);
            // Entered after the body is parsed: body-parser resumes in the
            // socket's async context, which would lose the request's
            // language (and its span).
            const server = res.locals['trace'] as ServerSpan;
            otelContext.with(server.context, () =>
              requestLanguage.run(res.locals['language'] as Language, () =>
                graphql(req, res, next),
              ),
            );
          });
        });
      app.use(errorHandler);
      await listen(httpServer, port);
      const { port: actualPort } = httpServer.address() as AddressInfo;
      // Default: 1000 above the public port (4000 → 5000); a free one in tests.
      await listen(
        operatorServer,
        config.OPERATOR_PORT ?? (port === 0 ? 0 : port + 1_000),
      );
      const { port: operatorPort } = operatorServer.address() as AddressInfo;
      operatorAddress = `http://localhost:${operatorPort}`;
      return `http://localhost:${actualPort}/graphql`;
    },
    /** `http://localhost:port` of /health, /ready and /metrics, once started. */
    operatorUrl(): string | undefined {
      return operatorAddress;
    },
    async stop(): Promise<void> {
      // Drain HTTP first (no new requests), then close the key store they use.
      // After a failed start (say, a subgraph that could not be introspected)
      // Apollo has nothing to stop and would reject, skipping the callers'
      // remaining cleanup.
      if (loaded) await apollo.stop();
      if (operatorServer.listening)
        await new Promise<void>((resolve) => {
          operatorServer.close(() => resolve());
          operatorServer.closeAllConnections();
        });
      await apiKeys?.stop();
      await changes?.stop();
    },
    /** The Prometheus registry (tests and the bench read it). */
    metrics,
    /** How many answers were a subgraph's data as sent (single-fetch.ts; tests read it). */
    answeredAsSent: singleFetch.answeredAsSent,
  };
}

export type GatewayServer = ReturnType<typeof createGatewayServer>;

/**
 * The JSON body of the usual request (`Content-Type: application/json`,
 * optionally `; charset=utf-8`, a `Content-Length` within `limit`, no
 * `Content-Encoding`) read and parsed here, as body-parser would (an object
 * or an array only; a body that is not JSON, or shorter or longer than its
 * length, is a 400); any other request goes to `fallback` (express.json:
 * compressed, chunked, other charsets, too large). body-parser's generic
 * path (content-type parsing, raw-body, iconv) was ~4% of the gateway's
 * samples under load.
 */
function jsonBody(limit: number, fallback: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const { headers } = req;
    const type = headers['content-type'];
    const length = Number(headers['content-length']);
    if (
      (type !== 'application/json' &&
        type !== 'application/json; charset=utf-8') ||
      headers['content-encoding'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      !(length > 0 && length <= limit)
    ) {
      fallback(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const malformed = () =>
      next(Object.assign(new Error('Malformed request body'), { status: 400 }));
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.once('error', malformed);
    req.once('end', () => {
      if (received !== length) return malformed();
      const text = (
        chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      ).toString('utf8');
      // body-parser's strict mode: only an object or an array.
      const first = /^[ \t\n\r]*(.)/s.exec(text)?.[1];
      if (first !== '{' && first !== '[') return malformed();
      try {
        req.body = JSON.parse(text) as unknown;
      } catch {
        return malformed();
      }
      next();
    });
  };
}

/** `/graphql`, with or without a query string. */
function isGraphqlPath(url: string | undefined): boolean {
  return url === '/graphql' || url?.startsWith('/graphql?') === true;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Apollo Server over Express, as `@as-integrations/express5`'s
 * `expressMiddleware` does it, less two costs a profile under load showed:
 * the answer is written with `res.end` (Express's `res.send` converts it to a
 * Buffer and checks freshness, for ETags this route does not send), and the
 * query string is cut from the URL rather than parsed by the legacy
 * `url.parse`. Expects the JSON body parsed (`express.json`).
 */
function apolloHandler(
  apollo: ApolloServer<GatewayContext>,
  context: (args: { req: Request; res: Response }) => Promise<GatewayContext>,
): RequestHandler {
  return (req, res, next) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers))
      if (value !== undefined)
        headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const query = req.url.indexOf('?');
    apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method.toUpperCase(),
          headers,
          search: query < 0 ? '' : req.url.slice(query),
          body: req.body as unknown,
        },
        context: () => context({ req, res }),
      })
      .then(async (response) => {
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.setHeader(
            'content-length',
            Buffer.byteLength(response.body.string),
          );
          res.end(response.body.string);
          return;
        }
        // Incremental delivery (@defer): chunks as Apollo yields them.
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch(next);
  };
}

/** Throws RATE_LIMITED (HTTP 429, Retry-After) when a limit said no. */
async function limit(retryAfterSeconds: number | undefined): Promise<void> {
  if (retryAfterSeconds === undefined) return;
  throw new GraphQLError(
    `Rate limit exceeded: try again in ${retryAfterSeconds} s`,
    {
      extensions: {
        code: RATE_LIMITED,
        retryAfterSeconds,
        http: {
          status: 429,
          headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]),
        },
      },
    },
  );
}

/** Notes the operation name and the returned error codes for the request's log line. */
function observationPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      contextValue.observation.operationName = request.operationName ?? null;
      return {
        async didResolveOperation({ operationName }) {
          contextValue.observation.operationName = operationName;
        },
        async willSendResponse({ response }) {
          const errors =
            response.body.kind === 'single'
              ? response.body.singleResult.errors
              : undefined;
          for (const error of errors ?? []) {
            const code = error.extensions?.['code'];
            contextValue.observation.errorCodes.push(
              typeof code === 'string' ? code : 'UNKNOWN',
            );
          }
        },
      };
    },
  };
}

/**
 * The gateway's `formatError`: errors meant for the caller (known codes, from
 * the gateway or forwarded from a subgraph with its `serviceName`) keep their
 * message; anything else is logged and answered as INTERNAL. Never a stack trace.
 */
function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logger: Logger,
): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const code = extensions['code'];
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code))
    return { ...formatted, extensions };
  // A subgraph's error with a code of its own making: the subgraph chose to say it.
  if (typeof code === 'string' && typeof extensions['serviceName'] === 'string')
    return { ...formatted, extensions };
  logger.error({ err: error }, 'unexpected error in the gateway');
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: 'INTERNAL',
      ...(typeof extensions['serviceName'] === 'string'
        ? { serviceName: extensions['serviceName'] }
        : {}),
    },
  };
}

/**
 * Express's default handler answers with an HTML page (and, outside
 * production, a stack trace): answer in GraphQL's error shape instead.
 */
function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status =
      (error as { status?: unknown } | null)?.status ??
      (error as { statusCode?: unknown } | null)?.statusCode;
    const observation = res.locals['observation'] as
      RequestObservation | undefined;
    const language =
      (res.locals['language'] as Language | undefined) ??
      negotiateLanguage(req.header(ACCEPT_LANGUAGE_HEADER));
    if (status === 413) {
      observation?.errorCodes.push('BAD_REQUEST');
      const extensions = { reason: 'BODY_TOO_LARGE' };
      res
        .status(413)
        .json(
          graphqlErrorBody(
            gatewayMessage('Request body too large', extensions, language),
            'BAD_REQUEST',
            extensions,
          ),
        );
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      observation?.errorCodes.push('BAD_REQUEST');
      res
        .status(status)
        .json(
          graphqlErrorBody(
            gatewayMessage(
              'Malformed request body',
              { code: 'BAD_REQUEST' },
              language,
            ),
            'BAD_REQUEST',
          ),
        );
      return;
    }
    observation?.errorCodes.push('INTERNAL');
    logger.error({ err: error }, 'unexpected error in the HTTP pipeline');
    res
      .status(500)
      .json(graphqlErrorBody(INTERNAL_ERROR_MESSAGES[language], 'INTERNAL'));
  };
}

function graphqlErrorBody(
  message: string,
  code: string,
  extra: Record<string, unknown> = {},
): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
