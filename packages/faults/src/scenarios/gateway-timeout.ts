import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { SectorRegisteredV1, newEvent } from '@conecta/events';
import {
  IDEMPOTENCY_COLLECTION,
  createSubgraphService,
  loadConfig,
} from '@conecta/service-kit';
import type { IdempotencyEntry } from '@conecta/service-kit';
import { parse } from 'graphql';
import type { Collection, Document } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
// The real gateway, from its source (tsx runs it as `npm start` would after a build).
import { issueToken } from '../../../../gateway/src/auth';
import { parseGatewayConfig } from '../../../../gateway/src/env';
import { createGatewayServer } from '../../../../gateway/src/server';
import type { SectorDoc, SectorEvent } from '../pipeline';
import { tally } from '../pipeline';
import { sleep } from '../stack';
import { openWorld, rowFrom, seconds } from '../world';
import type { Scenario } from '../world';

/** The gateway gives up on a subgraph after this long… */
const GATEWAY_TIMEOUT_MS = 1_000;
/** …and the mutation takes this long, so every first attempt times out at the gateway. */
const MUTATION_MS = 2_500;
const MUTATIONS = 5;
/** How long a client keeps retrying one mutation before it counts as never answered. */
const CLIENT_DEADLINE_MS = 60_000;
const RETRY_EVERY_MS = 500;

const SCHEMA = join(__dirname, 'gateway-timeout.graphql');
const REGISTER = `mutation ($name: String!) { registerSector(name: $name) { id name } }`;

interface Answer {
  data?: { registerSector?: { id: string; name: string } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** What one client saw of one mutation, first attempt and retries. */
interface Attempts {
  firstTimedOut: boolean;
  inProgress: number;
  replayed: boolean;
  answer?: { id: string; name: string };
  lastError?: string;
}

/**
 * A mutation slower than the gateway's subgraph timeout: the client gets a
 * timeout while the subgraph goes on and commits. The client retries with
 * the same `Idempotency-Key` (while the first attempt runs it is told
 * IN_PROGRESS, and retries again) and must get the first attempt's answer,
 * with nothing created twice and the one event it wrote applied once
 * downstream. A real small subgraph (service-kit's `createSubgraphService`:
 * MongoDB, outbox relay, idempotency store) behind the real gateway
 * (`createGatewayServer`, SUBGRAPH_TIMEOUT_MS 1 s), both on the private stack.
 */
export const gatewayTimeout: Scenario = {
  id: 'gateway-timeout',
  fault: 'gateway timeout, then a retry with the same Idempotency-Key',
  async run(context) {
    const world = await openWorld(context, 'gateway_timeout');
    const identitySecret = randomBytes(32).toString('hex');
    const jwtSecret = randomBytes(32).toString('hex');
    const written: SectorEvent[] = [];
    let resolverRuns = 0;

    const subgraph = createSubgraphService<
      { sectors: Collection<Document> },
      object
    >({
      // A real service name: its relay publishes to `<prefix>conecta.committees.events`.
      name: 'committees',
      config: loadConfig(
        {},
        {
          SERVICE_NAME: 'faults-sectors',
          PORT: '0',
          MONGODB_URI: `${world.names.mongoUri}/${world.names.dbName}`,
          KAFKA_BROKERS: world.names.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: world.names.prefix,
          IDENTITY_SECRET: identitySecret,
        },
      ),
      logger: context.logger,
      schemaPath: SCHEMA,
      build: ({ connection, outbox }) => {
        const sectors = connection.collection(
          'sectors',
        ) as unknown as Collection<Document>;
        return {
          stores: { sectors },
          outboxCollections: [sectors],
          context: (base) => base,
          resolvers: {
            Query: {
              sector: async (_: unknown, { id }: { id: string }) => {
                const doc = (await sectors.findOne({
                  _id: id,
                } as Document)) as SectorDoc | null;
                return doc && { id: doc._id, name: doc.name };
              },
            },
            Mutation: {
              registerSector: async (
                _: unknown,
                { name }: { name: string },
              ) => {
                resolverRuns += 1;
                await sleep(MUTATION_MS);
                const id = uuidv7();
                const event = newEvent(SectorRegisteredV1, {
                  subject: id,
                  data: { id, code: '5415', name, kind: 'PRODUCTIVE' },
                });
                await outbox.insert(sectors, { _id: id, name, revision: 0 }, [
                  event,
                ]);
                written.push(event);
                return { id, name };
              },
            },
            Sector: {
              __resolveReference: async ({ id }: { id: string }) => {
                const doc = (await sectors.findOne({
                  _id: id,
                } as Document)) as SectorDoc | null;
                return doc && { id: doc._id, name: doc.name };
              },
            },
          },
        };
      },
    });

    let gateway: ReturnType<typeof createGatewayServer> | undefined;
    try {
      await world.startConsumer('message');
      const subgraphUrl = (await subgraph.start(0)).replace(
        'localhost',
        '127.0.0.1',
      );
      const composed = composeServices([
        {
          name: 'committees',
          url: subgraphUrl,
          typeDefs: parse(readFileSync(SCHEMA, 'utf8')),
        },
      ]);
      if (composed.errors)
        throw new Error(composed.errors.map(String).join('\n'));
      const config = parseGatewayConfig({
        PORT: '0',
        IDENTITY_SECRET: identitySecret,
        JWT_SECRET: jwtSecret,
        SUBGRAPH_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
        LOG_LEVEL: context.logLevel === 'silent' ? 'silent' : 'info',
      });
      gateway = createGatewayServer(config, context.logger, {
        supergraphSdl: composed.supergraphSdl,
        subgraphs: [{ name: 'committees', url: subgraphUrl }],
      });
      const gatewayUrl = (await gateway.start(0)).replace(
        'localhost',
        '127.0.0.1',
      );
      const token = await issueToken(
        { sub: 'faults-client', roles: ['admin'] },
        {
          secret: jwtSecret,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        },
      );

      const send = async (name: string, key: string) => {
        const response = await fetch(gatewayUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
          },
          body: JSON.stringify({ query: REGISTER, variables: { name } }),
        });
        return {
          replayed: response.headers.get('idempotent-replayed') === 'true',
          body: (await response.json()) as Answer,
        };
      };

      const clients: Attempts[] = [];
      for (let i = 0; i < MUTATIONS; i += 1) {
        const key = randomUUID();
        const name = `Sector por la pasarela ${i + 1}`;
        const seen: Attempts = {
          firstTimedOut: false,
          inProgress: 0,
          replayed: false,
        };
        const first = await send(name, key);
        const firstError = first.body.errors?.[0]?.extensions;
        seen.firstTimedOut =
          !first.body.data?.registerSector && firstError?.reason === 'TIMEOUT';
        const deadline = Date.now() + CLIENT_DEADLINE_MS;
        while (!seen.answer && Date.now() < deadline) {
          await sleep(RETRY_EVERY_MS);
          const retry = await send(name, key);
          const reason = retry.body.errors?.[0]?.extensions?.reason;
          if (retry.body.data?.registerSector) {
            seen.answer = retry.body.data.registerSector;
            seen.replayed = retry.replayed;
          } else if (reason === 'IDEMPOTENT_REQUEST_IN_PROGRESS') {
            seen.inProgress += 1;
          } else {
            seen.lastError = JSON.stringify(retry.body.errors ?? retry.body);
          }
        }
        clients.push(seen);
        context.say(
          `  mutation ${i + 1}: first attempt ${seen.firstTimedOut ? 'timed out' : 'did NOT time out'}, ${seen.inProgress} retries told IN_PROGRESS, then ${seen.answer ? (seen.replayed ? 'the stored answer' : 'an answer not marked replayed') : 'no answer'}`,
        );
      }

      const caughtUpIn = await world.caughtUp(120_000);
      const figures = await tally({
        produced: written,
        sectors: world.sectors,
        views: world.views,
        kafka: world.kafka,
        dlqTopic: world.names.dlqTopic,
      });
      const created = await world.sectors.countDocuments();
      const keys = world.client
        .db(world.names.dbName)
        .collection<IdempotencyEntry>(IDEMPOTENCY_COLLECTION);
      const stuckKeys = await keys.countDocuments({ state: 'in_progress' });
      const unanswered = clients.filter((c) => !c.answer).length;
      // An answer naming a sector that does not exist, or whose event was never applied, is a lost mutation.
      const appliedIds = new Set(
        (await world.views.find().toArray()).map((v) => v._id),
      );
      const answeredButMissing = clients.filter(
        (c) => c.answer && !appliedIds.has(c.answer.id),
      ).length;
      const extraCreates = Math.max(0, created - MUTATIONS);

      if (clients.some((c) => !c.firstTimedOut))
        figures.details.push(
          'a first attempt did not time out at the gateway: the fault was not inflicted',
        );
      if (clients.some((c) => c.answer && !c.replayed))
        figures.details.push(
          'a retry ran the mutation again instead of replaying',
        );
      if (extraCreates > 0)
        figures.details.push(`${extraCreates} sectors created by retries`);
      if (stuckKeys > 0)
        figures.details.push(`${stuckKeys} idempotency keys left in progress`);
      if (unanswered > 0)
        figures.details.push(
          `${unanswered} mutations never answered: ${clients.find((c) => !c.answer)?.lastError ?? ''}`,
        );
      if (answeredButMissing > 0)
        figures.details.push(
          `${answeredButMissing} answers name a sector whose event never reached the read model`,
        );
      return {
        ...rowFrom(figures, [
          `${MUTATIONS} mutations of ${seconds(MUTATION_MS)} behind a gateway timeout of ${seconds(GATEWAY_TIMEOUT_MS)}: every first attempt timed out, retries with the same key were told IN_PROGRESS ${clients.reduce((n, c) => n + c.inProgress, 0)} times, then got the stored answer; ${resolverRuns} resolver runs, ${created} sectors; caught up ${seconds(caughtUpIn)} after the last answer`,
        ]),
        lost: figures.lost + answeredButMissing + unanswered,
        appliedTwice: figures.appliedTwice + extraCreates,
        halfDone: figures.halfDone + stuckKeys,
      };
    } finally {
      await gateway?.stop().catch(() => undefined);
      await subgraph.stop().catch(() => undefined);
      await world.close();
    }
  },
};
