import { signIdentity, type Identity } from '@conecta/service-kit';

/** A GraphQL response as a client sees it. */
export interface GraphQLResponse<TData = any> {
  data?: TData | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: Record<string, any>;
  }[];
}

/** Who the request is from: the identity the gateway would forward. */
export type AsIdentity = Partial<
  Pick<Identity, 'roles' | 'subject' | 'organizationId'>
>;

export interface TestClient {
  /** Sends a request signed as the gateway would sign it. */
  request<TData = any>(
    query: string,
    variables: Record<string, unknown>,
    as: AsIdentity,
  ): Promise<GraphQLResponse<TData>>;
  /** Like request, but fails the test (with the errors) unless there are none; returns data. */
  ok<TData = any>(
    query: string,
    variables: Record<string, unknown>,
    as: AsIdentity,
  ): Promise<TData>;
  /** Sends a request without the gateway signature (what a caller bypassing the gateway does). */
  unsigned<TData = any>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
}

/**
 * The language the test clients ask for: English. The API answers Spanish by
 * default (issue 14); these clients are English-speaking, so the tests'
 * assertions read the English messages. A test of the Spanish answers gives
 * `acceptLanguage` (or `null`, to send no header and get the default).
 */
export const TEST_ACCEPT_LANGUAGE = 'en';

/**
 * A client for a subgraph under test, over real HTTP, signing the identity
 * exactly as the gateway does: with the shared secret, for this subgraph
 * (`service`, its name) and for the exact body sent. Default identity: public;
 * default `Accept-Language`: {@link TEST_ACCEPT_LANGUAGE}.
 */
export function createTestClient({
  url,
  secret,
  service,
  acceptLanguage = TEST_ACCEPT_LANGUAGE,
}: {
  url: string;
  secret: string;
  /** The subgraph's name (SERVICE_NAME): signatures are bound to it. */
  service: string;
  /** `Accept-Language` of every request; `null` sends none. Defaults to English. */
  acceptLanguage?: string | null;
}): TestClient {
  async function send(
    query: string,
    variables: Record<string, unknown>,
    as: AsIdentity | undefined,
  ) {
    const body = JSON.stringify({ query, variables });
    const headers = as
      ? signIdentity(
          { roles: ['public'], ...as, issuedAt: Date.now() },
          secret,
          {
            audience: service,
            body,
          },
        )
      : {};
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(acceptLanguage !== null
          ? { 'accept-language': acceptLanguage }
          : {}),
        ...headers,
      },
      body,
    });
    return (await response.json()) as GraphQLResponse;
  }
  const client: TestClient = {
    request: (query, variables, as) => send(query, variables, as),
    async ok(query, variables, as) {
      const res = await client.request(query, variables, as);
      if (res.errors?.length)
        throw new Error(
          `GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`,
        );
      return res.data;
    },
    unsigned: (query, variables) => send(query, variables, undefined),
  };
  return client;
}
