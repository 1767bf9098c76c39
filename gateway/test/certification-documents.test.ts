import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startGatewayOn,
  startStubWorld,
  type StartedGateway,
  type StubWorld,
} from './support/stub-subgraphs';

// Issue 15: the gateway forwards the certificates' public documents — the
// URLs credentials carry — to the certification subgraph at the same path,
// GET only, with no identity headers, passing its validators and caching
// headers back. The certification side (what those documents are) is tested
// in services/certification/test/api/credentials-from-nothing.test.ts.

const STATUS_LIST = 'eyJhbGciOiJFZERTQSJ9.e30.c2ln';
const ETAG = '"list-1-v1"';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let world: StubWorld;
let gateway: StartedGateway;
let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  // A stand-in certification service: a status list with an ETag, a 404.
  upstream = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (req.url === '/certification/status-lists/1') {
      if (req.headers['if-none-match'] === ETAG) {
        res.writeHead(304, {
          etag: ETAG,
          'cache-control': 'public, max-age=300',
        });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/vc+jwt',
        etag: ETAG,
        'cache-control': 'public, max-age=300',
        'access-control-allow-origin': '*',
        'x-internal': 'not for the public',
      });
      res.end(req.method === 'HEAD' ? undefined : STATUS_LIST);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });
  await new Promise<void>((resolve) =>
    upstream.listen(0, '127.0.0.1', resolve),
  );
  const { port } = upstream.address() as AddressInfo;
  upstreamUrl = `http://127.0.0.1:${port}/graphql`;
  world = await startStubWorld();
  gateway = await startGatewayOn(world, { CERTIFICATION_URL: upstreamUrl });
});

afterAll(async () => {
  await gateway?.server.stop();
  await world?.stop();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${gateway.base}${path}`, { headers });

describe('the certificates’ public documents through the gateway', () => {
  it('forwards a status list at the same path with its ETag and Cache-Control, and nothing of the caller', async () => {
    seen.length = 0;
    const res = await get('/certification/status-lists/1', {
      authorization: 'Bearer some-token',
      'x-api-key': 'some-key',
      cookie: 'session=1',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(STATUS_LIST);
    expect(res.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
    expect(res.headers.get('etag')).toBe(ETAG);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-internal')).toBeNull();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/certification/status-lists/1',
    });
    const forwarded = Object.keys(seen[0]!.headers);
    for (const header of [
      'authorization',
      'x-api-key',
      'cookie',
      'x-conecta-identity',
      'x-conecta-identity-signature',
    ])
      expect(forwarded).not.toContain(header);
  });

  it('passes If-None-Match on and the 304 back', async () => {
    const res = await get('/certification/status-lists/1', {
      'If-None-Match': ETAG,
    });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(ETAG);
  });

  it('forwards the profiles and keys paths, and the service’s 404 as it is', async () => {
    seen.length = 0;
    for (const path of [
      '/certification',
      '/certification/keys',
      '/certification/bodies/0190a0a0-0000-7000-8000-000000000000',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
    }
    expect(seen.map((s) => s.url)).toEqual([
      '/certification',
      '/certification/keys',
      '/certification/bodies/0190a0a0-0000-7000-8000-000000000000',
    ]);
  });

  it('forwards nothing else of the service, and only reads', async () => {
    seen.length = 0;
    for (const path of [
      '/certification/graphql',
      '/certification/health',
      '/certification/bodies/a/b',
      '/certification/status-lists/%2e%2e%2Fgraphql',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
    }
    const post = await fetch(`${gateway.base}/certification/keys`, {
      method: 'POST',
    });
    expect(post.status).toBe(405);
    expect(seen).toEqual([]);
  });

  it('answers 502 in JSON when the certification service cannot be reached', async () => {
    const down = await startGatewayOn(world, {
      CERTIFICATION_URL: 'http://127.0.0.1:9/graphql',
    });
    try {
      const res = await fetch(`${down.base}/certification/keys`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({
        error: 'certification service unavailable',
      });
    } finally {
      await down.server.stop();
    }
  });

  it('charges each request to the client address, as /graphql: past the limit, 429 with Retry-After', async () => {
    const limited = await startGatewayOn(world, {
      CERTIFICATION_URL: upstreamUrl,
      RATE_LIMIT_PER_IP: '3',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push(
          (await fetch(`${limited.base}/certification/status-lists/1`)).status,
        );
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await fetch(`${limited.base}/certification/keys`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toEqual({
        error: 'too many requests',
        code: 'RATE_LIMITED',
      });
    } finally {
      await limited.server.stop();
    }
  });
});
