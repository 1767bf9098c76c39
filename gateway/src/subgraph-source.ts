import type {
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import {
  ACCEPT_LANGUAGE_HEADER,
  DEFAULT_LANGUAGE,
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  MAX_IDENTITY_LIFETIME_MS,
  contentLanguage,
  signIdentity,
  tracer,
  type Identity,
} from '@conecta/service-kit';
import type { GatewayContext } from './context';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  keyForFetch,
} from './idempotency';
import { gatewayMessage } from './messages';
import type { GatewayMetrics, SubgraphOutcome } from './metrics';
import {
  createSubgraphFetcher,
  TIMEOUT_ERROR_NAME,
  type Fetcher,
} from './subgraph-fetch';
import {
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  propagation,
  trace,
} from '@opentelemetry/api';

/** Who the gateway is when it calls a subgraph for itself (schema loading). */
export const GATEWAY_IDENTITY = {
  subject: 'conecta-gateway',
  roles: ['public'],
} as const satisfies Omit<Identity, 'issuedAt'>;

/** The subgraph a fetch's CLIENT span calls (`subgraph <name>`). */
export const ATTR_SUBGRAPH_NAME = 'graphql.subgraph.name';

/** `extensions.code` of a subgraph that is down, unreachable or too slow. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

// willSendRequest knows who calls but not the bytes that will be sent; the
// fetcher knows the bytes. The identity travels between them in this header,
// which the fetcher always replaces by the signed pair.
const UNSIGNED_IDENTITY_HEADER = 'x-conecta-identity-unsigned';

// Signatures kept per subgraph for reuse (a few hundred bytes each): the
// distinct (caller, query) pairs of the last 5 s that a busy gateway repeats.
const SIGNATURES_KEPT = 2_000;

export interface SubgraphSourceOptions {
  name: string;
  url: string;
  /** HMAC key shared with the subgraphs. */
  identitySecret: string;
  /** Longest a request to this subgraph may take. */
  timeoutMs: number;
  /** How long each identity signature is valid; defaults to 30 s (the most subgraphs accept). */
  identityLifetimeMs?: number;
  metrics: GatewayMetrics;
}

/**
 * A subgraph as the gateway calls it:
 * - forwards the caller's verified identity, signed together with this
 *   subgraph's name, the SHA-256 of the exact body sent and a 30 s expiry (a
 *   captured pair is useless for another query or another subgraph), plus
 *   `x-request-id` and a W3C `traceparent` and `tracestate` (the fetch's
 *   own CLIENT span `subgraph <name>`, child of the request's), and the negotiated language as `Accept-Language` (`es-MX`
 *   or `en`: every fetch of a plan, `_entities` included, answers its errors
 *   in the client's language);
 * - gives up after `timeoutMs`;
 * - turns a subgraph that is down, slow or answering garbage into a GraphQL
 *   error naming it (`SUBGRAPH_UNAVAILABLE`, `serviceName` added by the
 *   gateway) so the rest of the query still returns its data;
 * - forwards the client's `Idempotency-Key` to the fetches that are
 *   mutations (see `idempotency.ts`) and notes a replayed answer;
 * - counts calls, latency and failures per subgraph;
 * - sends identical queries (same body, same caller: subject, roles and
 *   organization) that are in flight at the same time once, and gives each
 *   the same answer, as Hive Gateway does by default: under load, many
 *   callers asking the same thing cost a subgraph one request. The caller and
 *   the language are part of the key, so no answer reaches another caller,
 *   nor an answer in one language a caller of the other; a query never joins
 *   one that began before a mutation this gateway sent to the subgraph (reads
 *   its own writes); the shared call carries the first request's
 *   `x-request-id` and trace.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly options: SubgraphSourceOptions;
  private readonly fetcher: Fetcher;

  constructor(options: SubgraphSourceOptions) {
    const { timeoutMs, name, identitySecret, identityLifetimeMs } = options;
    // Apollo's default fetcher has no deadline: a hung subgraph would hang the
    // query. The fetcher gets its headers as a plain object (lowercase names).
    const transport = createSubgraphFetcher({ timeoutMs });
    // Identical queries in flight to this subgraph for the same caller share
    // one call (see the class comment); `writes` counts the mutations sent,
    // so a query never joins a call that began before one of them.
    const inFlight = new Map<
      string,
      { writes: number; response: ReturnType<Fetcher> }
    >();
    let writes = 0;
    // A signature is bound to this subgraph, one body and one caller, and
    // valid for `lifetimeMs` (30 s): the same caller sending the same body
    // again within a sixth of that (5 s) reuses it, so it reaches the
    // subgraph with at least 25 s left. Saves the SHA-256 of the body and the
    // HMAC on every repeated query (the profile's next cost after the HTTP
    // client); a mutation's body is never sent twice, so it gains nothing.
    const lifetimeMs = identityLifetimeMs ?? MAX_IDENTITY_LIFETIME_MS;
    const signatures = new LRUCache<string, Record<string, string>>({
      max: SIGNATURES_KEPT,
      ttl: Math.max(1, Math.floor(lifetimeMs / 6)),
      ttlAutopurge: false,
    });
    const signatureFor = (key: string, unsigned: string, body: string) => {
      const kept = signatures.get(key);
      if (kept) return kept;
      const signed = signIdentity(
        { ...decodeIdentity(unsigned), issuedAt: Date.now() },
        identitySecret,
        { audience: name, body },
        { lifetimeMs },
      );
      signatures.set(key, signed);
      return signed;
    };
    const fetcher: Fetcher = (url, init) => {
      const headers: Record<string, string> = { ...init?.headers };
      const unsigned = headers[UNSIGNED_IDENTITY_HEADER];
      delete headers[UNSIGNED_IDENTITY_HEADER];
      delete headers[IDENTITY_HEADER];
      delete headers[IDENTITY_SIGNATURE_HEADER];
      if (!unsigned) return transport(url, { ...init, headers });
      const body = String(init?.body ?? '');
      // `unsigned` names the caller (no time in it): with the body, it keys
      // both the signatures kept and (with the language) the calls in flight.
      const key = `${unsigned}\n${body}`;
      const flightKey = `${headers[ACCEPT_LANGUAGE_HEADER] ?? ''}\n${key}`;
      const send = () =>
        transport(url, {
          ...init,
          headers: Object.assign(headers, signatureFor(key, unsigned, body)),
        });
      if (!isQuery(body)) {
        writes += 1;
        return send();
      }
      const joined = inFlight.get(flightKey);
      if (joined && joined.writes === writes) return joined.response;
      const response = send();
      const entry = { writes, response };
      inFlight.set(flightKey, entry);
      const done = () => {
        if (inFlight.get(flightKey) === entry) inFlight.delete(flightKey);
      };
      response.then(done, done);
      return response;
    };
    this.fetcher = fetcher;
    this.options = options;
  }

  /**
   * The headers of one call: the caller's identity (signed by the fetcher),
   * request id, language, trace context and idempotency key.
   */
  private headersFor({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Record<string, string> {
    const headers: Record<string, string> = {};
    // Apollo sets these only to ask for federated traces (usage reporting).
    for (const [name, value] of request.http?.headers ?? [])
      headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    // Health checks and schema loading (`_service { sdl }` when composing from
    // running subgraphs) run without a caller: the gateway signs as itself,
    // with the least privilege, since subgraphs refuse unsigned requests.
    if (!('identity' in context) || !context.identity) {
      headers[UNSIGNED_IDENTITY_HEADER] = encodeIdentity(GATEWAY_IDENTITY);
      return headers;
    }
    context.touched.add(this.options.name);
    headers[UNSIGNED_IDENTITY_HEADER] = encodeIdentity(context.identity);
    headers['x-request-id'] = context.requestId;
    headers[ACCEPT_LANGUAGE_HEADER] = contentLanguage(
      context.language ?? DEFAULT_LANGUAGE,
    );
    // The active context is this fetch's CLIENT span (see process): the
    // subgraph's server span is its child.
    propagation.inject(otelContext.active(), headers);
    const key =
      context.idempotency &&
      keyForFetch(context.idempotency, this.options.name, request.query);
    if (key) headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()] = key;
    return headers;
  }

  /**
   * One call, as `RemoteGraphQLDataSource` makes it (the body
   * `{"query","variables","operationName"}`, an HTTP error as a GraphQLError
   * carrying the answer, the subgraph's `Cache-Control` restricting the
   * answer's), without its per-call `node-fetch` Request and Headers objects
   * (a profile under load showed them).
   */
  private async send(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const headers = this.headersFor(options);
    const { http: _http, query, ...rest } = request;
    const response = await this.fetcher(this.options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, ...rest }),
    });
    if (!response.ok) throw await errorFromResponse(response);
    const body = await parseBody(response);
    if (!isObject(body))
      throw new Error(`Expected JSON response body, but received: ${body}`);
    if (
      context.idempotency &&
      response.headers.get(IDEMPOTENT_REPLAYED_HEADER) === 'true'
    )
      context.idempotency.replayed = true;
    // Schema loading and health checks run without a request's context.
    if (typeof context.subgraphBytes === 'number')
      context.subgraphBytes +=
        Number(response.headers.get('content-length')) || 0;
    // Only a request's own fetches have a policy to restrict.
    const policy =
      'incomingRequestContext' in options
        ? options.incomingRequestContext.overallCachePolicy
        : undefined;
    if (policy && 'restrict' in policy)
      policy.restrict(cacheHint(response.headers.get('cache-control')));
    return { ...body, http: response } as GatewayGraphQLResponse;
  }

  async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Schema loading and health checks run outside any request: no span.
    if (!('trace' in options.context) || !options.context.trace)
      return this.processTimed(options);
    // One CLIENT span per subgraph fetch, child of what is active (Apollo's
    // own fetch span when the provider records, else the request's span).
    const parent = trace.getSpan(otelContext.active())
      ? otelContext.active()
      : options.context.trace;
    const span = tracer().startSpan(
      `subgraph ${this.options.name}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_SUBGRAPH_NAME]: this.options.name,
          'http.request.method': 'POST',
          'url.full': this.options.url,
          ...(options.request.operationName
            ? { 'graphql.operation.name': options.request.operationName }
            : {}),
        },
      },
      parent,
    );
    try {
      const response = await otelContext.with(trace.setSpan(parent, span), () =>
        this.processTimed(options),
      );
      if (response.errors?.length && span.isRecording())
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: String(response.errors[0]?.extensions?.['code'] ?? 'error'),
        });
      return response;
    } finally {
      span.end();
    }
  }

  private async processTimed(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const observe = (outcome: SubgraphOutcome) =>
      this.options.metrics.observeSubgraph(
        this.options.name,
        outcome,
        (performance.now() - started) / 1_000,
      );
    try {
      const response = await this.send(options);
      observe(response.errors?.length ? 'graphql_error' : 'ok');
      return response;
    } catch (err) {
      // A subgraph that answered an HTTP error with a GraphQL body (e.g. 401
      // for a refused identity): its own errors are the useful ones.
      const body = (
        err as { extensions?: { response?: { body?: unknown } } } | null
      )?.extensions?.response?.body as { errors?: unknown } | undefined;
      if (
        err instanceof GraphQLError &&
        Array.isArray(body?.errors) &&
        body.errors.length > 0
      ) {
        observe('graphql_error');
        return { errors: body.errors as GraphQLError[] };
      }
      const timedOut = isTimeout(err);
      observe(timedOut ? 'timeout' : 'unavailable');
      const extensions = {
        code: SUBGRAPH_UNAVAILABLE,
        reason: timedOut ? 'TIMEOUT' : 'UNREACHABLE',
      };
      const english = timedOut
        ? `The ${this.options.name} service did not answer within ${this.options.timeoutMs} ms`
        : `The ${this.options.name} service is unavailable`;
      // Schema loading has no request: its errors are the operator's (English).
      const language =
        'language' in options.context && options.context.language
          ? options.context.language
          : 'en';
      return {
        errors: [
          new GraphQLError(gatewayMessage(english, extensions, language), {
            extensions,
          }),
        ],
      };
    }
  }
}

// Each request's identity is encoded once, whatever the number of its
// subgraph calls.
const encoded = new WeakMap<object, string>();

// Every anonymous caller is the same caller: encoded once for all.
let anonymous: string | undefined;

/** Who calls, without the time: the fetcher adds `issuedAt` as it signs. */
function encodeIdentity(identity: Omit<Identity, 'issuedAt'>): string {
  const isAnonymous =
    identity.subject === undefined &&
    identity.organizationId === undefined &&
    identity.roles.length === 1 &&
    identity.roles[0] === 'public';
  if (isAnonymous && anonymous !== undefined) return anonymous;
  let value = encoded.get(identity);
  if (value === undefined) {
    value = Buffer.from(
      JSON.stringify({
        subject: identity.subject,
        roles: identity.roles,
        organizationId: identity.organizationId,
      }),
      'utf8',
    ).toString('base64url');
    encoded.set(identity, value);
  }
  if (isAnonymous) anonymous = value;
  return value;
}

// The body is `{"query":"<operation>",...}`: the
// gateway's subgraph queries start with `query` (or `{`), mutations with
// `mutation`.
const QUERY_BODY = /^\{"query":"(?:query\b|\{)/;

function isQuery(body: string): boolean {
  return QUERY_BODY.test(body);
}

function decodeIdentity(value: string): Omit<Identity, 'issuedAt'> {
  return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Omit<
    Identity,
    'issuedAt'
  >;
}

// fetch rejects with TypeError('fetch failed') whose cause is the abort
// signal's TimeoutError; Apollo may wrap it again.
function isTimeout(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const name = (current as { name?: unknown }).name;
    if (name === TIMEOUT_ERROR_NAME || name === 'AbortError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type GatewayGraphQLResponse = Awaited<
  ReturnType<GraphQLDataSource<GatewayContext>['process']>
>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON when the subgraph says so, else the text (as RemoteGraphQLDataSource reads it). */
function parseBody(response: FetcherResponse): Promise<unknown> {
  const type = response.headers.get('content-type');
  return type &&
    (type.startsWith('application/json') ||
      type.startsWith('application/graphql-response+json'))
    ? response.json()
    : response.text();
}

/** An HTTP error answer, as RemoteGraphQLDataSource reports it: its body in `extensions.response`. */
async function errorFromResponse(
  response: FetcherResponse,
): Promise<GraphQLError> {
  const body = await parseBody(response);
  return new GraphQLError(`${response.status}: ${response.statusText}`, {
    extensions: {
      response: {
        url: response.url,
        status: response.status,
        statusText: response.statusText,
        body,
      },
      ...(response.status === 401
        ? { code: 'UNAUTHENTICATED' }
        : response.status === 403
          ? { code: 'FORBIDDEN' }
          : {}),
    },
  });
}

/** A subgraph's `Cache-Control` as a cache hint (as RemoteGraphQLDataSource reads it). */
export function cacheHint(header: string | null): {
  maxAge: number;
  scope?: 'PUBLIC' | 'PRIVATE';
} {
  const directives = new Map<string, string | true>();
  if (header)
    for (const part of header.trim().split(/\s*,\s*/)) {
      const [name = '', value] = part.split(/\s*=\s*/, 2);
      directives.set(
        name,
        value === undefined ? true : value.replace(/^"|"$/g, ''),
      );
    }
  const maxAge = directives.get('max-age');
  return {
    maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? +maxAge : 0,
    // Both: public, as RemoteGraphQLDataSource reads them.
    ...(directives.get('public') === true
      ? { scope: 'PUBLIC' as const }
      : directives.get('private') === true
        ? { scope: 'PRIVATE' as const }
        : {}),
  };
}
