import { join } from 'node:path';
import {
  createOpenDataTrigger,
  createSubgraphService,
  openDataRouter,
  type Logger,
  type OpenDataExport,
  type ShutdownStep,
} from '@conecta/service-kit';
import type { Context } from './context';
import type { StandardsConfig } from './env';
import { createStandardsEvents } from './events';
import { createCommitteeProjection } from './events/committee-projection';
import { createReviewDueCheck, type ReviewDueCheck } from './events/review-due';
import { createSupersessionFollowUp } from './events/supersession';
import { standardsMessages } from './domain/messages';
import { STANDARDS_FILES } from './domain/open-data';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';
import { createStandardsOpenData } from './store/open-data';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

// The open-data export is rebuilt at most this often (README: Open data).
const OPEN_DATA_MIN_INTERVAL_MS = 3_000;

/**
 * The standards subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the outbox relay, the committee
 * projection, the supersession follow-up and the periodic review-due check,
 * and listens (tests use port 0). The runtime (service-kit) owns readiness
 * and the shutdown order; the review-due check stops first.
 */
export function createStandardsService(
  config: StandardsConfig,
  logger: Logger,
) {
  let reviewDue: ReviewDueCheck | undefined;
  let openData:
    | {
        exported: OpenDataExport;
        trigger: ReturnType<typeof createOpenDataTrigger>;
      }
    | undefined;
  const service = createSubgraphService({
    name: 'standards',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: standardsMessages,
    build: ({ connection, kafka, topicPrefix, outbox }) => {
      const stores = createStores(connection, outbox);
      const events = createStandardsEvents();
      reviewDue = createReviewDueCheck({
        stores,
        events,
        logger,
        intervalMs: config.REVIEW_CHECK_INTERVAL_MS,
      });
      const check = reviewDue;
      const exported = createStandardsOpenData(stores, {
        baseUrl: config.PUBLIC_BASE_URL,
        minIntervalMs: OPEN_DATA_MIN_INTERVAL_MS,
        logger,
      });
      const trigger = createOpenDataTrigger({
        kafka,
        topicPrefix,
        service: 'standards',
        refresh: () => exported.refresh(),
      });
      openData = { exported, trigger };
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
        // Published standards as open data (CSV and CTDL JSON-LD).
        routes: openDataRouter(exported, Object.values(STANDARDS_FILES)),
        context: (base): Context => ({
          ...base,
          stores,
          loaders: createLoaders(stores),
          events,
          council: config.COUNCIL_COMPOSITION,
        }),
        // Indexes, then a review-due check before traffic (what fell due
        // while the service was down is announced now), then one every
        // REVIEW_CHECK_INTERVAL_MS.
        prepare: async () => {
          await syncIndexes(stores);
          // A failed check must not keep the service down: the next retries.
          await check
            .runOnce()
            .catch((err: unknown) =>
              logger.error({ err }, 'review-due check at start failed'),
            );
          check.start();
          // The export is built before traffic, then after every change.
          await exported.start();
          await trigger.start();
        },
      };
    },
  });
  // `build` ran inside createSubgraphService, so the check exists.
  const built = reviewDue;
  const exported = openData;
  if (!built || !exported) throw new Error('standards: build did not run');
  const steps: ShutdownStep[] = [
    // First: no announcement is left half-way by the database closing under it.
    { name: 'review-due check', stop: () => built.stop() },
    // Then no rebuild of the open-data export reads a closing database.
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
    /** The periodic review-due check, for tests that run a pass. */
    reviewDueCheck: built,
    /** The open-data export (tests wait for its rebuilds). */
    openData: exported.exported,
    shutdownSteps: steps,
    async stop() {
      for (const step of steps) await step.stop();
    },
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;
