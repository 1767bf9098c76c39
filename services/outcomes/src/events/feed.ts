import type {
  EventConsumer,
  EventConsumerStats,
  KafkaClient,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { dropReadModels, type Stores } from '../store';
import { createOutcomesConsumer } from './consumer';

/** The consumer that feeds the read models, which a rebuild replaces. */
export interface OutcomesFeed extends EventConsumer {
  /** The consumer generation now feeding the read models (0 = the first). */
  generation(): number;
  /**
   * Stops the consumer, empties the read models and starts a new consumer
   * group that replays every topic from the beginning. Resolves once the new
   * consumer has joined (the replay goes on; watch the lag).
   *
   * @returns the new generation
   */
  rebuild(): Promise<number>;
}

const NO_STATS: EventConsumerStats = {
  handled: 0,
  skipped: 0,
  retried: 0,
  deadLettered: 0,
  lastError: null,
};

/**
 * Group `<prefix>outcomes` for generation 0, `<prefix>outcomes-g<n>` after the
 * n-th rebuild: a new group has no committed offsets, so it starts from the
 * beginning of every topic.
 */
export function groupIdFor(topicPrefix: string, generation: number): string {
  return generation === 0
    ? `${topicPrefix}outcomes`
    : `${topicPrefix}outcomes-g${generation}`;
}

/**
 * The runtime starts, stops and health-checks this like any consumer; the
 * generation is read from MongoDB at start so a restart resumes the group
 * that built the current read models.
 */
export function createOutcomesFeed({
  kafka,
  topicPrefix,
  logger,
  stores,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  stores: Stores;
}): OutcomesFeed {
  let generation = 0;
  let current: EventConsumer | null = null;
  // One rebuild at a time: a second request waits for the first and then runs.
  let rebuilding: Promise<number> = Promise.resolve(0);

  const consumerFor = (n: number) =>
    createOutcomesConsumer({
      kafka,
      topicPrefix,
      logger,
      stores,
      groupId: groupIdFor(topicPrefix, n),
    });

  async function replace(): Promise<number> {
    const next = generation + 1;
    logger.info({ generation: next }, 'outcomes: rebuilding the read models');
    await current?.stop();
    current = null;
    const { buckets, ledger, standards, cohorts } = stores;
    await dropReadModels({ buckets, ledger, standards, cohorts });
    await stores.generation.set(next);
    generation = next;
    current = consumerFor(next);
    await current.start();
    return next;
  }

  return {
    async start() {
      generation = await stores.generation.current();
      current = consumerFor(generation);
      await current.start();
    },
    async stop() {
      await rebuilding.catch(() => undefined);
      await current?.stop();
    },
    readiness() {
      return (
        current?.readiness() ?? {
          ok: false,
          detail: { running: false, rebuilding: true, generation },
        }
      );
    },
    async lag() {
      if (!current) return { total: 0, partitions: [] };
      return current.lag();
    },
    get stats() {
      return current?.stats ?? NO_STATS;
    },
    generation: () => generation,
    rebuild() {
      rebuilding = rebuilding.catch(() => 0).then(replace);
      return rebuilding;
    },
  };
}
