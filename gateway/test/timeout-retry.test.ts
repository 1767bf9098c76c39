import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { SectorRegisteredV1, newEvent } from '@conecta/events';
import {
  IDEMPOTENCY_COLLECTION,
  createLogger,
  createSubgraphService,
  loadConfig,
} from '@conecta/service-kit';
import { readEvents } from '@conecta/test-kit';
import { parse } from 'graphql';
import type { Collection, Document } from 'mongodb';
import { issueToken } from '../src/auth';
import { parseGatewayConfig } from '../src/env';
import { createGatewayServer } from '../src/server';

// Issue 13, the cheap case of the fault suite's "gateway timeout, then a
// retry" (`npm run faults`, packages/faults): a mutation slower than the
// gateway's subgraph timeout times the client out while the subgraph goes on
// and commits. The client retries with the same Idempotency-Key: while the
// first attempt runs it is told IN_PROGRESS, then it gets the first attempt's
// answer — one resolver run, one document, one event on Kafka. A real small
// subgraph (service-kit: MongoDB, outbox relay, idempotency store) behind the
// real gateway, on the shared Kafka and MongoDB.

const GATEWAY_TIMEOUT_MS = 1_000;
const MUTATION_MS = 2_500;

const SDL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Sector @key(fields: "id") { id: ID! name: String! }
  type Query { sector(id: ID!): Sector }
  type Mutation { registerSector(name: String!): Sector! }
`;
const schemaPath = join(tmpdir(), `timeout-retry-${randomUUID()}.graphql`);
writeFileSync(schemaPath, SDL);
const REGISTER = `mutation ($name: String!) { registerSector(name: $name) { id name } }`;

const run = randomUUID().slice(0, 8);
const prefix = `timeout_retry_${run}_`;
const identitySecret = randomBytes(32).toString('hex');
const jwtSecret = randomBytes(32).toString('hex');
const logger = createLogger({ name: 'timeout-retry', level: 'silent' });
let resolverRuns = 0;
let sectors: Collection<Document>;
let idempotencyKeys: Collection<Document>;

const subgraph = createSubgraphService<
  { sectors: Collection<Document> },
  object
>({
  // A real service name: its relay publishes to `<prefix>conecta.committees.events`.
  name: 'committees',
  config: loadConfig(
    {},
    {
      SERVICE_NAME: 'timeout-retry',
      PORT: '0',
      MONGODB_URI: `${process.env.MONGODB_URI}/timeout_retry_${run}`,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      KAFKA_TOPIC_PREFIX: prefix,
      IDENTITY_SECRET: identitySecret,
      LOG_LEVEL: 'silent',
    },
  ),
  logger,
  schemaPath,
  build: ({ connection, outbox }) => {
    sectors = connection.collection(
      'sectors',
    ) as unknown as Collection<Document>;
    idempotencyKeys = connection.collection(
      IDEMPOTENCY_COLLECTION,
    ) as unknown as Collection<Document>;
    const read = async ({ id }: { id: string }) => {
      const doc = await sectors.findOne({ _id: id } as Document);
      return doc && { id: doc._id, name: doc.name };
    };
    return {
      stores: { sectors },
      outboxCollections: [sectors],
      context: (base) => base,
      resolvers: {
        Query: { sector: (_: unknown, args: { id: string }) => read(args) },
        Mutation: {
          registerSector: async (_: unknown, { name }: { name: string }) => {
            resolverRuns += 1;
            await new Promise((resolve) => setTimeout(resolve, MUTATION_MS));
            const id = randomUUID();
            const event = newEvent(SectorRegisteredV1, {
              subject: id,
              data: { id, code: '5415', name, kind: 'PRODUCTIVE' },
            });
            await outbox.insert(sectors, { _id: id, name, revision: 0 }, [
              event,
            ]);
            return { id, name };
          },
        },
        Sector: { __resolveReference: read },
      },
    };
  },
});
let gateway: ReturnType<typeof createGatewayServer>;
let gatewayUrl: string;
let token: string;

beforeAll(async () => {
  const subgraphUrl = (await subgraph.start(0)).replace(
    'localhost',
    '127.0.0.1',
  );
  const composed = composeServices([
    { name: 'committees', url: subgraphUrl, typeDefs: parse(SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map(String).join('\n'));
  const config = parseGatewayConfig({
    PORT: '0',
    IDENTITY_SECRET: identitySecret,
    JWT_SECRET: jwtSecret,
    SUBGRAPH_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
    LOG_LEVEL: 'silent',
  });
  gateway = createGatewayServer(config, logger, {
    supergraphSdl: composed.supergraphSdl,
    subgraphs: [{ name: 'committees', url: subgraphUrl }],
  });
  gatewayUrl = (await gateway.start(0)).replace('localhost', '127.0.0.1');
  token = await issueToken(
    { sub: 'timeout-retry-client', roles: ['admin'] },
    {
      secret: jwtSecret,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
  );
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await subgraph.stop();
}, 60_000);

interface Answer {
  replayed: boolean;
  data?: { registerSector?: { id: string; name: string } } | null;
  reason?: unknown;
}

async function send(name: string, key: string): Promise<Answer> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': key,
    },
    body: JSON.stringify({ query: REGISTER, variables: { name } }),
  });
  const body = (await response.json()) as {
    data?: Answer['data'];
    errors?: { extensions?: { reason?: unknown } }[];
  };
  return {
    replayed: response.headers.get('idempotent-replayed') === 'true',
    data: body.data,
    reason: body.errors?.[0]?.extensions?.reason,
  };
}

it('a client timed out by the gateway retries with its key and gets the first answer: one run, one sector, one event', async () => {
  const key = randomUUID();
  const name = `Sector tras un tiempo de espera ${run}`;

  const first = await send(name, key);
  expect(first.data?.registerSector).toBeUndefined();
  expect(first.reason).toBe('TIMEOUT');

  // Retry as a client would, until the first attempt has finished (bounded
  // by the mutation's own length, not by a padded wait).
  const reasons: unknown[] = [];
  let answer: Answer | undefined;
  const deadline = Date.now() + MUTATION_MS * 4;
  while (!answer && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const retry = await send(name, key);
    if (retry.data?.registerSector) answer = retry;
    else reasons.push(retry.reason);
  }

  // While the first attempt runs, a retry is told IN_PROGRESS (or, on a
  // machine slow enough, times out at the gateway again): never run twice.
  expect(reasons.length).toBeGreaterThan(0);
  for (const reason of reasons)
    expect(['IDEMPOTENT_REQUEST_IN_PROGRESS', 'TIMEOUT']).toContain(reason);
  expect(answer).toMatchObject({
    replayed: true,
    data: { registerSector: { id: expect.any(String), name } },
  });
  const id = answer!.data!.registerSector!.id;
  expect(resolverRuns).toBe(1);
  expect(await sectors.find().toArray()).toEqual([
    expect.objectContaining({ _id: id, name }),
  ]);
  expect(await idempotencyKeys.countDocuments({ state: 'in_progress' })).toBe(
    0,
  );

  const events = await readEvents({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    topic: `${prefix}conecta.committees.events`,
    until: (message) => message.event.subject === id,
    count: 1,
  });
  expect(events).toHaveLength(1);
  expect(events[0]!.event.type).toBe(SectorRegisteredV1.type);
});
