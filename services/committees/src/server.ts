import { join } from 'node:path';
import {
  createMongo,
  createSubgraphServer,
  type ShutdownStep,
} from '@conecta/service-kit';
import { createKafka, pingKafka } from '@conecta/events';
import type { Logger } from 'pino';
import type { Config } from './env';
import type { Context } from './context';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';
import { createCommitteesEvents } from './events';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

/**
 * Builds the whole service without opening anything: `start(port)` connects MongoDB,
 * starts the outbox relay and listens; tests call it with port 0.
 */
export function createCommitteesService(config: Config, logger: Logger) {
  const mongo = createMongo({ uri: config.MONGODB_URI, logger });
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.SERVICE_NAME,
    logger,
  });
  const stores = createStores(mongo.connection);
  const events = createCommitteesEvents({
    kafka,
    collections: [
      stores.organizations.model.collection,
      stores.sectors.model.collection,
    ],
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
  });

  const http = createSubgraphServer<Context>({
    name: config.SERVICE_NAME,
    schemaPath: SCHEMA_PATH,
    resolvers,
    logger,
    identity: {
      secret: config.IDENTITY_SECRET,
      allowUnsigned: config.ALLOW_UNSIGNED_IDENTITY,
    },
    context: ({ identity, requestId, logger: requestLogger }) => ({
      identity,
      requestId,
      logger: requestLogger,
      stores,
      loaders: createLoaders(stores),
      events,
    }),
    readiness: {
      mongo: () => mongo.readiness(),
      kafka: () => pingKafka(kafka),
      // Running is what matters here: a Kafka outage shows in the kafka check,
      // and writes go on meanwhile (the outbox keeps their events).
      outbox: () => {
        if (!events.relay.readiness().detail.running)
          throw new Error('outbox relay not running');
      },
    },
  });

  // Shutdown order: stop accepting and drain HTTP (no new writes) → flush the
  // outbox (publish what those writes produced) → disconnect MongoDB.
  const shutdownSteps: ShutdownStep[] = [
    { name: 'http server', stop: () => http.stop() },
    { name: 'outbox relay', stop: () => events.relay.stop() },
    { name: 'mongodb', stop: () => mongo.stop() },
  ];

  return {
    stores,
    events,
    shutdownSteps,
    async start(port: number): Promise<string> {
      await mongo.start();
      await syncIndexes(stores);
      await events.relay.start();
      return http.start(port);
    },
    async stop(): Promise<void> {
      for (const step of shutdownSteps) await step.stop();
    },
  };
}

export type CommitteesService = ReturnType<typeof createCommitteesService>;
