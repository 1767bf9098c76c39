import {
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import {
  IDENTITY_HEADER,
  signIdentity,
  type Identity,
} from '@conecta/service-kit';
import type { GatewayContext } from './context';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  keyForFetch,
} from './idempotency';
import type { GatewayMetrics, SubgraphOutcome } from './metrics';
import { childTraceparent } from './trace';

/** Who the gateway is when it calls a subgraph for itself (schema loading). */
export const GATEWAY_IDENTITY = {
  subject: 'conecta-gateway',
  roles: ['public'],
} as const satisfies Omit<Identity, 'issuedAt'>;

/** `extensions.code` of a subgraph that is down, unreachable or too slow. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

// willSendRequest knows who calls but not the bytes that will be sent; the
// fetcher knows the bytes. The identity travels between them in this header,
// which the fetcher always replaces by the signed pair.
const UNSIGNED_IDENTITY_HEADER = 'x-conecta-identity-unsigned';

type Fetcher = NonNullable<
  NonNullable<
    ConstructorParameters<typeof RemoteGraphQLDataSource>[0]
  >['fetcher']
>;

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
 *   `x-request-id` and a W3C `traceparent` (same trace, new span) and
 *   `tracestate`;
 * - gives up after `timeoutMs`;
 * - turns a subgraph that is down, slow or answering garbage into a GraphQL
 *   error naming it (`SUBGRAPH_UNAVAILABLE`, `serviceName` added by the
 *   gateway) so the rest of the query still returns its data;
 * - forwards the client's `Idempotency-Key` to the fetches that are
 *   mutations (see `idempotency.ts`) and notes a replayed answer;
 * - counts calls, latency and failures per subgraph.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly options: SubgraphSourceOptions;

  constructor(options: SubgraphSourceOptions) {
    const { timeoutMs, name, identitySecret, identityLifetimeMs } = options;
    // Apollo's default fetcher has no deadline: a hung subgraph would hang the query.
    const fetcher: Fetcher = (url, init) => {
      const headers = new Headers(
        (init?.headers ?? {}) as unknown as ConstructorParameters<
          typeof Headers
        >[0],
      );
      const unsigned = headers.get(UNSIGNED_IDENTITY_HEADER);
      headers.delete(UNSIGNED_IDENTITY_HEADER);
      headers.delete(IDENTITY_HEADER);
      if (unsigned) {
        const identity = JSON.parse(
          Buffer.from(unsigned, 'base64url').toString('utf8'),
        ) as Identity;
        const signed = signIdentity(
          { ...identity, issuedAt: Date.now() },
          identitySecret,
          { audience: name, body: String(init?.body ?? '') },
          identityLifetimeMs !== undefined
            ? { lifetimeMs: identityLifetimeMs }
            : {},
        );
        for (const [header, value] of Object.entries(signed))
          headers.set(header, value);
      }
      return fetch(url, {
        ...(init as RequestInit),
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      }) as unknown as ReturnType<Fetcher>;
    };
    super({ url: options.url, fetcher });
    this.options = options;
  }

  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loading (`_service { sdl }` when composing from
    // running subgraphs) run without a caller: the gateway signs as itself,
    // with the least privilege, since subgraphs refuse unsigned requests.
    if (!('identity' in context) || !context.identity) {
      request.http?.headers.set(
        UNSIGNED_IDENTITY_HEADER,
        encodeIdentity({ ...GATEWAY_IDENTITY, issuedAt: Date.now() }),
      );
      return;
    }
    context.touched.add(this.options.name);
    request.http?.headers.set(
      UNSIGNED_IDENTITY_HEADER,
      encodeIdentity(context.identity),
    );
    request.http?.headers.set('x-request-id', context.requestId);
    request.http?.headers.set('traceparent', childTraceparent(context.trace));
    if (context.trace.tracestate)
      request.http?.headers.set('tracestate', context.trace.tracestate);
    const key =
      context.idempotency &&
      keyForFetch(context.idempotency, this.options.name, request.query);
    if (key) request.http?.headers.set(IDEMPOTENCY_KEY_HEADER, key);
  }

  override didReceiveResponse({
    response,
    context,
  }: Parameters<
    NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>
  >[0]): ReturnType<
    NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>
  > {
    if (
      context.idempotency &&
      response.http?.headers.get(IDEMPOTENT_REPLAYED_HEADER) === 'true'
    )
      context.idempotency.replayed = true;
    return response;
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const started = performance.now();
    const observe = (outcome: SubgraphOutcome) =>
      this.options.metrics.observeSubgraph(
        this.options.name,
        outcome,
        (performance.now() - started) / 1_000,
      );
    try {
      const response = await super.process(options);
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
      return {
        errors: [
          new GraphQLError(
            timedOut
              ? `The ${this.options.name} service did not answer within ${this.options.timeoutMs} ms`
              : `The ${this.options.name} service is unavailable`,
            {
              extensions: {
                code: SUBGRAPH_UNAVAILABLE,
                reason: timedOut ? 'TIMEOUT' : 'UNREACHABLE',
              },
            },
          ),
        ],
      };
    }
  }
}

function encodeIdentity(identity: Identity): string {
  return Buffer.from(JSON.stringify(identity), 'utf8').toString('base64url');
}

// fetch rejects with TypeError('fetch failed') whose cause is the abort
// signal's TimeoutError; Apollo may wrap it again.
function isTimeout(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const name = (current as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
