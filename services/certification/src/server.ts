import { join } from 'node:path';
import {
  createSubgraphService,
  type Logger,
  type ShutdownStep,
} from '@conecta/service-kit';
import type { Context } from './context';
import { createCredentialIssuer } from './credentials/issuer';
import type { CertificationConfig } from './env';
import { backfillStandardLevels, projectionConsumer } from './events/consume';
import { createCertificationEvents } from './events/publish';
import { certificationMessages } from './domain/messages';
import {
  CERTIFYING_BODIES_FILES,
  certifyingBodiesFiles,
} from './domain/open-data';
import { resolvers } from './resolvers';
import { publicDocumentsRouter } from './routes/public-documents';
import {
  createAccessLogWriter,
  createLoaders,
  createStores,
  syncIndexes,
} from './store';
import { openBodiesFrom } from './store/open-data';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

// The open-data export is rebuilt at most this often (README: Open data).
const OPEN_DATA_MIN_INTERVAL_MS = 3_000;

/**
 * The certification subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, loads the credential key, starts the
 * reconciliation of certificate counts in the background, starts the outbox
 * relay and the projection consumer, and listens (tests use port 0).
 */
export function createCertificationService(
  config: CertificationConfig,
  logger: Logger,
) {
  const issuer = createCredentialIssuer(config, logger);
  const service = createSubgraphService({
    name: 'certification',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: certificationMessages,
    build: ({ connection, outbox, kafka, topicPrefix }) => {
      const stores = createStores(connection, outbox, logger);
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
          stores.procedures.model.collection,
          stores.certificates.model.collection,
          stores.candidacies.model.collection,
        ],
        consumers: [projectionConsumer(stores.projections)],
        resolvers,
        // Profiles, keys and status lists at the URLs credentials name.
        routes: publicDocumentsRouter({ issuer, stores }),
        // The certifying bodies and their offers as open data, rebuilt after
        // every change (service-kit: OpenDataSlice).
        openData: {
          build: async () =>
            certifyingBodiesFiles(
              await openBodiesFrom(stores),
              config.PUBLIC_BASE_URL,
            ),
          files: Object.values(CERTIFYING_BODIES_FILES),
          minIntervalMs: OPEN_DATA_MIN_INTERVAL_MS,
        },
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
          // Bodies written before the change stamp (once), then the mirror
          // read whole: a few hundred documents, before traffic.
          await stores.bodies.mirror.stampUnstamped();
          await stores.bodies.mirror.refresh();
          // Before the consumer joins its group (README: Events, the backfill).
          await backfillStandardLevels({
            projections: stores.projections,
            kafka,
            topicPrefix,
            logger,
          });
          // Before serving: status lists read what this writes (once per database).
          await stores.certificates.backfillStatusEntries();
          await issuer.start();
          // Not awaited: readiness does not wait for a recount of the registry
          // (README: Certificate counts).
          stores.certificates.counts.start();
          // Verification counts flushed every few seconds (README: Verification counts).
          stores.verificationCounts.start();
        },
      };
    },
  });
  // The recount stops first: it only repairs counters, and it must not be
  // left reading once MongoDB disconnects. Then the kit's order (the
  // open-data export first), with the verification counts' last flush just
  // before MongoDB.
  const shutdownSteps: ShutdownStep[] = [
    {
      name: 'certificate count reconciliation',
      stop: () => service.stores.certificates.counts.stop(),
    },
    ...service.shutdownSteps.flatMap((step) =>
      // Right before MongoDB disconnects (after the HTTP server stopped
      // answering): the last flush of the verification counts.
      step.name === 'mongodb'
        ? [
            {
              name: 'verification counts flush',
              stop: () => service.stores.verificationCounts.stop(),
            },
            step,
          ]
        : [step],
    ),
  ];
  return {
    ...service,
    shutdownSteps,
    async stop(): Promise<void> {
      for (const step of shutdownSteps) await step.stop();
    },
  };
}

export type CertificationService = ReturnType<
  typeof createCertificationService
>;
