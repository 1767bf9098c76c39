/** Who a demo request acts as (the token is issued for these claims). */
export interface Actor {
  sub: string;
  roles: string[];
  org?: string;
}

/** A GraphQL error the demo may expect (e.g. while a projection catches up). */
export class GraphQLRequestError extends Error {
  constructor(
    readonly errors: {
      message: string;
      extensions?: { code?: string; reason?: string };
    }[],
    readonly operation: string,
  ) {
    super(
      `${operation}: ${errors.map((e) => `${e.message} (${e.extensions?.reason ?? e.extensions?.code ?? '?'})`).join('; ')}`,
    );
    this.name = 'GraphQLRequestError';
  }

  get reason(): string | undefined {
    return this.errors[0]?.extensions?.reason;
  }

  /**
   * Whether the service decided: a refusal, which its Idempotency-Key keeps.
   * False when no decision reached the caller — the gateway gave up waiting
   * (`SUBGRAPH_UNAVAILABLE`, reason `TIMEOUT`: it may still have run), an
   * internal failure (it wrote nothing and no key keeps it), a service still
   * starting, or the key's first attempt still running — so a retry with
   * the same key gets the first attempt's answer instead of running again.
   */
  get refused(): boolean {
    return !this.errors.some(
      ({ extensions }) =>
        NO_DECISION_CODES.has(extensions?.code ?? '') ||
        extensions?.reason === 'IDEMPOTENT_REQUEST_IN_PROGRESS',
    );
  }
}

/** Error codes with which a mutation's outcome is unknown (see `refused`). */
const NO_DECISION_CODES = new Set([
  'SUBGRAPH_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'UNAVAILABLE',
]);

/**
 * undici's codes for a connection that closed before an answer: mostly an
 * idle keep-alive connection the gateway closed as it was reused (HTTP/1.1's
 * race; a client whose event loop was busy past the idle timeout reuses a
 * connection the server has already closed). Such a request is sent again,
 * on a new connection, up to this many times in all.
 */
const DROPPED_CONNECTION = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNRESET',
  'EPIPE',
]);
const CONNECTION_ATTEMPTS = 3;

/** Whether a GraphQL document is a mutation (the loader writes only with those). */
export const isMutation = (query: string): boolean =>
  /^\s*mutation\b/.test(query);

/** Per-request options of a {@link GraphClient}. */
export interface RequestOptions {
  /** Sent as `Idempotency-Key`: a mutation sent again with it gets the first answer. */
  idempotencyKey?: string;
}

/** Issues a bearer token the gateway accepts for an actor (dev: signed with its JWT_SECRET). */
export type TokenIssuer = (actor: Actor) => Promise<string>;

/** A GraphQL client of the gateway that acts as different people, caching their tokens. */
export function createGraphClient(url: string, issueToken: TokenIssuer) {
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (actor: Actor) => {
    const key = JSON.stringify(actor);
    if (!tokens.has(key)) tokens.set(key, issueToken(actor));
    return tokens.get(key)!;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loader reads untyped GraphQL JSON, as tests do
  return async function request<T = any>(
    as: Actor,
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<T> {
    const operation =
      /(?:mutation|query)\s*(?:\([^)]*\))?\s*\{\s*(\w+)/.exec(query)?.[1] ??
      'request';
    const token = await tokenFor(as);
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          ...(options.idempotencyKey
            ? { 'idempotency-key': options.idempotencyKey }
            : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    // A query, or a mutation whose key gets the first answer back, is sent
    // again when the connection dropped before any answer.
    const resendable =
      !isMutation(query) || options.idempotencyKey !== undefined;
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt += 1) {
      try {
        response = await send();
      } catch (error) {
        // fetch says only "fetch failed": name the call and undici's reason.
        const cause = (error as { cause?: { code?: string; message?: string } })
          .cause;
        if (
          resendable &&
          attempt < CONNECTION_ATTEMPTS &&
          DROPPED_CONNECTION.has(cause?.code ?? '')
        )
          continue;
        throw new Error(
          `${operation}: no answer from the gateway (${cause?.code ?? cause?.message ?? String(error)})`,
          { cause: error },
        );
      }
    }
    const body = (await response.json()) as {
      data?: T;
      errors?: GraphQLRequestError['errors'];
    };
    if (body.errors?.length)
      throw new GraphQLRequestError(body.errors, operation);
    return body.data as T;
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;

/**
 * Retries `attempt` while it fails with one of `reasons` — the other service's
 * projection has not received the event yet (events travel through Kafka).
 */
export async function whenProjected<T>(
  attempt: () => Promise<T>,
  reasons: string[],
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const waiting =
        err instanceof GraphQLRequestError &&
        err.reason !== undefined &&
        reasons.includes(err.reason);
      if (!waiting || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
