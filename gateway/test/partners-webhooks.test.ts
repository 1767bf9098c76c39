import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  eventually,
  isolatedInfra,
  type IsolatedInfra,
} from '@conecta/test-kit';
import { createApiKeyStore, type ApiKeyStore } from '../src/api-key-store';
import { startTestSystem, type OwnTestSystem } from './support/system';

// Issue 17, signed webhooks, through the gateway: a partner app with an API
// key subscribes its organization, receives a signed test delivery on a real
// HTTP receiver, and reads the subscription's delivery log; another
// organization and an anonymous caller cannot. Only the partners subgraph
// runs behind this file's gateway (the operations reach no other).

let infra: IsolatedInfra;
let keys: ApiKeyStore;
let system: OwnTestSystem;
let receiver: Server;
const received: { headers: Record<string, string>; body: string }[] = [];
const organizationId = randomUUID();
let apiKey: string;

/** A receiver's check, from the Standard Webhooks spec's text. */
function signedBy(
  secret: string,
  { headers, body }: (typeof received)[number],
): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const timestamp = Number(headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1_000 - timestamp) > 300) return false;
  const expected = createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${timestamp}.${body}`)
    .digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((entry) => {
    const given = Buffer.from(entry.replace(/^v1,/, ''), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** How the gateway's response cache answered each partners query (x-cache). */
const cacheAnswers: string[] = [];

/** POSTs to the gateway with the partner's API key (or another credential), as a partner app would. */
async function asPartner(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { 'x-api-key': apiKey },
): Promise<{ data?: any; errors?: any[] }> {
  const response = await fetch(system.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  if (/^\s*query/.test(query))
    cacheAnswers.push(response.headers.get('x-cache') ?? 'none');
  return (await response.json()) as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  infra = isolatedInfra('gateway-partners-webhooks');
  keys = createApiKeyStore({ uri: infra.mongoUri, cacheMs: 0 });
  await keys.start();
  ({ key: apiKey } = await keys.issue({
    name: 'Sistema de RH de Grupo Industrial del Norte',
    organizationId,
    roles: ['partner'],
    rateLimitPerMinute: 600,
  }));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) =>
    receiver.listen(0, '127.0.0.1', resolve),
  );
  system = await startTestSystem('partners-webhooks', {
    services: ['partners'],
    gatewayEnv: { MONGODB_URI: infra.mongoUri, RATE_LIMIT_PER_IP: '0' },
  });
}, 120_000);

afterAll(async () => {
  await system?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await keys?.stop();
  await infra?.cleanup();
}, 60_000);

it('lets a partner app subscribe with its API key, receive a signed delivery and read its delivery log; no one else sees it', async () => {
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/conecta`;
  const created = await asPartner(
    `mutation ($i: CreateWebhookSubscriptionInput!) {
      createWebhookSubscription(input: $i) { secret subscription { id organizationId kinds filters { states } } }
    }`,
    {
      i: {
        url,
        kinds: ['COHORT_SCHEDULED', 'DEMAND_REQUESTED'],
        filters: { states: ['MX-NLE'] },
      },
    },
  );
  expect(created.errors).toBeUndefined();
  const { secret, subscription } = created.data.createWebhookSubscription;
  expect(subscription).toMatchObject({
    organizationId,
    kinds: ['COHORT_SCHEDULED', 'DEMAND_REQUESTED'],
    filters: { states: ['MX-NLE'] },
  });

  const ping = await asPartner(
    `mutation ($s: ID!) { sendTestWebhook(subscriptionId: $s) { id type } }`,
    { s: subscription.id },
  );
  expect(ping.data.sendTestWebhook.type).toBe('webhook.ping');
  const delivered = await eventually(
    async () =>
      received.find(
        (r) => r.headers['webhook-id'] === ping.data.sendTestWebhook.id,
      ),
    { what: 'the test delivery at the receiver' },
  );
  expect(signedBy(secret, delivered)).toBe(true);
  expect(JSON.parse(delivered.body)).toMatchObject({
    type: 'webhook.ping',
    data: { subscriptionId: subscription.id },
  });

  const LOG = `query ($id: ID!) {
    webhookSubscription(id: $id) {
      deliveries { nodes { id type status attempts { outcome httpStatus } } }
    }
  }`;
  const log = await eventually(
    async () => {
      const { data } = await asPartner(LOG, { id: subscription.id });
      const [node] = data?.webhookSubscription?.deliveries.nodes ?? [];
      return node?.status === 'DELIVERED' && node;
    },
    { what: 'the delivery log to show the delivery' },
  );
  expect(log).toEqual({
    id: ping.data.sendTestWebhook.id,
    type: 'webhook.ping',
    status: 'DELIVERED',
    attempts: [{ outcome: 'SUCCEEDED', httpStatus: 204 }],
  });
  // The worker writes the log with no event the response cache could watch:
  // an answer from partners is never stored, so the same read asked again is
  // computed again (a cached one would have kept a PENDING delivery for a
  // minute).
  await asPartner(LOG, { id: subscription.id });
  expect(cacheAnswers.slice(-2)).toEqual(['MISS', 'MISS']);

  const otherOrg = await system.tokenFor({
    sub: 'rh@otra.mx',
    roles: ['partner'],
    org: randomUUID(),
  });
  const foreign = await asPartner(
    LOG,
    { id: subscription.id },
    { authorization: `Bearer ${otherOrg}` },
  );
  expect(foreign.data).toEqual({ webhookSubscription: null });
  const anonymous = await asPartner(`{ webhookSubscriptions { id } }`, {}, {});
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
}, 120_000);
