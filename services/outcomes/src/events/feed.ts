import type {
  EventConsumer,
  EventConsumerStats,
  KafkaClient,
} from '@conecta/events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@conecta/service-kit';
import { dropReadModels, readModelsOf, type Stores } from '../store';
import type { FeederKind, FeederLease } from '../store/generation';
import { createOutcomesConsumer } from './consumer';

// A feeder renews its lease this often; one not renewed for three periods is
// taken for dead (a crashed process, a killed command).
const LEASE_RENEW_MS = 10_000;
export const LEASE_TTL_MS = 3 * LEASE_RENEW_MS;

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
  /** Other feeders (service instances, rebuild commands) alive now. */
  otherFeeders(): Promise<FeederLease[]>;
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
 * that built the current read models. While it runs it renews a lease in
 * MongoDB (`kind`: the service, or the rebuild command), so the rebuild
 * command never drops read models a running service is writing, and a
 * service does not start while the command replays.
 */
export function createOutcomesFeed({
  kafka,
  topicPrefix,
  logger,
  stores,
  kind = 'service',
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  stores: Stores;
  kind?: FeederKind;
}): OutcomesFeed {
  let generation = 0;
  let current: EventConsumer | null = null;
  // One rebuild at a time: a second request waits for the first and then runs.
  let rebuilding: Promise<number> = Promise.resolve(0);
  const owner = `${kind}@${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let heartbeat: NodeJS.Timeout | undefined;

  const renew = () =>
    stores.generation
      .renewLease(owner, kind, new Date())
      .catch((err) =>
        logger.warn(
          { err, owner },
          'outcomes: could not renew the feeder lease',
        ),
      );

  async function holdLease(): Promise<void> {
    if (heartbeat) return;
    await stores.generation.renewLease(owner, kind, new Date());
    heartbeat = setInterval(() => void renew(), LEASE_RENEW_MS);
    heartbeat.unref();
  }

  async function otherFeeders(): Promise<FeederLease[]> {
    const alive = await stores.generation.liveLeases(
      new Date(Date.now() - LEASE_TTL_MS),
    );
    return alive.filter((lease) => lease.owner !== owner);
  }

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
    await dropReadModels(readModelsOf(stores));
    await stores.generation.set(next);
    generation = next;
    current = consumerFor(next);
    await current.start();
    return next;
  }

  return {
    async start() {
      const replaying = (await otherFeeders()).find(
        (l) => l.kind === 'rebuild',
      );
      if (replaying)
        throw new Error(
          `the read models are being rebuilt by ${replaying.owner}; start again when it has finished`,
        );
      await holdLease();
      generation = await stores.generation.current();
      current = consumerFor(generation);
      await current.start();
    },
    async stop() {
      await rebuilding.catch(() => undefined);
      await current?.stop();
      clearInterval(heartbeat);
      heartbeat = undefined;
      await stores.generation
        .releaseLease(owner)
        .catch((err: unknown) =>
          logger.warn(
            { err, owner },
            'outcomes: could not release the feeder lease',
          ),
        );
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
      rebuilding = rebuilding
        .catch(() => 0)
        .then(holdLease)
        .then(replace);
      return rebuilding;
    },
    otherFeeders,
  };
}
