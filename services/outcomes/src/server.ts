import { join } from 'node:path';
import {
  createOpenDataTrigger,
  createSubgraphService,
  hasRole,
  openDataRouter,
  type Config,
  type Logger,
  type OpenDataExport,
  type ShutdownStep,
} from '@conecta/service-kit';
import type { Context } from './context';
import type { outcomesConfig } from './env';
import { outcomesMessages } from './domain/messages';
import { OUTCOMES_FILES } from './domain/open-data';
import { createOutcomesFeed } from './events/feed';
import { resolvers } from './resolvers';
import { createOutcomesOpenData } from './routes/outcomes-open-data';
import { createLoaders, createStores, storesAt, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

export type OutcomesConfig = Config<typeof outcomesConfig>;

// The open-data export is rebuilt at most this often: its ~130 reads run
// while the consumer applies batches continuously (README: Open data).
const OPEN_DATA_MIN_INTERVAL_MS = 10_000;

/**
 * The outcomes subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the consumer of every service's
 * topic (its own too: placements are counted from their events) and listens
 * (tests use port 0). The outbox relay publishes placements' events. The runtime
 * (service-kit) owns readiness (the consumer's included) and the shutdown order.
 */
export function createOutcomesService(config: OutcomesConfig, logger: Logger) {
  let openData:
    | {
        exported: OpenDataExport;
        trigger: ReturnType<typeof createOpenDataTrigger>;
      }
    | undefined;
  const service = createSubgraphService({
    name: 'outcomes',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: outcomesMessages,
    build: ({ connection, kafka, topicPrefix, outbox }) => {
      const stores = createStores(connection, outbox);
      const feed = createOutcomesFeed({
        kafka,
        topicPrefix,
        logger,
        stores,
      });
      const exported = createOutcomesOpenData(
        () => {
          const serving = storesAt(stores, feed.serving());
          return { stores: serving, loaders: createLoaders(serving) };
        },
        {
          baseUrl: config.PUBLIC_BASE_URL,
          threshold: config.SUPPRESSION_THRESHOLD,
          minIntervalMs: OPEN_DATA_MIN_INTERVAL_MS,
          logger,
        },
      );
      const trigger = createOpenDataTrigger({
        kafka,
        topicPrefix,
        service: 'outcomes',
        refresh: () => exported.refresh(),
      });
      openData = { exported, trigger };
      return {
        stores,
        outboxCollections: [
          stores.placements.collection,
          stores.providerScores.collection,
        ],
        consumers: [feed],
        resolvers,
        // Suppressed public aggregates as open data (CSV and CTDL JSON-LD).
        routes: openDataRouter(exported, Object.values(OUTCOMES_FILES)),
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
        prepare: async () => {
          await syncIndexes(stores);
          // Providers' survey scores a crash or a config change left behind
          // are published before traffic (README: Decisions).
          const republished = await stores.providerScores.refreshAll({
            weights: config.SURVEY_WEIGHTS,
            threshold: config.SUPPRESSION_THRESHOLD,
          });
          if (republished > 0)
            logger.info({ republished }, 'provider survey scores published');
          // The export is built before traffic, then after every change.
          await exported.start();
          await trigger.start();
        },
      };
    },
  });
  const exported = openData;
  if (!exported) throw new Error('outcomes: build did not run');
  const shutdownSteps: ShutdownStep[] = [
    // First: no rebuild of the open-data export reads a closing database.
    {
      name: 'open data export',
      stop: async () => {
        await exported.trigger.stop();
        await exported.exported.stop();
      },
    },
    ...service.shutdownSteps,
  ];
  return {
    ...service,
    /** The open-data export (tests wait for its rebuilds). */
    openData: exported.exported,
    shutdownSteps,
    async stop(): Promise<void> {
      for (const step of shutdownSteps) await step.stop();
    },
  };
}

export type OutcomesService = ReturnType<typeof createOutcomesService>;
