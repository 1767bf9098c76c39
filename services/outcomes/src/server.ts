import { join } from 'node:path';
import {
  createSubgraphService,
  hasRole,
  type Config,
  type Logger,
} from '@conecta/service-kit';
import type { Context } from './context';
import type { outcomesConfig } from './env';
import { createOutcomesFeed } from './events/feed';
import { resolvers } from './resolvers';
import { createLoaders, createStores, storesAt, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

export type OutcomesConfig = Config<typeof outcomesConfig>;

/**
 * The outcomes subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the consumer of every service's
 * topic (its own too: placements are counted from their events) and listens
 * (tests use port 0). The outbox relay publishes placements' events. The runtime
 * (service-kit) owns readiness (the consumer's included) and the shutdown order.
 */
export function createOutcomesService(config: OutcomesConfig, logger: Logger) {
  return createSubgraphService({
    name: 'outcomes',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    build: ({ connection, kafka, topicPrefix, outbox }) => {
      const stores = createStores(connection, outbox);
      const feed = createOutcomesFeed({
        kafka,
        topicPrefix,
        logger,
        stores,
      });
      return {
        stores,
        outboxCollections: [stores.placements.collection],
        consumers: [feed],
        resolvers,
        context: (base): Context => {
          // Every read of a request from one generation: the one serving now.
          const serving = storesAt(stores, feed.serving());
          return {
            ...base,
            stores: serving,
            loaders: createLoaders(serving),
            disclosure: {
              threshold: config.SUPPRESSION_THRESHOLD,
              revealAll: hasRole(base.identity, 'admin'),
            },
            feed,
            surveyWeights: config.SURVEY_WEIGHTS,
          };
        },
        prepare: () => syncIndexes(stores),
      };
    },
  });
}

export type OutcomesService = ReturnType<typeof createOutcomesService>;
