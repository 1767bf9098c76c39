import { join } from 'node:path';
import { createSubgraphService, type Logger } from '@conecta/service-kit';
import type { Context } from './context';
import { createCredentialIssuer } from './credentials/issuer';
import type { CertificationConfig } from './env';
import { createProjectionConsumer } from './events/consume';
import { createCertificationEvents } from './events/publish';
import { resolvers } from './resolvers';
import {
  createAccessLogWriter,
  createLoaders,
  createStores,
  syncIndexes,
} from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

/**
 * The certification subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, loads the credential key, starts the outbox
 * relay and the projection consumer, and listens (tests use port 0).
 */
export function createCertificationService(
  config: CertificationConfig,
  logger: Logger,
) {
  const issuer = createCredentialIssuer(config, logger);
  return createSubgraphService({
    name: 'certification',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    build: ({ connection, outbox, kafka, topicPrefix }) => {
      const stores = createStores(connection, outbox);
      const events = createCertificationEvents();
      const settings = {
        evaluationMaxAgeMonths: config.EVALUATION_MAX_AGE_MONTHS,
        expiryReminderMaxDays: config.EXPIRY_REMINDER_MAX_DAYS,
        personalDataAccessDays: config.PERSONAL_DATA_ACCESS_DAYS,
      };
      return {
        stores,
        outboxCollections: [
          stores.people.model.collection,
          stores.bodies.model.collection,
          stores.accreditations.model.collection,
          stores.evaluations.model.collection,
          stores.certificates.model.collection,
          stores.candidacies.model.collection,
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
          accessLog: createAccessLogWriter(stores, base),
          events,
          issuer,
          settings,
        }),
        prepare: async () => {
          await syncIndexes(stores);
          await issuer.start();
        },
      };
    },
  });
}

export type CertificationService = ReturnType<
  typeof createCertificationService
>;
