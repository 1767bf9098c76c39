import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { verifyIdentity } from '@conecta/service-kit';
import { issueToken } from '../src/auth';
import {
  IDENTITY_SECRET,
  JWT_SECRET,
  post,
  startGatewayOn,
  startStubWorld,
  type StartedGateway,
  type StubWorld,
} from './support/stub-subgraphs';

// The gateway's limits, timeouts, headers and metrics, in front of two stub
// subgraphs built in the test (no MongoDB or Kafka needed).
let world: StubWorld;
let gateway: StartedGateway;

beforeAll(async () => {
  world = await startStubWorld();
  gateway = await startGatewayOn(world, {
    MAX_DEPTH: '4',
    MAX_ALIASES: '3',
    MAX_TOKENS: '150',
    MAX_COST: '50',
    MAX_BODY_BYTES: '4096',
    SUBGRAPH_TIMEOUT_MS: '300',
    RATE_LIMIT_PER_IP: '0',
  });
});

afterAll(async () => {
  await gateway?.server.stop();
  await world?.stop();
});

function nested(depth: number): string {
  return depth === 0 ? 'id' : `id child { ${nested(depth - 1)} }`;
}

describe('query limits', () => {
  it('answers a query within every limit', async () => {
    const res = await post(gateway.url, { query: '{ thing { id name } }' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { thing: { id: '1', name: 'thing 1' } } });
  });

  it('refuses a query deeper than MAX_DEPTH before calling any subgraph', async () => {
    const before = world.fast.received.length;
    const res = await post(gateway.url, {
      query: `{ thing { ${nested(5)} } }`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/depth limit of 4/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    );
    for (const error of res.body.errors ?? [])
      expect(error.extensions.stacktrace).toBeUndefined();
    expect(world.fast.received.length).toBe(before);
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const res = await post(gateway.url, {
      query: `{ ${[1, 2, 3, 4].map((i) => `a${i}: thing { id }`).join(' ')} }`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/aliases/i),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('refuses a document of more than MAX_TOKENS tokens as a parse failure, not a 500', async () => {
    const res = await post(gateway.url, {
      query: `{ thing { ${Array.from({ length: 200 }, () => 'id').join(' ')} } }`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/tokens/i),
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('refuses a query costlier than MAX_COST', async () => {
    const res = await post(gateway.url, {
      query: `{ ${[1, 2, 3].map((i) => `a${i}: things(n: 5) { name ${nested(2)} }`).join(' ')} }`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/cost limit of 50/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    );
  });

  it('answers a body over MAX_BODY_BYTES with 413 and a GraphQL error', async () => {
    const res = await post(gateway.url, {
      query: '{ thing { id } }',
      variables: { padding: 'x'.repeat(5_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.errors?.[0]).toEqual({
      message: 'Request body too large',
      extensions: { code: 'BAD_REQUEST', reason: 'BODY_TOO_LARGE' },
    });
  });

  it('answers malformed JSON with 400 and a GraphQL error, no stack trace', async () => {
    const res = await post(gateway.url, '{"query": ');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_REQUEST' });
  });

  it('answers a JSON body that is neither an object nor an array with 400, as body-parser does', async () => {
    for (const body of ['42', ' "query"', 'null']) {
      const res = await post(gateway.url, body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    }
  });

  it('reads the bodies its own reader leaves to body-parser: compressed, other spellings of the type', async () => {
    const body = JSON.stringify({ query: '{ thing { id } }' });
    const cases: { headers: Record<string, string>; body: Buffer | string }[] =
      [
        {
          headers: {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
          },
          body: gzipSync(body),
        },
        {
          headers: { 'content-type': 'application/json; charset=UTF-8' },
          body,
        },
        { headers: { 'content-type': 'application/json;charset=utf-8' }, body },
      ];
    for (const { headers, body: sent } of cases) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers,
        body: sent,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { thing: { id: '1' } } });
    }
  });
});

describe('automatic persisted queries', () => {
  it('asks for the query on an unknown hash, then runs it by hash alone', async () => {
    const query = '{ thing { id name } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };

    const unknown = await post(gateway.url, { extensions });
    expect(unknown.body.errors?.[0].extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    const registered = await post(gateway.url, { query, extensions });
    expect(registered.body.data).toEqual({
      thing: { id: '1', name: 'thing 1' },
    });
    const byHash = await post(gateway.url, { extensions });
    expect(byHash.body.data).toEqual(registered.body.data);
  });
});

describe('a slow subgraph', () => {
  it('yields the other subgraph’s data and an error naming the slow one, within its timeout', async () => {
    world.slow.delayMs = 3_000;
    try {
      const res = await post(gateway.url, {
        query: '{ thing { id name slowField } }',
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        thing: { id: '1', name: 'thing 1', slowField: null },
      });
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors?.[0]).toMatchObject({
        message: 'The slow service did not answer within 300 ms',
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          reason: 'TIMEOUT',
          serviceName: 'slow',
        },
      });
    } finally {
      world.slow.delayMs = 0;
    }
  });

  it('joins a list of N entities with one request to the owning subgraph, whatever N', async () => {
    const calls = async (n: number) => {
      const before = world.slow.received.length;
      const res = await post(gateway.url, {
        query: `query Things($n: Int!) { things(n: $n) { id slowField } }`,
        variables: { n },
      });
      expect(res.body.data.things).toHaveLength(n);
      expect(res.body.data.things[n - 1].slowField).toBe(`slow ${n}`);
      return world.slow.received.length - before;
    };
    expect(await calls(1)).toBe(1);
    expect(await calls(50)).toBe(1);
  });
});

describe('what reaches the subgraphs', () => {
  it('forwards the signed identity, the request id and the caller’s trace with a new span', async () => {
    const token = await issueToken(
      { sub: 'ana', roles: ['university'], org: 'org-1' },
      { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' },
    );
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await post(
      gateway.url,
      { query: '{ thing { id slowField } }' },
      {
        authorization: `Bearer ${token}`,
        'x-request-id': 'req-123',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    );
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const headers = world.slow.received.at(-1)!;
    expect(headers['x-request-id']).toBe('req-123');
    expect(headers['traceparent']).toMatch(
      new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`),
    );
    expect(headers['traceparent']).not.toContain('00f067aa0ba902b7');
    const body = world.slow.bodies.at(-1)!;
    expect(
      verifyIdentity(headers, IDENTITY_SECRET, { audience: 'slow', body }),
    ).toMatchObject({
      subject: 'ana',
      roles: ['university'],
      organizationId: 'org-1',
    });
  });

  it('binds the forwarded identity to the body and the subgraph it was sent to, for 30 s at most', async () => {
    const token = await issueToken(
      { sub: 'ana', roles: ['admin'] },
      { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' },
    );
    await post(
      gateway.url,
      { query: '{ thing { id slowField } }' },
      { authorization: `Bearer ${token}` },
    );
    const headers = world.slow.received.at(-1)!;
    const body = world.slow.bodies.at(-1)!;
    const replay = (binding: { audience: string; body: string }) => {
      try {
        verifyIdentity(headers, IDENTITY_SECRET, binding);
        return 'accepted';
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    expect(replay({ audience: 'slow', body })).toBe('accepted');
    // The captured pair, on a query of the attacker's choosing, or on another subgraph:
    expect(
      replay({ audience: 'slow', body: body.replace('slowField', 'id') }),
    ).toBe('IDENTITY_BODY_MISMATCH');
    expect(replay({ audience: 'fast', body })).toBe('IDENTITY_WRONG_AUDIENCE');
    const claims = JSON.parse(
      Buffer.from(
        String(headers['x-conecta-identity']),
        'base64url',
      ).toString(),
    ) as { issuedAt: number; exp: number };
    expect(claims.exp - claims.issuedAt).toBeLessThanOrEqual(30_000);
  });

  it('generates a request id and a trace when the caller sends none', async () => {
    const res = await post(gateway.url, { query: '{ thing { id } }' });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const headers = world.fast.received.at(-1)!;
    expect(headers['x-request-id']).toBe(requestId);
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});

describe('observability', () => {
  it('logs one structured line per request with its operation name and duration', async () => {
    await post(gateway.url, {
      query: 'query NamedThing { thing { id } }',
      operationName: 'NamedThing',
    });
    const line = gateway.logs.find((l) => l['operation'] === 'NamedThing');
    expect(line).toMatchObject({
      msg: 'graphql request',
      status: 200,
      requestId: expect.any(String),
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      durationMs: expect.any(Number),
    });
  });

  it('exposes request, error and subgraph metrics for Prometheus', async () => {
    const text = await (await fetch(`${gateway.operator}/metrics`)).text();
    expect(text).toMatch(
      /conecta_gateway_requests_total\{operation="NamedThing",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /conecta_gateway_request_duration_seconds_bucket\{le="[^"]+",operation="NamedThing"\}/,
    );
    expect(text).toMatch(
      /conecta_gateway_operation_errors_total\{operation="anonymous",code="GRAPHQL_VALIDATION_FAILED"\} \d+/,
    );
    expect(text).toMatch(
      /conecta_gateway_subgraph_requests_total\{subgraph="slow",outcome="timeout"\} 1/,
    );
    expect(text).toMatch(
      /conecta_gateway_subgraph_errors_total\{subgraph="slow",kind="timeout"\} 1/,
    );
  });

  it('reports ready when the supergraph is loaded and every subgraph answers', async () => {
    const res = await fetch(`${gateway.operator}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { supergraph: 'ok', fast: 'ok', slow: 'ok' },
    });
  });
});

describe('operator endpoints', () => {
  it('serves /ready and /metrics on the operator port only, never on the public one', async () => {
    expect((await fetch(`${gateway.base}/metrics`)).status).toBe(404);
    expect((await fetch(`${gateway.base}/ready`)).status).toBe(404);
    expect((await fetch(`${gateway.base}/health`)).status).toBe(200);
    expect(gateway.operator).not.toBe(gateway.base);
    expect((await fetch(`${gateway.operator}/metrics`)).status).toBe(200);
  });
});

describe('rate limit per IP', () => {
  it('charges an API key request to its address before looking the key up', async () => {
    let lookups = 0;
    const limited = await startGatewayOn(
      world,
      { RATE_LIMIT_PER_IP: '2' },
      {
        apiKeyVerifier: {
          verify: async () => {
            lookups += 1;
            return undefined;
          },
        },
      },
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1)
        statuses.push(
          (
            await post(
              limited.url,
              { query: '{ thing { id } }' },
              { 'x-api-key': `made-up-key-${i}` },
            )
          ).status,
        );
      expect(statuses).toEqual([401, 401, 429, 429, 429]);
      // A flood of made-up keys reaches the key store only within the limit.
      expect(lookups).toBe(2);
    } finally {
      await limited.server.stop();
    }
  });

  it('counts a valid API key’s requests against the key, not its address', async () => {
    const limited = await startGatewayOn(
      world,
      { RATE_LIMIT_PER_IP: '2' },
      {
        apiKeyVerifier: {
          verify: async () =>
            ({
              id: 'key-1',
              name: 'partner app',
              organizationId: 'org-1',
              roles: ['partner'],
              rateLimitPerMinute: 100,
              createdAt: new Date(),
            }) as never,
        },
      },
    );
    try {
      for (let i = 0; i < 4; i += 1)
        expect(
          (
            await post(
              limited.url,
              { query: '{ thing { id } }' },
              { 'x-api-key': 'cnk_valid' },
            )
          ).status,
        ).toBe(200);
    } finally {
      await limited.server.stop();
    }
  });

  it('answers 429 RATE_LIMITED with Retry-After once an IP is over its limit', async () => {
    const limited = await startGatewayOn(world, { RATE_LIMIT_PER_IP: '2' });
    try {
      for (let i = 0; i < 2; i += 1)
        expect(
          (await post(limited.url, { query: '{ thing { id } }' })).status,
        ).toBe(200);
      const res = await post(limited.url, { query: '{ thing { id } }' });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Rate limit exceeded/),
        extensions: { code: 'RATE_LIMITED' },
      });
    } finally {
      await limited.server.stop();
    }
  });
  it('behind a proxy (TRUST_PROXY_HOPS), counts each client by the address the proxy forwards', async () => {
    const limited = await startGatewayOn(world, {
      RATE_LIMIT_PER_IP: '2',
      TRUST_PROXY_HOPS: '1',
    });
    const from = (ip: string) =>
      post(
        limited.url,
        { query: '{ thing { id } }' },
        { 'x-forwarded-for': ip },
      ).then((res) => res.status);
    try {
      expect([await from('203.0.113.7'), await from('203.0.113.7')]).toEqual([
        200, 200,
      ]);
      // Another client behind the same proxy has a budget of its own…
      expect(await from('198.51.100.20')).toBe(200);
      // …and the first one is over its limit.
      expect(await from('203.0.113.7')).toBe(429);
    } finally {
      await limited.server.stop();
    }
  });
});

describe('the response cache without Kafka', () => {
  it('is off while it cannot learn what changed: every query is answered afresh', async () => {
    // Nothing listens on port 1: the offsets cannot be read.
    const blind = await startGatewayOn(world, {
      KAFKA_BROKERS: '127.0.0.1:1',
      RATE_LIMIT_PER_IP: '0',
    });
    try {
      for (let i = 0; i < 2; i += 1) {
        const res = await post(blind.url, { query: '{ thing { id } }' });
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        expect(res.headers.get('x-cache')).toBe('OFF');
      }
    } finally {
      await blind.server.stop();
    }
  });
});
