import {
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  ReadinessProblem,
  createLogger,
  createSubgraphServer,
} from '../src/index';
import type { Identity, ReadinessChecks, SubgraphServer } from '../src/index';
import {
  TEST_SECRET,
  identityMother,
  signedFor,
} from './fixtures/identity-mother';
import { logSink } from './fixtures/log-sink';
import {
  SECRET_FAILURE,
  fixtureResolvers,
  fixtureSchemaPath,
  resolverCalls,
} from './fixtures/subgraph';
import type { FixtureContext } from './fixtures/subgraph';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{
    message: string;
    path?: unknown[];
    extensions?: Record<string, unknown>;
  }>;
}

function buildServer(
  overrides: {
    allowUnsigned?: boolean;
    readiness?: ReadinessChecks;
    limits?: { maxDepth: number; maxCost: number };
  } = {},
) {
  const sink = logSink();
  const logger = createLogger({
    name: 'fixture',
    level: 'debug',
    destination: sink,
  });
  const server = createSubgraphServer<FixtureContext>({
    name: 'fixture',
    schemaPath: fixtureSchemaPath,
    resolvers: fixtureResolvers,
    logger,
    identity: {
      secret: TEST_SECRET,
      allowUnsigned: overrides.allowUnsigned ?? false,
    },
    context: (args) => args,
    readiness: overrides.readiness ?? {},
    readinessTimeoutMs: 200,
    drainTimeoutMs: 2_000,
    ...(overrides.limits ? { limits: overrides.limits } : {}),
  });
  return { server, sink };
}

async function post(
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  as: Record<string, string> | Identity = identityMother.certifier(),
): Promise<{ status: number; body: GraphQLBody; headers: Headers }> {
  const text = JSON.stringify(body);
  // An identity is signed for this exact body, as the gateway does.
  const headers = 'roles' in as ? signedFor(text, as as Identity) : as;
  const response = await fetch(url, {
    method: 'POST',
    // An English-speaking caller: errors answer Spanish by default (issue 14).
    headers: {
      'content-type': 'application/json',
      'accept-language': 'en',
      ...headers,
    },
    body: text,
  });
  return {
    status: response.status,
    body: (await response.json()) as GraphQLBody,
    headers: response.headers,
  };
}

describe('createSubgraphServer', () => {
  let server: SubgraphServer;
  let sink: ReturnType<typeof logSink>;
  let url: string;
  let base: string;

  beforeAll(async () => {
    ({ server, sink } = buildServer());
    url = await server.start(0);
    base = url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    resolverCalls.count = 0;
  });

  it('answers /health without touching any dependency', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('lets a validly signed identity reach the context', async () => {
    const identity = identityMother.certifier({ subject: 'user-42' });
    const { status, body } = await post(
      url,
      { query: '{ whoami { subject roles requestId } }' },
      identity,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.['whoami']).toMatchObject({
      subject: 'user-42',
      roles: ['certifier'],
    });
  });

  it('honours x-request-id, echoes it and hands it to the context', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-abc-123',
        ...signedFor(JSON.stringify({ query: '{ whoami { requestId } }' })),
      },
      body: JSON.stringify({ query: '{ whoami { requestId } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    const body = (await response.json()) as GraphQLBody;
    expect(body.data?.['whoami']).toEqual({ requestId: 'req-abc-123' });
  });

  it('generates a request id when the caller sends none', async () => {
    const { headers } = await post(url, { query: '{ whoami { requestId } }' });
    expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a tampered identity with UNAUTHENTICATED before any resolver runs', async () => {
    const signed = signedFor(
      JSON.stringify({ query: '{ whoami { subject } }' }),
    );
    const forged = Buffer.from(
      JSON.stringify(identityMother.certifier({ roles: ['admin'] })),
    ).toString('base64url');
    const { status, body } = await post(
      url,
      { query: '{ whoami { subject } }' },
      { ...signed, [IDENTITY_HEADER]: forged },
    );
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY_INVALID',
    });
    expect(resolverCalls.count).toBe(0);
  });

  it('refuses a request without identity headers when unsigned identities are not allowed', async () => {
    const { status, body } = await post(
      url,
      { query: '{ whoami { subject } }' },
      {},
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(resolverCalls.count).toBe(0);
  });

  it('refuses a stale identity', async () => {
    const stale = identityMother.certifier({
      issuedAt: Date.now() - 10 * 60_000,
    });
    const { status, body } = await post(
      url,
      { query: '{ whoami { subject } }' },
      stale,
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY_EXPIRED',
    });
  });

  it('refuses a signed pair replayed with another body', async () => {
    const { status, body } = await post(
      url,
      { query: '{ whoami { subject } }' },
      signedFor(JSON.stringify({ query: '{ whoami { requestId } }' })),
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]).toMatchObject({
      message: 'Identity was signed for another request body',
      extensions: { code: 'UNAUTHENTICATED', reason: 'IDENTITY_BODY_MISMATCH' },
    });
    expect(resolverCalls.count).toBe(0);
  });

  it('refuses a signed pair meant for another subgraph', async () => {
    const query = { query: '{ whoami { subject } }' };
    const { status, body } = await post(
      url,
      query,
      signedFor(JSON.stringify(query), identityMother.certifier(), 'training'),
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY_WRONG_AUDIENCE',
    });
    expect(resolverCalls.count).toBe(0);
  });

  it('serves neither /ready nor /metrics on the public port', async () => {
    expect((await fetch(`${base}/ready`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const operator = server.operatorUrl();
    expect(operator).toBeDefined();
    expect(operator).not.toBe(base);
    expect((await fetch(`${operator}/health`)).status).toBe(200);
  });

  it('turns a DomainError into its kind, reason and field, without a stack trace', async () => {
    const { status, body } = await post(url, { query: '{ conflict }' });
    expect(status).toBe(200);
    expect(body.errors).toEqual([
      {
        message: 'The committee is not installed',
        locations: [{ line: 1, column: 3 }],
        path: ['conflict'],
        extensions: {
          code: 'CONFLICT',
          reason: 'COMMITTEE_NOT_INSTALLED',
          field: 'committeeId',
        },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts/);
  });

  it('reports every bad input field of parseInput as BAD_USER_INPUT', async () => {
    const { body } = await post(url, {
      query:
        'mutation Create($input: CreateWidgetInput!) { createWidget(input: $input) { id } }',
      variables: { input: { name: 'x', taxId: 'nope' } },
    });
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
      field: 'input.name',
      fields: [
        { field: 'input.name', message: 'must be 3 to 40 characters' },
        { field: 'input.taxId', message: 'is not a valid RFC' },
      ],
    });
  });

  it('turns an unexpected error into INTERNAL without its message or stack, and logs it with the request id', async () => {
    const { body, headers } = await post(url, { query: '{ boom }' });
    const requestId = headers.get('x-request-id');
    expect(body.errors).toEqual([
      {
        message: 'Internal server error',
        locations: [{ line: 1, column: 3 }],
        path: ['boom'],
        extensions: { code: 'INTERNAL', requestId },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const logged = sink
      .lines()
      .find(
        (line) =>
          (line['err'] as { message?: string } | undefined)?.message ===
          SECRET_FAILURE,
      );
    expect(logged).toMatchObject({ level: 'error', requestId });
    expect((logged?.['err'] as { stack?: string }).stack).toContain('boom');
  });

  it('logs the W3C trace context the gateway sends on every line of the request', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        ...signedFor(JSON.stringify({ query: '{ boom }' })),
      },
      body: JSON.stringify({ query: '{ boom }' }),
    });
    const logged = sink.lines().filter((line) => line['traceId'] === traceId);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]).toMatchObject({ parentSpanId: '00f067aa0ba902b7' });
  });

  it('keeps Apollo codes for validation and variable errors', async () => {
    const invalid = await post(url, { query: '{ nope }' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions?.['code']).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    const badVariable = await post(url, {
      query: 'query W($id: ID!) { widget(id: $id) { id } }',
      variables: { id: { not: 'an id' } },
    });
    expect(badVariable.body.errors?.[0]?.extensions?.['code']).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('answers a malformed JSON body with BAD_REQUEST and no stack', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: 'Malformed request body',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(text).not.toContain('at ');
  });

  it('refuses a bodiless cross-site GET with CSRF prevention', async () => {
    const response = await fetch(
      `${url}?query=${encodeURIComponent('{ whoami { subject } }')}`,
      {
        headers: signedFor(''),
      },
    );
    expect(response.status).toBe(400);
  });

  it('resolves entity references through _entities', async () => {
    const { body } = await post(url, {
      query:
        'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Widget { id name } } }',
      variables: { r: [{ __typename: 'Widget', id: 'w-9' }] },
    });
    expect(body.data?.['_entities']).toEqual([
      { id: 'w-9', name: 'Widget w-9' },
    ]);
  });

  it('redacts identity headers in request logs', async () => {
    await post(url, { query: '{ whoami { subject } }' });
    const text = sink.text();
    const signed = signedFor(
      JSON.stringify({ query: '{ whoami { subject } }' }),
    );
    expect(text).toContain('"x-conecta-identity":"[redacted]"');
    expect(text).not.toContain(signed[IDENTITY_SIGNATURE_HEADER]);
  });
});

describe('the dev flag ALLOW_UNSIGNED_IDENTITY', () => {
  let server: SubgraphServer;
  let url: string;

  beforeAll(async () => {
    ({ server } = buildServer({ allowUnsigned: true }));
    url = await server.start(0);
  });

  afterAll(async () => {
    await server.stop();
  });

  it('treats a request without identity headers as public', async () => {
    const { body } = await post(
      url,
      { query: '{ whoami { subject roles } }' },
      {},
    );
    expect(body.data?.['whoami']).toEqual({ subject: null, roles: ['public'] });
  });

  it('still refuses a present but invalid signature', async () => {
    const signed = signedFor(
      JSON.stringify({ query: '{ whoami { subject } }' }),
    );
    const { status } = await post(
      url,
      { query: '{ whoami { subject } }' },
      { ...signed, [IDENTITY_SIGNATURE_HEADER]: 'AAAA' },
    );
    expect(status).toBe(401);
  });
});

describe("a subgraph's own depth and cost ceilings", () => {
  it('refuses a query deeper than its ceiling before any resolver runs, even when signed', async () => {
    const { server } = buildServer({
      limits: { maxDepth: 1, maxCost: 10_000 },
    });
    const url = await server.start(0);
    try {
      resolverCalls.count = 0;
      const deep = await post(url, { query: '{ whoami { subject } }' });
      expect(deep.status).toBe(400);
      expect(deep.body.errors?.[0]?.extensions?.['code']).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(deep.body.errors?.[0]?.message).toMatch(/depth/i);
      expect(resolverCalls.count).toBe(0);
      const shallow = await post(url, { query: '{ conflict }' });
      expect(shallow.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('refuses a query over its cost ceiling', async () => {
    const { server } = buildServer({ limits: { maxDepth: 16, maxCost: 3 } });
    const url = await server.start(0);
    try {
      const costly = await post(url, {
        query: '{ whoami { subject roles requestId } }',
      });
      expect(costly.status).toBe(400);
      expect(costly.body.errors?.[0]?.message).toMatch(/cost/i);
    } finally {
      await server.stop();
    }
  });
});

describe('GET /ready (operator port)', () => {
  it('turns 503 when a check fails and names the failure', async () => {
    const { server } = buildServer({
      readiness: {
        mongo: () => Promise.reject(new Error('connection refused')),
        kafka: () => undefined,
      },
    });
    const url = await server.start(0);
    try {
      expect(await fetch(url.replace(/graphql$/, 'ready'))).toHaveProperty(
        'status',
        404,
      );
      const response = await fetch(`${server.operatorUrl()}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'not_ready',
        checks: { mongo: 'error: connection refused', kafka: 'ok' },
      });
    } finally {
      await server.stop();
    }
  });

  it('turns 503 when a check hangs past its timeout', async () => {
    const { server } = buildServer({
      readiness: { mongo: () => new Promise<void>(() => undefined) },
    });
    const url = await server.start(0);
    try {
      expect(await fetch(url.replace(/graphql$/, 'ready'))).toHaveProperty(
        'status',
        404,
      );
      const response = await fetch(`${server.operatorUrl()}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'not_ready',
        checks: { mongo: 'error: timed out after 200 ms' },
      });
    } finally {
      await server.stop();
    }
  });

  it('stays 200 but says degraded, with details, when only a non-critical check fails', async () => {
    const { server } = buildServer({
      readiness: {
        mongo: async () => undefined,
        kafka: {
          critical: false,
          check: () => Promise.reject(new Error('connection refused')),
        },
        outbox: {
          critical: false,
          check: () => {
            throw new ReadinessProblem('outbox relay failing', {
              pendingDocuments: 3,
            });
          },
        },
      },
    });
    await server.start(0);
    try {
      const response = await fetch(`${server.operatorUrl()}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'degraded',
        checks: {
          mongo: 'ok',
          kafka: 'error: connection refused',
          outbox: 'error: outbox relay failing',
        },
        details: { outbox: { pendingDocuments: 3 } },
      });
    } finally {
      await server.stop();
    }
  });

  it('is not ready when a critical check fails, whatever the others say', async () => {
    const { server } = buildServer({
      readiness: {
        mongo: {
          check: () => Promise.reject(new Error('server selection timed out')),
        },
        kafka: { critical: false, check: () => undefined },
      },
    });
    await server.start(0);
    try {
      const response = await fetch(`${server.operatorUrl()}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'not_ready',
        checks: { mongo: 'error: server selection timed out', kafka: 'ok' },
      });
    } finally {
      await server.stop();
    }
  });

  it('answers 200 when every check passes', async () => {
    const { server } = buildServer({
      readiness: { mongo: async () => undefined, kafka: () => undefined },
    });
    const url = await server.start(0);
    try {
      expect(await fetch(url.replace(/graphql$/, 'ready'))).toHaveProperty(
        'status',
        404,
      );
      const response = await fetch(`${server.operatorUrl()}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ready',
        checks: { mongo: 'ok', kafka: 'ok' },
      });
    } finally {
      await server.stop();
    }
  });
});

describe('stop()', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    const { server } = buildServer();
    const url = await server.start(0);
    const inFlight = post(url, { query: '{ slow(ms: 300) }' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.stop();
    const { body } = await inFlight;
    expect(body.data).toEqual({ slow: 'done' });
    await expect(fetch(url.replace(/graphql$/, 'health'))).rejects.toThrow();
  });
});
