import { join } from 'node:path';
import {
  createSubgraphService,
  type Logger,
  type ShutdownStep,
} from '@conecta/service-kit';
import type { Context } from './context';
import type { StandardsConfig } from './env';
import { createStandardsEvents } from './events';
import { committeeProjection } from './events/committee-projection';
import { createReviewDueCheck, type ReviewDueCheck } from './events/review-due';
import { supersessionFollowUp } from './events/supersession';
import { standardsMessages } from './domain/messages';
import { STANDARDS_FILES, standardsFiles } from './domain/open-data';
import { resolvers } from './resolvers';
import { createLoaders, createStores, syncIndexes } from './store';
import { openStandards } from './store/open-data';

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
  const service = createSubgraphService({
    name: 'standards',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: standardsMessages,
    build: ({ connection, outbox }) => {
      const stores = createStores(connection, outbox);
      const events = createStandardsEvents();
      reviewDue = createReviewDueCheck({
        stores,
        events,
        logger,
        intervalMs: config.REVIEW_CHECK_INTERVAL_MS,
      });
      const check = reviewDue;
      return {
        stores,
        outboxCollections: [
          stores.standards.model.collection,
          stores.councilSeats.model.collection,
        ],
        consumers: [
          committeeProjection(stores.committees),
          supersessionFollowUp({ stores, events }, logger),
        ],
        resolvers,
        // Published standards as open data (CSV and CTDL JSON-LD), rebuilt
        // after every change (service-kit: OpenDataSlice).
        openData: {
          build: async () =>
            standardsFiles(await openStandards(stores), config.PUBLIC_BASE_URL),
          files: Object.values(STANDARDS_FILES),
          minIntervalMs: OPEN_DATA_MIN_INTERVAL_MS,
        },
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
        },
      };
    },
  });
  // `build` ran inside createSubgraphService, so the check exists.
  const built = reviewDue;
  if (!built) throw new Error('standards: build did not run');
  const steps: ShutdownStep[] = [
    // First: no announcement is left half-way by the database closing under
    // it; then the kit's order (the open-data export first).
    { name: 'review-due check', stop: () => built.stop() },
    ...service.shutdownSteps,
  ];
  return {
    ...service,
    /** The periodic review-due check, for tests that run a pass. */
    reviewDueCheck: built,
    shutdownSteps: steps,
    async stop() {
      for (const step of steps) await step.stop();
    },
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;
