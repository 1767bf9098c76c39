import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type {
  ErrorRequestHandler,
  Express,
  Request,
  RequestHandler,
} from 'express';
import { GraphQLError, parse } from 'graphql';
import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { UnauthenticatedError } from './errors';
import type { Language, MessageCatalogue } from './errors';
import {
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_MESSAGES,
  createFormatError,
} from './format-error';
import type { RequestScope } from './format-error';
import { idempotencyPlugin } from './idempotency';
import type { IdempotencyStore } from './idempotency';
import { verifyIdentity } from './identity';
import type { Identity } from './identity';
import type { SubgraphMetrics } from './metrics';
import {
  ACCEPT_LANGUAGE_HEADER,
  CONTENT_LANGUAGE_HEADER,
  contentLanguage,
  negotiateLanguage,
} from './language';
import { runReadinessChecks } from './readiness';
import type { ReadinessChecks } from './readiness';
import {
  endServerSpan,
  noteGraphQLOperation,
  startServerSpan,
  startTracing,
} from './tracing';
import type { ServerSpan } from './tracing';

/** What the context factory receives for each GraphQL request. */
export interface RequestContextArgs {
  /** The verified caller. */
  identity: Identity;
  /** `x-request-id` of the request (honoured or generated). */
  requestId: string;
  /** Request-scoped logger: every line carries `requestId`. */
  logger: Logger;
}

export interface SubgraphServerOptions<TContext extends BaseContext> {
  /** Subgraph name, for logs. */
  name: string;
  /** Path to the service's `schema.graphql` (read once, at creation). */
  schemaPath: string;
  /** Resolver map (codegen's `Resolvers<Context>`), or several to merge. */
  resolvers: object | object[];
  logger: Logger;
  identity: {
    /** Shared HMAC key (IDENTITY_SECRET). */
    secret: string;
    /** Dev flag: requests without identity headers act as `public`. Defaults to false. */
    allowUnsigned?: boolean;
    /** Longest identity lifetime accepted; defaults to 30 s (MAX_IDENTITY_LIFETIME_MS). */
    maxLifetimeMs?: number;
  };
  /**
   * The subgraph's own ceilings (GraphQL Armor validation rules), whoever
   * calls it: a query over one is refused with GRAPHQL_VALIDATION_FAILED
   * before any resolver runs. Defaults to depth 16 and cost 10_000.
   */
  limits?: { maxDepth: number; maxCost: number };
  /** Builds the per-request context (create DataLoaders here). */
  context: (args: RequestContextArgs) => TContext | Promise<TContext>;
  /**
   * The service's Spanish error messages by reason code (its
   * `domain/messages.ts`). Errors answer in the language negotiated from
   * `Accept-Language` (Spanish by default); service-kit's generic messages
   * apply after these. Defaults to none.
   */
  messages?: MessageCatalogue;
  /**
   * Named checks for `GET /ready`, e.g. `{ mongo: mongo.readiness }`; a check
   * given as `{ check, critical: false }` only degrades the service when it
   * fails. Defaults to none.
   */
  readiness?: ReadinessChecks;
  /** Time each readiness check may take; defaults to 2 s. */
  readinessTimeoutMs?: number;
  /** Largest accepted JSON body; defaults to `1mb`. */
  bodyLimit?: string;
  /** How long stop() lets in-flight requests finish before cutting them; defaults to 10 s. */
  drainTimeoutMs?: number;
  /** Interface to listen on; defaults to all interfaces. */
  host?: string;
  /**
   * Prometheus metrics served at `GET /metrics` on the operator port (never
   * on the public one); each GraphQL request runs in its `inRequest` scope.
   * Defaults to none (no `/metrics`).
   */
  metrics?: SubgraphMetrics;
  /**
   * Makes mutations sent with an `Idempotency-Key` header idempotent per
   * caller and key (see `idempotencyPlugin`). Defaults to none (the header is
   * ignored); `createSubgraphService` always gives one.
   */
  idempotency?: IdempotencyStore;
  /**
   * Plain HTTP routes of the service's own on the public port, beside
   * `/graphql` (e.g. public documents that must be reachable by URL). Mounted
   * before the 404 handler; nothing in them sees the caller's identity.
   * Defaults to none.
   */
  routes?: RequestHandler;
}

/** Default depth and cost ceilings of a subgraph (above the gateway's 12 and 5_000: an entity fetch adds a level). */
export const DEFAULT_SUBGRAPH_LIMITS = { maxDepth: 16, maxCost: 10_000 };

/**
 * The operator port when none is configured: 1000 above the public one (4001 →
 * 5001), or a free port when the public one is (tests).
 */
export function defaultOperatorPort(port: number): number {
  return port === 0 ? 0 : port + 1_000;
}

export interface SubgraphServer {
  /** The public express app (/graphql, /health). */
  app: Express;
  httpServer: http.Server;
  /** The operator's express app (/health, /ready, /metrics). */
  operatorApp: Express;
  /**
   * Starts Apollo and listens on `port` (0 picks a free one) and on the
   * operator port (default {@link defaultOperatorPort}); resolves to the
   * GraphQL URL.
   */
  start(port: number, operatorPort?: number): Promise<string>;
  /** `http://host:port` of the operator endpoints, once started. */
  operatorUrl(): string | undefined;
  /** Stops accepting connections, drains in-flight requests, then resolves. */
  stop(): Promise<void>;
}

// Incoming request ids are echoed into logs and headers: accept only a safe,
// bounded token (UUIDs and the like) and generate one otherwise.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const REQUEST_ID_HEADER = 'x-request-id';
/** Where a request's server span rides, in `res.locals`. */
const SERVER_SPAN = 'conecta.serverSpan';

/**
 * Builds a federation subgraph server over express 5. Public port: `POST
 * /graphql` (JSON body up to 1 MB, CSRF prevention on, identity verified per
 * request against the exact body and this subgraph's name, depth and cost
 * ceilings) and `GET /health` (liveness, no I/O). Operator port: `GET /health`,
 * `GET /ready` (runs every readiness check: 200 `ready` or `degraded`, 503
 * `not_ready` when a critical one fails) and `GET /metrics`. Nothing listens
 * until `start()`.
 */
export function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): SubgraphServer {
  const {
    name,
    logger,
    readiness = {},
    readinessTimeoutMs = 2_000,
    bodyLimit = '1mb',
    drainTimeoutMs = 10_000,
    host,
    metrics,
    limits = DEFAULT_SUBGRAPH_LIMITS,
  } = options;
  const log = logger.child({ component: 'server', subgraph: name });
  // Process-wide, once (the first service of a process sets it up): every
  // request gets a server span continuing the gateway's traceparent.
  startTracing({ serviceName: name });

  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(options.schemaPath, 'utf8')),
    // Codegen's resolver types are stricter than, but compatible with, this map.
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });

  const app = express();
  const httpServer = http.createServer(app);
  // Idle keep-alive connections outlive the gateway's (a few seconds), so the
  // client closes them first: a server closing one as the gateway reuses it
  // fails that request with "other side closed" (seen on a loaded machine).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const operatorApp = express();
  const operatorServer = http.createServer(operatorApp);
  let operatorAddress: string | undefined;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    costLimit: { maxCost: limits.maxCost },
    // The gateway enforces these per client; here only what bounds the work.
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  // Lets formatError find the current request's id and logger without a
  // module-level singleton: the store lives and dies with this server.
  const requestScope = new AsyncLocalStorage<RequestScope>();
  let stopping = false;
  let apolloHandler: RequestHandler | undefined;
  let started: Promise<string> | undefined;
  let stopped: Promise<void> | undefined;
  // The verified caller rides on each request's context under a symbol, for
  // the idempotency plugin: services build their own context objects, and
  // Apollo copies the context per operation (Object.assign keeps symbols).
  const verifiedIdentity = Symbol('conecta.verifiedIdentity');

  const apollo = new ApolloServer<TContext>({
    schema,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    validationRules: armor.validationRules,
    // onShutdown owns the signals, so the order of the shutdown steps holds.
    stopOnTerminationSignals: false,
    formatError: createFormatError({
      logger: log,
      requestScope: () => requestScope.getStore(),
      ...(options.messages ? { messages: options.messages } : {}),
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: drainTimeoutMs,
      }),
      // Subgraphs sit behind the gateway: no landing page, no Studio traces
      // (which would also carry error details outside our formatError).
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(options.idempotency
        ? [
            idempotencyPlugin(
              options.idempotency,
              (context) =>
                (context as Record<symbol, Identity | undefined>)[
                  verifiedIdentity
                ],
              log,
            ),
          ]
        : []),
    ],
  });

  app.disable('x-powered-by');
  operatorApp.disable('x-powered-by');
  // A SERVER span per request (probes excepted), continuing the gateway's
  // W3C traceparent: what the request writes to its outbox, and what its
  // log lines say, belong to the trace.
  app.use((req, res, next) => {
    if (req.path === '/health') return next();
    const server = startServerSpan(
      req,
      req.path === '/graphql' ? '/graphql' : undefined,
    );
    res.locals[SERVER_SPAN] = server;
    res.once('close', () => endServerSpan(server.span, res.statusCode));
    context.with(server.context, next);
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers[REQUEST_ID_HEADER];
        const id =
          typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
            ? incoming
            : randomUUID();
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customAttributeKeys: { reqId: 'requestId' },
      // The request's span: every line of the request carries its trace.
      customProps: (_req, res) => {
        const server = (res as express.Response).locals?.[SERVER_SPAN] as
          ServerSpan | undefined;
        if (!server?.traceId) return {};
        return server.parentSpanId
          ? {
              traceId: server.traceId,
              spanId: server.spanId,
              parentSpanId: server.parentSpanId,
            }
          : { traceId: server.traceId, spanId: server.spanId };
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info',
      // Probes hit this every few seconds; logging them drowns real traffic.
      autoLogging: { ignore: (req) => req.url === '/health' },
    }),
  );

  const health: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };
  app.get('/health', health);
  operatorApp.get('/health', health);

  // Readiness details and metrics are for the operator: on their own port,
  // which the load balancer does not route.
  operatorApp.get('/ready', async (_req, res) => {
    if (stopping) {
      res
        .status(503)
        .json({ status: 'not_ready', checks: { server: 'error: stopping' } });
      return;
    }
    const { status, ready, checks, details } = await runReadinessChecks(
      readiness,
      readinessTimeoutMs,
    );
    // Degraded still serves its API: 200, so it stays in rotation.
    res.status(ready ? 200 : 503).json({
      status,
      checks,
      ...(Object.keys(details).length > 0 && { details }),
    });
  });

  if (metrics) {
    operatorApp.get('/metrics', async (_req, res) => {
      res
        .type(metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    });
  }

  const graphqlHandler: RequestHandler = (req, res, next) => {
    const language = languageOf(req, res);
    if (!apolloHandler) {
      res
        .status(503)
        .json(graphqlErrorBody(STARTING_MESSAGES[language], 'UNAVAILABLE'));
      return;
    }
    const handler = apolloHandler;
    const scope = { requestId: requestIdOf(req), logger: req.log, language };
    const server = res.locals[SERVER_SPAN] as ServerSpan | undefined;
    if (server) noteGraphQLOperation(server.span, req.body);
    const run = () => requestScope.run(scope, () => handler(req, res, next));
    const traced = server ? () => context.with(server.context, run) : run;
    // Entered after the body is parsed: body-parser resumes in the socket's
    // async context, which would lose the request's scope (and its span).
    return metrics ? metrics.inRequest(res, traced) : traced();
  };
  app.use(
    '/graphql',
    express.json({
      limit: bodyLimit,
      // The identity signature covers the exact bytes the gateway sent.
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).rawBody = Buffer.from(buf);
      },
    }),
    graphqlHandler,
  );

  if (options.routes) app.use(options.routes);

  const notFound: RequestHandler = (_req, res) => {
    res.status(404).json({ error: 'not found' });
  };
  app.use(notFound);
  operatorApp.use(notFound);

  // Express's default handler answers with an HTML page and, outside
  // production, a stack trace; answer in GraphQL's error shape instead.
  const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
    const status = httpStatusOf(error);
    const language = languageOf(req, res);
    if (status >= 400 && status < 500) {
      const message = (
        status === 413 ? BODY_TOO_LARGE_MESSAGES : MALFORMED_BODY_MESSAGES
      )[language];
      res.status(status).json(graphqlErrorBody(message, 'BAD_REQUEST'));
      return;
    }
    const requestId = requestIdOf(req);
    req.log.error({ err: error }, 'unexpected error in the HTTP pipeline');
    res.status(500).json(
      graphqlErrorBody(INTERNAL_ERROR_MESSAGES[language], INTERNAL_ERROR_CODE, {
        requestId,
      }),
    );
  };
  app.use(errorHandler);

  async function contextFor(req: Request): Promise<TContext> {
    const requestId = requestIdOf(req);
    let identity: Identity;
    try {
      identity = verifyIdentity(
        req.headers,
        options.identity.secret,
        {
          audience: name,
          body: (req as RawBodyRequest).rawBody ?? Buffer.alloc(0),
        },
        {
          allowUnsigned: options.identity.allowUnsigned ?? false,
          ...(options.identity.maxLifetimeMs !== undefined
            ? { maxLifetimeMs: options.identity.maxLifetimeMs }
            : {}),
        },
      );
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        req.log.warn({ reason: error.code }, 'refused request identity');
        // A GraphQLError so Apollo answers HTTP 401; formatError still maps the
        // DomainError inside to extensions.code UNAUTHENTICATED.
        throw new GraphQLError(error.message, {
          originalError: error,
          extensions: {
            code: 'UNAUTHENTICATED',
            reason: error.code,
            http: { status: 401 },
          },
        });
      }
      throw error;
    }
    const requestLogger = identity.subject
      ? req.log.child({ subject: identity.subject })
      : req.log;
    const context = await options.context({
      identity,
      requestId,
      logger: requestLogger,
    });
    return Object.assign(context, { [verifiedIdentity]: identity });
  }

  function start(
    port: number,
    operatorPort = defaultOperatorPort(port),
  ): Promise<string> {
    started ??= (async () => {
      await apollo.start();
      apolloHandler = expressMiddleware(apollo, {
        context: ({ req }) => contextFor(req),
      });
      await listen(httpServer, port, host);
      await listen(operatorServer, operatorPort, host);
      const { port: boundPort } = httpServer.address() as AddressInfo;
      const { port: boundOperatorPort } =
        operatorServer.address() as AddressInfo;
      const url = `http://${host ?? 'localhost'}:${boundPort}/graphql`;
      operatorAddress = `http://${host ?? 'localhost'}:${boundOperatorPort}`;
      log.info({ url, operator: operatorAddress }, 'subgraph listening');
      return url;
    })();
    return started;
  }

  function stop(): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      log.info('stopping: draining in-flight requests');
      if (started) {
        // Apollo's drain plugin closes the HTTP server, lets in-flight
        // requests finish, and cuts the rest after drainTimeoutMs.
        await started.catch(() => undefined);
        await apollo.stop();
      }
      for (const server of [httpServer, operatorServer]) {
        if (!server.listening) continue;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      log.info('stopped');
    })();
    return stopped;
  }

  return {
    app,
    httpServer,
    operatorApp,
    start,
    stop,
    operatorUrl: () => operatorAddress,
  };
}

/** A request whose JSON body parser kept the raw bytes. */
type RawBodyRequest = Request & { rawBody?: Buffer };

function listen(
  server: http.Server,
  port: number,
  host: string | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const STARTING_MESSAGES: Readonly<Record<Language, string>> = {
  es: 'El servidor está arrancando',
  en: 'Server is starting',
};
const BODY_TOO_LARGE_MESSAGES: Readonly<Record<Language, string>> = {
  es: 'El cuerpo de la solicitud es demasiado grande',
  en: 'Request body too large',
};
const MALFORMED_BODY_MESSAGES: Readonly<Record<Language, string>> = {
  es: 'El cuerpo de la solicitud está mal formado',
  en: 'Malformed request body',
};

/** The request's language (from `Accept-Language`), stated on the response as `Content-Language`. */
function languageOf(req: Request, res: express.Response): Language {
  const language = negotiateLanguage(req.headers[ACCEPT_LANGUAGE_HEADER]);
  if (!res.headersSent) {
    res.setHeader(CONTENT_LANGUAGE_HEADER, contentLanguage(language));
    res.vary('Accept-Language');
  }
  return language;
}

function requestIdOf(req: Request): string {
  return String(req.id);
}

function httpStatusOf(error: unknown): number {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : 500;
}

function graphqlErrorBody(
  message: string,
  code: string,
  extra: Record<string, unknown> = {},
): { errors: Array<{ message: string; extensions: Record<string, unknown> }> } {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}
