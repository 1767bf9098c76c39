import { join } from 'node:path';
import {
  createSubgraphService,
  type Config,
  type Logger,
} from '@conecta/service-kit';
import type { Context } from './context';
import { createStandardsEvents } from './events';
import { createCommitteeProjection } from './events/committee-projection';
import { repairSupersessions } from './events/supersession';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

/**
 * The standards subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, finishes interrupted supersessions,
 * starts the outbox relay and the committee projection, and listens (tests use
 * port 0). The runtime (service-kit) owns readiness and the shutdown order.
 */
export function createStandardsService(config: Config, logger: Logger) {
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
        outboxCollections: [stores.standards.model.collection],
        consumers: [
          createCommitteeProjection({
            kafka,
            topicPrefix,
            logger,
            committees: stores.committees,
          }),
        ],
        resolvers,
        context: (base): Context => ({
          ...base,
          stores,
          loaders: createLoaders(stores),
          events,
        }),
        prepare: async () => {
          await syncIndexes(stores);
          await repairSupersessions({ stores, events }, logger);
        },
      };
    },
  });
}

export type StandardsService = ReturnType<typeof createStandardsService>;
