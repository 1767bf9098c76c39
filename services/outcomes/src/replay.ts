import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, createOutboxWriter, topicFor } from '@conecta/events';
import { createMongo, type Logger } from '@conecta/service-kit';
import {
  describePartition,
  HISTORY_TRUNCATED_ADVICE,
  historyTruncatedSummary,
  HistoryTruncatedError,
} from './domain/history';
import type { RebuildConfig } from './env';
import { SOURCES } from './events/consumer';
import { createOutcomesFeed, groupIdFor } from './events/feed';
import { kafkaSaslOf } from './events/history';
import { createStores, syncIndexes } from './store';

/** How `npm run outcomes:rebuild` ends. */
export const REBUILD_EXIT = {
  /** Replayed every topic to the end: the read models are complete. */
  DONE: 0,
  /** Could not connect, the consumer crashed, or the time limit passed. */
  FAILED: 1,
  /** Something else is feeding the read models (a running service, another rebuild). */
  REFUSED: 2,
  /**
   * A source topic no longer holds its beginning (retention deleted its
   * oldest records): nothing was started, the current read models keep serving.
   */
  HISTORY_TRUNCATED: 3,
  /** Stopped by SIGINT/SIGTERM mid-replay: the service's next start resumes the replay. */
  INTERRUPTED: 130,
} as const;

export interface RebuildOptions {
  config: RebuildConfig;
  logger: Logger;
  /** One progress line (the command writes them to stdout). */
  print: (line: string) => void;
  /** How often progress is printed; default 2_000 ms. */
  progressMs?: number;
  /** Gives up (FAILED) after this long; default none. */
  timeoutMs?: number;
  /** Aborted by a signal: stop cleanly (INTERRUPTED). */
  signal?: AbortSignal;
}

/**
 * The rebuild command: refuses if a service (or another rebuild) is feeding
 * the read models, or if a source topic no longer holds its whole history
 * (each truncated partition printed with its earliest offset), then runs the
 * very rebuild the `rebuildReadModels` mutation runs (`OutcomesFeed.rebuild`:
 * a new generation in collections of its own, a new consumer group from the
 * beginning of every topic, the pointer switched once its lag is 0), prints
 * the events replayed and the lag until the swap, and stops.
 *
 * @returns the exit code, one of {@link REBUILD_EXIT}
 */
export async function runRebuild({
  config,
  logger,
  print,
  progressMs = 2_000,
  timeoutMs,
  signal,
}: RebuildOptions): Promise<number> {
  const mongo = createMongo({ uri: config.MONGODB_URI, logger, retries: 3 });
  // The service's Kafka user (SASL), as service-kit's runtime connects it.
  const sasl = kafkaSaslOf(config);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.SERVICE_NAME,
    logger,
    ...(sasl ? { sasl } : {}),
  });
  // The command writes no placements: the outbox writer is never used.
  const stores = createStores(mongo.connection, createOutboxWriter());
  const topicPrefix = config.KAFKA_TOPIC_PREFIX;
  const feed = createOutcomesFeed({
    kafka,
    topicPrefix,
    logger,
    stores,
    kind: 'rebuild',
  });
  const startedAt = Date.now();
  const elapsed = () => `${((Date.now() - startedAt) / 1_000).toFixed(1)} s`;
  try {
    await mongo.start();
    await syncIndexes(stores);
    const others = await feed.otherFeeders();
    if (others.length > 0) {
      print(
        `refused: the read models are being fed by ${others
          .map((o) => `${o.owner} (${o.kind})`)
          .join(
            ', ',
          )}. Stop the outcomes service first, or run the rebuildReadModels mutation on it.`,
      );
      return REBUILD_EXIT.REFUSED;
    }
    const generation = await feed.rebuild();
    print(
      `rebuilding the outcomes read models: generation ${generation}, consumer group ${groupIdFor(topicPrefix, generation)}, replaying ${SOURCES.map((s) => topicFor(s, topicPrefix)).join(', ')} from the beginning`,
    );
    for (;;) {
      const { total } = await feed.lag();
      const { handled, skipped, deadLettered, lastError } = feed.stats;
      const replayed = handled + skipped + deadLettered;
      // Caught up and swapped: the pointer names the new generation.
      if (
        feed.building() === null &&
        feed.serving().generation === generation
      ) {
        print(
          `done: ${replayed} events replayed (${handled} applied, ${skipped} skipped, ${deadLettered} dead-lettered) in ${elapsed()}; generation ${generation} now feeds the read models`,
        );
        return REBUILD_EXIT.DONE;
      }
      if (feed.readiness().detail['crashed'] === true) {
        print(`failed: the consumer crashed: ${lastError ?? 'unknown error'}`);
        return REBUILD_EXIT.FAILED;
      }
      if (timeoutMs !== undefined && Date.now() - startedAt > timeoutMs) {
        print(`failed: lag still ${total} after ${elapsed()}`);
        return REBUILD_EXIT.FAILED;
      }
      print(
        `replayed ${replayed} events (${handled} applied, ${skipped} skipped, ${deadLettered} dead-lettered), lag ${total}`,
      );
      await sleep(progressMs, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) {
        print(
          `interrupted after ${replayed} events, lag ${total}: generation ${generation} keeps its offsets, so the service's next start (or another rebuild) goes on from there`,
        );
        return REBUILD_EXIT.INTERRUPTED;
      }
    }
  } catch (err) {
    if (err instanceof HistoryTruncatedError) {
      print(`refused: ${historyTruncatedSummary(err.truncated)}:`);
      for (const start of err.truncated) print(`  ${describePartition(start)}`);
      print(HISTORY_TRUNCATED_ADVICE);
      return REBUILD_EXIT.HISTORY_TRUNCATED;
    }
    logger.error({ err }, 'outcomes rebuild failed');
    print(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return REBUILD_EXIT.FAILED;
  } finally {
    // Commits what was replayed and leaves the group; the lease goes with it.
    await feed
      .stop()
      .catch((err: unknown) => logger.warn({ err }, 'stopping the consumer'));
    await mongo.stop().catch(() => undefined);
  }
}
