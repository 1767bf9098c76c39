import { join } from 'node:path';
import type { ServiceName } from '@conecta/events';
import {
  createSubgraphService,
  type Logger,
  type ShutdownStep,
} from '@conecta/service-kit';
import type { Context } from './context';
import { createDeliveryWorker, type DeliveryWorker } from './delivery/worker';
import { partnersMessages } from './domain/messages';
import type { PartnersConfig } from './env';
import { createPartnerNotifier } from './events/notify';
import { resolvers } from './resolvers';
import { createStores, syncIndexes } from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

/**
 * partners publishes no events, so it is not one of @conecta/events'
 * SERVICE_NAMES (the publishers, whose topics the gateway's response cache
 * watches). The runtime's relay is given no collection: it never sends.
 */
const NAME = 'partners' as ServiceName;

/**
 * The partners subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes (the deliveries' unique key), starts the
 * delivery worker and the consumer of standards', certification's and
 * training's events, and listens (tests use port 0). The worker stops first
 * on shutdown: an attempt in flight is abandoned, its lease freed.
 */
export function createPartnersService(config: PartnersConfig, logger: Logger) {
  let worker: DeliveryWorker | undefined;
  const service = createSubgraphService({
    name: NAME,
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: partnersMessages,
    build: ({ connection, kafka, topicPrefix }) => {
      const stores = createStores(connection);
      const built = createDeliveryWorker({
        stores,
        logger,
        policy: {
          scheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS,
          giveUpAfterMs: config.WEBHOOK_GIVE_UP_AFTER_MS,
        },
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
      });
      worker = built;
      return {
        stores,
        outboxCollections: [],
        consumers: [
          createPartnerNotifier({
            kafka,
            topicPrefix,
            logger,
            stores,
            onDelivery: () => built.notify(),
          }),
        ],
        resolvers,
        context: (base): Context => ({
          ...base,
          stores,
          worker: built,
          production: config.NODE_ENV === 'production',
        }),
        prepare: async () => {
          await syncIndexes(stores);
          built.start();
        },
      };
    },
  });
  // `build` ran inside createSubgraphService, so the worker exists.
  const built = worker;
  if (!built) throw new Error('partners: build did not run');
  const steps: ShutdownStep[] = [
    // First: no attempt is recorded half-way by the database closing under it.
    { name: 'webhook delivery worker', stop: () => built.stop() },
    ...service.shutdownSteps,
  ];
  return {
    ...service,
    /** The delivery worker, for tests that run a pass. */
    worker: built,
    shutdownSteps: steps,
    async stop() {
      for (const step of steps) await step.stop();
    },
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
