import { join } from 'node:path';
import {
  createSubgraphService,
  type Config,
  type Logger,
} from '@conecta/service-kit';
import type { Context } from './context';
import { committeesMessages } from './domain/messages';
import { createCommitteesEvents } from './events';
import { standardsConsumer } from './events/standards-projection';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

/**
 * The committees subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the outbox relay and the consumer
 * of standards events, and listens (tests use port 0). The runtime (service-kit) owns readiness and the shutdown order.
 */
export function createCommitteesService(config: Config, logger: Logger) {
  return createSubgraphService({
    name: 'committees',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: committeesMessages,
    build: ({ connection, outbox }) => {
      const stores = createStores(connection, outbox);
      const events = createCommitteesEvents();
      return {
        stores,
        outboxCollections: [
          stores.organizations.model.collection,
          stores.sectors.model.collection,
          stores.committees.model.collection,
          stores.nominations.model.collection,
        ],
        // The standards projection nominations are checked against.
        consumers: [standardsConsumer(stores.standards)],
        resolvers,
        context: (base): Context => ({
          ...base,
          stores,
          loaders: createLoaders(stores),
          events,
        }),
        prepare: () => syncIndexes(stores),
      };
    },
  });
}

export type CommitteesService = ReturnType<typeof createCommitteesService>;
