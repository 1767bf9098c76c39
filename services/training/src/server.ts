import { join } from 'node:path';
import {
  createSubgraphService,
  type Config,
  type Logger,
} from '@conecta/service-kit';
import type { Context } from './context';
import type { trainingConfig } from './env';
import { createTrainingEvents } from './events';
import { createProjectionConsumer } from './events/projections';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

export type TrainingConfig = Config<typeof trainingConfig>;

/**
 * The training subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the outbox relay and the consumer
 * of committees', standards' and certification's events, and listens (tests
 * use port 0). The runtime (service-kit) owns readiness and the shutdown order.
 */
export function createTrainingService(config: TrainingConfig, logger: Logger) {
  const pricing = {
    brokerMarkupBps: config.BROKER_MARKUP_BPS,
    matchingFundShareBps: config.MATCHING_FUND_SHARE_BPS,
  };
  return createSubgraphService({
    name: 'training',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    build: ({ connection, kafka, topicPrefix, outbox }) => {
      const stores = createStores(connection, outbox);
      const events = createTrainingEvents();
      return {
        stores,
        outboxCollections: [
          stores.credentials.collection,
          stores.demands.collection,
          stores.agreements.collection,
          stores.projects.collection,
          stores.cohorts.collection,
          stores.enrollments.collection,
        ],
        consumers: [
          createProjectionConsumer({
            kafka,
            topicPrefix,
            logger,
            projections: stores.projections,
          }),
        ],
        resolvers,
        context: (base): Context => ({
          ...base,
          stores,
          loaders: createLoaders(stores),
          events,
          pricing,
        }),
        prepare: () => syncIndexes(stores),
      };
    },
  });
}

export type TrainingService = ReturnType<typeof createTrainingService>;
