import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedInfra, type IsolatedInfra } from '@conecta/test-kit';
import { verifyIdentity } from '@conecta/service-kit';
import { runApiKeyCli } from '../src/api-key-cli';
import {
  createApiKeyStore,
  hashApiKey,
  type ApiKeyStore,
} from '../src/api-key-store';
import { operationHash } from '../src/protection';
import {
  IDENTITY_SECRET,
  post,
  startGatewayOn,
  startStubWorld,
  type StartedGateway,
  type StubWorld,
} from './support/stub-subgraphs';

// Partner API keys on the real MongoDB (this file's own database), the CLI that
// issues them, and the gateway that accepts them.
let infra: IsolatedInfra;
let store: ApiKeyStore;
let world: StubWorld;

const partner = {
  name: 'Universidad de Guadalajara — tablero de demanda',
  organizationId: 'org-udg',
  roles: ['university' as const, 'partner' as const],
  rateLimitPerMinute: 100,
};

beforeAll(async () => {
  infra = isolatedInfra('gateway-api-keys');
  store = createApiKeyStore({ uri: infra.mongoUri, cacheMs: 0 });
  await store.start();
  world = await startStubWorld();
});

afterAll(async () => {
  await world?.stop();
  await store?.stop();
  await infra?.cleanup();
});

describe('the API key store', () => {
  it('stores only the SHA-256 of a key and finds the key by it', async () => {
    const { key, record } = await store.issue(partner);
    expect(key).toMatch(/^cnk_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({
      organizationId: 'org-udg',
      roles: ['university', 'partner'],
      rateLimitPerMinute: 100,
      prefix: key.slice(0, 10),
    });
    expect(JSON.stringify(record)).not.toContain(key);
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.verify(key))?.id).toBe(record.id);
    expect(await store.verify(`${key}x`)).toBeUndefined();
  });

  it('forgets a revoked key', async () => {
    const { key, record } = await store.issue(partner);
    await store.revoke(record.id);
    expect(await store.verify(key)).toBeUndefined();
    expect(
      (await store.list({ includeRevoked: true })).map((r) => r.id),
    ).toContain(record.id);
    expect((await store.list()).map((r) => r.id)).not.toContain(record.id);
  });

  it('refuses to issue an admin key: admins are people', async () => {
    await expect(store.issue({ ...partner, roles: ['admin'] })).rejects.toThrow(
      /admin/,
    );
  });
});

describe('the api-keys CLI', () => {
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runApiKeyCli(argv, {
      env: { MONGODB_URI: infra.mongoUri },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('issues, lists and revokes a key', async () => {
    const issued = await cli(
      'issue',
      '--name',
      'Clúster TI Jalisco',
      '--org',
      'org-cluster',
      '--roles',
      'partner',
      '--rate-limit',
      '30',
    );
    expect(issued.code).toBe(0);
    const { key, id } = JSON.parse(issued.out) as { key: string; id: string };
    expect(issued.err).toMatch(/cannot be shown again/);
    expect((await store.verify(key))?.rateLimitPerMinute).toBe(30);

    const listed = await cli('list', '--org', 'org-cluster');
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ id, name: 'Clúster TI Jalisco' }),
    ]);
    expect(listed.out).not.toContain(key);

    expect((await cli('revoke', '--id', id)).code).toBe(0);
    expect(await store.verify(key)).toBeUndefined();
  });

  it('refuses unknown commands, unknown roles and admin keys with a usage error', async () => {
    expect((await cli('delete')).code).toBe(64);
    expect(
      (await cli('issue', '--name', 'x', '--org', 'o', '--roles', 'admin'))
        .code,
    ).toBe(64);
    expect(
      (await cli('issue', '--name', 'x', '--org', 'o', '--roles', 'wizard'))
        .code,
    ).toBe(64);
  });
});

describe('the gateway with API keys', () => {
  let gateway: StartedGateway;
  const registered = 'query Registered { thing { id name } }';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'allowlist-'));
    const manifest = join(dir, 'operations.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          {
            id: operationHash(registered),
            name: 'Registered',
            type: 'query',
            body: registered,
          },
        ],
      }),
    );
    gateway = await startGatewayOn(world, {
      MONGODB_URI: infra.mongoUri,
      API_KEY_CACHE_MS: '0',
      ALLOWLIST_MODE: 'api-keys',
      OPERATION_ALLOWLIST_PATH: manifest,
    });
  });

  afterAll(async () => {
    await gateway?.server.stop();
  });

  it('forwards the key owner’s organization and roles, signed, to subgraphs', async () => {
    const { key, record } = await store.issue(partner);
    const res = await post(
      gateway.url,
      { query: registered },
      { 'x-api-key': key },
    );
    expect(res.body).toEqual({ data: { thing: { id: '1', name: 'thing 1' } } });
    expect(
      verifyIdentity(world.fast.received.at(-1)!, IDENTITY_SECRET, {
        audience: 'fast',
        body: world.fast.bodies.at(-1)!,
      }),
    ).toMatchObject({
      subject: `apikey:${record.id}`,
      roles: ['university', 'partner'],
      organizationId: 'org-udg',
    });
  });

  it('runs a registered operation by its hash alone', async () => {
    const { key } = await store.issue(partner);
    const res = await post(
      gateway.url,
      {
        extensions: {
          persistedQuery: { version: 1, sha256Hash: operationHash(registered) },
        },
      },
      { 'x-api-key': key },
    );
    expect(res.body.data).toEqual({ thing: { id: '1', name: 'thing 1' } });
  });

  it('refuses an operation a partner app has not registered, and lets people run it', async () => {
    const { key } = await store.issue(partner);
    const res = await post(
      gateway.url,
      { query: '{ thing { id } }' },
      { 'x-api-key': key },
    );
    expect(res.status).toBe(403);
    expect(res.body.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OPERATION_NOT_REGISTERED',
    });
    const anonymous = await post(gateway.url, { query: '{ thing { id } }' });
    expect(anonymous.body.data).toEqual({ thing: { id: '1' } });
  });

  it('refuses an unknown or revoked key with UNAUTHENTICATED, never as public', async () => {
    const unknown = await post(
      gateway.url,
      { query: registered },
      { 'x-api-key': 'cnk_not-a-real-key' },
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'API_KEY_INVALID',
    });
    const { key, record } = await store.issue(partner);
    await store.revoke(record.id);
    const revoked = await post(
      gateway.url,
      { query: registered },
      { 'x-api-key': key },
    );
    expect(revoked.status).toBe(401);
  });

  it('limits each key to its own requests per minute', async () => {
    const { key } = await store.issue({ ...partner, rateLimitPerMinute: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push(
        (await post(gateway.url, { query: registered }, { 'x-api-key': key }))
          .status,
      );
    expect(statuses).toEqual([200, 200, 429]);
    // Another key of the same owner has its own budget.
    const other = await store.issue({ ...partner, rateLimitPerMinute: 2 });
    expect(
      (
        await post(
          gateway.url,
          { query: registered },
          { 'x-api-key': other.key },
        )
      ).status,
    ).toBe(200);
  });

  it('reports the key store in /ready', async () => {
    const res = await fetch(`${gateway.operator}/ready`);
    expect(await res.json()).toMatchObject({ checks: { apiKeys: 'ok' } });
  });
});
