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

// How the gateway calls a subgraph (issue 18's faster path): identical queries
// in flight for one caller share a call, never across callers or past a
// mutation, and every call carries a signed identity the subgraph accepts;
// and what it leaves out of its own answers.
let world: StubWorld;
let gateway: StartedGateway;

beforeAll(async () => {
  world = await startStubWorld();
  gateway = await startGatewayOn(world, { RATE_LIMIT_PER_IP: '0' });
});

afterAll(async () => {
  await gateway?.server.stop();
  await world?.stop();
});

afterEach(() => {
  world.slow.delayMs = 0;
});

const token = (sub: string) =>
  issueToken(
    { sub, roles: ['university'] },
    { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' },
  );
const bearer = async (sub: string) => ({
  authorization: `Bearer ${await token(sub)}`,
});
const HELLO = { query: '{ slowHello }' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The identity the slow subgraph would verify for its i-th request. */
function identityAt(i: number) {
  return verifyIdentity(world.slow.received[i]!, IDENTITY_SECRET, {
    audience: 'slow',
    body: world.slow.bodies[i]!,
  });
}

it('asks a subgraph once for identical queries in flight from one caller, and answers every one', async () => {
  world.slow.delayMs = 1_000;
  const headers = await bearer('ana');
  const before = world.slow.bodies.length;

  const answers = await Promise.all(
    Array.from({ length: 8 }, () => post(gateway.url, HELLO, headers)),
  );

  expect(answers.map((a) => a.body)).toEqual(
    Array.from({ length: 8 }, () => ({ data: { slowHello: 'hello' } })),
  );
  expect(world.slow.bodies.length - before).toBe(1);
  expect(identityAt(before).subject).toBe('ana');
});

it('never lets one caller share another caller’s call', async () => {
  world.slow.delayMs = 1_000;
  const before = world.slow.bodies.length;

  await Promise.all([
    post(gateway.url, HELLO, await bearer('ana')),
    post(gateway.url, HELLO, await bearer('luis')),
    post(gateway.url, HELLO),
  ]);

  const callers = world.slow.bodies
    .slice(before)
    .map((_, i) => identityAt(before + i).subject ?? 'anonymous');
  expect(callers.sort()).toEqual(['ana', 'anonymous', 'luis']);
});

it('does not join a query that began before a mutation to the same subgraph', async () => {
  world.slow.delayMs = 1_000;
  const headers = await bearer('ana');
  const before = world.slow.bodies.length;

  const first = post(gateway.url, HELLO, headers);
  await sleep(200);
  const mutation = await post(
    gateway.url,
    { query: 'mutation { touchSlow }' },
    headers,
  );
  const second = post(gateway.url, HELLO, headers);

  expect(mutation.body).toEqual({ data: { touchSlow: 'touched' } });
  expect((await first).body.data).toEqual({ slowHello: 'hello' });
  expect((await second).body.data).toEqual({ slowHello: 'hello' });
  const queries = world.slow.bodies
    .slice(before)
    .filter((body) => body.includes('slowHello'));
  expect(queries).toHaveLength(2);
});

it('signs every call for its subgraph and body, reusing a signature only for the same caller and body', async () => {
  const ana = await bearer('ana');
  const before = world.slow.bodies.length;

  await post(gateway.url, HELLO, ana);
  await post(gateway.url, HELLO, ana);
  await post(gateway.url, HELLO, await bearer('luis'));

  const signatures = [0, 1, 2].map((i) => {
    expect(identityAt(before + i).roles).toEqual(['university']);
    return world.slow.received[before + i]!['x-conecta-identity-signature'];
  });
  expect(signatures[1]).toBe(signatures[0]);
  expect(signatures[2]).not.toBe(signatures[0]);
  expect(() =>
    verifyIdentity(world.slow.received[before]!, IDENTITY_SECRET, {
      audience: 'fast',
      body: world.slow.bodies[before]!,
    }),
  ).toThrow(/signed for the slow service/);
});

it('answers GraphQL without an ETag or an X-Powered-By header', async () => {
  const answer = await post(gateway.url, { query: '{ thing { id } }' });

  expect(answer.body).toEqual({ data: { thing: { id: '1' } } });
  expect(answer.headers.get('etag')).toBeNull();
  expect(answer.headers.get('x-powered-by')).toBeNull();
  expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});
