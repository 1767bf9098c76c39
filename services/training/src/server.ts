import { join } from 'node:path';
import {
  createSubgraphService,
  type Config,
  type Logger,
  type ShutdownStep,
} from '@conecta/service-kit';
import type { Context } from './context';
import { trainingMessages } from './domain/messages';
import type { trainingConfig } from './env';
import { createTrainingEvents } from './events';
import { projectionConsumer } from './events/projections';
import { resolvers } from './resolvers';
import { createReconciler, type Reconciler } from './reconciler';
import {
  backfillAgreementTargets,
  backfillNaturalKeys,
  createLoaders,
  createStores,
  syncIndexes,
} from './store';

/** The SDL file is the contract: read at start, never a template string. */
export const SCHEMA_PATH = join(__dirname, '..', 'schema.graphql');

export type TrainingConfig = Config<typeof trainingConfig>;

/**
 * The training subgraph, built without opening anything: `start(port)`
 * connects MongoDB, creates indexes, starts the outbox relay and the consumer
 * of committees', standards' and certification's events, and listens (tests
 * use port 0). The runtime (service-kit) owns readiness and the shutdown order.
 */
export function createTrainingService(config: TrainingConfig, logger: Logger) {
  const pricing = {
    brokerMarkupBps: config.BROKER_MARKUP_BPS,
    matchingFundShareBps: config.MATCHING_FUND_SHARE_BPS,
    vendorDiscountCapBps: config.VENDOR_DISCOUNT_CAP_BPS,
  };
  let reconciler: Reconciler | undefined;
  let backfills:
    | { naturalKeys: () => Promise<number>; targets: () => Promise<number> }
    | undefined;
  const service = createSubgraphService({
    name: 'training',
    config,
    logger,
    schemaPath: SCHEMA_PATH,
    messages: trainingMessages,
    build: ({ connection, outbox }) => {
      const stores = createStores(connection, outbox);
      backfills = {
        naturalKeys: () => backfillNaturalKeys(stores, outbox),
        targets: () => backfillAgreementTargets(stores),
      };
      const events = createTrainingEvents();
      reconciler = createReconciler({
        stores,
        events,
        logger,
        intervalMs: config.RECONCILE_INTERVAL_MS,
      });
      const repairs = reconciler;
      return {
        stores,
        outboxCollections: [
          stores.credentials.collection,
          stores.demands.collection,
          stores.agreements.collection,
          stores.projects.collection,
          stores.cohorts.collection,
          stores.enrollments.collection,
        ],
        consumers: [projectionConsumer(stores.projections)],
        resolvers,
        context: (base): Context => ({
          ...base,
          stores,
          loaders: createLoaders(stores),
          events,
          pricing,
        }),
        // Indexes, then one reconciler pass before traffic: what a crash of
        // the previous process left half done is repaired before anything
        // new is written; then a pass every RECONCILE_INTERVAL_MS.
        prepare: async () => {
          // Legacy demand gets its natural key before the unique index is built.
          const keyed = await backfillNaturalKeys(stores, outbox);
          if (keyed > 0)
            logger.info(
              { keyed },
              'gave demand requests written before natural keys theirs',
            );
          await syncIndexes(stores);
          // Agreements get the target key they are looked up by.
          const targeted = await backfillAgreementTargets(stores);
          if (targeted > 0)
            logger.info(
              { targeted },
              'gave agreements written before target keys theirs',
            );
          // A pass that fails must not keep the service down: commands are
          // safe without it (an enrollment records a legacy cohort's seats
          // itself) and the next pass retries.
          await repairs
            .runOnce()
            .catch((err: unknown) =>
              logger.error({ err }, 'reconciler pass at start failed'),
            );
          repairs.start();
        },
      };
    },
  });
  // `build` ran inside createSubgraphService, so the reconciler exists.
  const built = reconciler;
  const backfill = backfills;
  if (!built || !backfill) throw new Error('training: build did not run');
  const steps: ShutdownStep[] = [
    // First: no repair is left half-way by the database closing under it.
    { name: 'reconciler', stop: () => built.stop() },
    ...service.shutdownSteps,
  ];
  return {
    ...service,
    /** The reconciler (built with the stores), for tests that run a pass. */
    reconciler: built,
    /** The start-up backfill of legacy demand's natural keys, for tests that run it again. */
    backfillNaturalKeys: backfill.naturalKeys,
    /** The start-up backfill of legacy agreements' target keys, for tests that run it again. */
    backfillAgreementTargets: backfill.targets,
    shutdownSteps: steps,
    async stop() {
      for (const step of steps) await step.stop();
    },
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
