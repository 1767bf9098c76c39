import { join } from 'node:path';
import {
  createSubgraphService,
  hasRole,
  ReadinessProblem,
  type Config,
  type Logger,
} from '@conecta/service-kit';
import type { Context } from './context';
import type { outcomesConfig } from './env';
import { outcomesMessages } from './domain/messages';
import { OUTCOMES_FILES, outcomesFiles } from './domain/open-data';
import { createOutcomesFeed } from './events/feed';
import { resolvers } from './resolvers';
import { outcomeCells } from './resolvers/open-data-cells';
import { createLoaders, createStores, storesAt, syncIndexes } from './store';
import type { PeopleView } from './store/people';

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
  let peopleRead = false;
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
      return {
        stores,
        outboxCollections: [
          stores.placements.collection,
          stores.providerScores.collection,
        ],
        consumers: [feed],
        resolvers,
        // Suppressed public aggregates as open data (CSV and CTDL JSON-LD),
        // read from the generation serving now.
        openData: {
          build: async () => {
            const serving = storesAt(stores, feed.serving());
            return outcomesFiles(
              await outcomeCells(
                { stores: serving, loaders: createLoaders(serving) },
                { threshold: config.SUPPRESSION_THRESHOLD, revealAll: false },
                new Date(),
              ),
              config.PUBLIC_BASE_URL,
            );
          },
          files: Object.values(OUTCOMES_FILES),
          minIntervalMs: OPEN_DATA_MIN_INTERVAL_MS,
        },
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
        // Degraded until the people mirror's first read is done (not held
        // by readiness: about 20 s at scale 100; queries meanwhile wait for it).
        readiness: {
          peopleMirror: {
            critical: false,
            check: () => {
              if (!peopleRead)
                throw new ReadinessProblem('reading the people mirror', {});
            },
          },
        },
        prepare: async () => {
          await syncIndexes(stores);
          // In the background: people written before the stamp are stamped
          // (once), then the people mirror is read whole, so the first
          // dashboard query reads only who changed since (README: People).
          const { serving } = await stores.generation.pointer();
          void warmPeople(storesAt(stores, serving).people, logger).finally(
            () => (peopleRead = true),
          );
          // Providers' survey scores a crash or a config change left behind
          // are published before traffic (README: Decisions).
          const republished = await stores.providerScores.refreshAll({
            weights: config.SURVEY_WEIGHTS,
            threshold: config.SUPPRESSION_THRESHOLD,
          });
          if (republished > 0)
            logger.info({ republished }, 'provider survey scores published');
        },
      };
    },
  });
  return service;
}

export type OutcomesService = ReturnType<typeof createOutcomesService>;

async function warmPeople(people: PeopleView, logger: Logger): Promise<void> {
  try {
    const started = Date.now();
    const stamped = await people.stampUnstamped();
    if (stamped > 0)
      logger.info(
        { stamped, ms: Date.now() - started },
        'outcomes: people written before the change stamp were stamped (once)',
      );
    const read = Date.now();
    const count = await people.refreshMirror();
    logger.info(
      { people: count, ms: Date.now() - read },
      'outcomes: people mirror read',
    );
  } catch (err) {
    logger.warn({ err }, 'outcomes: could not read people at start');
  }
}
