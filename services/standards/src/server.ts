import { join } from 'node:path';
import { createSubgraphService, type Logger } from '@conecta/service-kit';
import type { Context } from './context';
import type { StandardsConfig } from './env';
import { createStandardsEvents } from './events';
import { createCommitteeProjection } from './events/committee-projection';
import { createSupersessionFollowUp } from './events/supersession';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

/**
 * The standards subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the outbox relay, the committee
 * projection and the supersession follow-up, and listens (tests use
 * port 0). The runtime (service-kit) owns readiness and the shutdown order.
 */
export function createStandardsService(
  config: StandardsConfig,
  logger: Logger,
) {
  return createSubgraphService({
    name: 'standards',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    build: ({ connection, kafka, topicPrefix, outbox }) => {
      const stores = createStores(connection, outbox);
      const events = createStandardsEvents();
      return {
        stores,
        outboxCollections: [
          stores.standards.model.collection,
          stores.councilSeats.model.collection,
        ],
        consumers: [
          createCommitteeProjection({
            kafka,
            topicPrefix,
            logger,
            committees: stores.committees,
          }),
          createSupersessionFollowUp({
            kafka,
            topicPrefix,
            logger,
            deps: { stores, events },
          }),
        ],
        resolvers,
        context: (base): Context => ({
          ...base,
          stores,
          loaders: createLoaders(stores),
          events,
          council: config.COUNCIL_COMPOSITION,
        }),
        prepare: () => syncIndexes(stores),
      };
    },
  });
}

export type StandardsService = ReturnType<typeof createStandardsService>;
