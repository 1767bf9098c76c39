import {
  dlqTopicFor,
  topicFor,
  type EventConsumer,
  type EventConsumerStats,
  type KafkaClient,
} from '@conecta/events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@conecta/service-kit';
import {
  dropOtherGenerations,
  dropReadModels,
  syncReadModelIndexes,
  type Stores,
} from '../store';
import {
  slotFor,
  type FeederKind,
  type FeederLease,
  type GenerationSlot,
} from '../store/generation';
import {
  checkHistory,
  HistoryTruncatedError,
  type HistoryCheck,
} from '../domain/history';
import { createBatchApplier } from './apply';
import { createOutcomesConsumer, SOURCES } from './consumer';
import { createSourceHistory } from './history';

// A feeder renews its lease this often; one not renewed for three periods is
// taken for dead (a crashed process, a killed command).
const LEASE_RENEW_MS = 10_000;
export const LEASE_TTL_MS = 3 * LEASE_RENEW_MS;
// How often a rebuild checks whether its consumer has caught up (lag 0).
const SWAP_CHECK_MS = 500;
// Queries that read the previous generation just before the swap finish
// within this; then its collections are dropped.
const DROP_GRACE_MS = 10_000;

/** The consumer that feeds the read models, and the rebuilds that replace them. */
export interface OutcomesFeed extends EventConsumer {
  /**
   * The newest generation: the one being rebuilt while a rebuild runs (whose
   * lag and counters `lag()` and `stats` then show), else the serving one.
   */
  generation(): number;
  /** The generation queries read (see `storesAt`). */
  serving(): GenerationSlot;
  /** The generation a rebuild is filling, if any. */
  building(): GenerationSlot | null;
  /**
   * Starts a new generation: fresh collections fed by a new consumer group
   * that replays every topic from the beginning, while queries keep reading
   * the serving generation (still fed by its own consumer). Once the new
   * consumer's lag is 0 the pointer is switched (one single-document update),
   * the old consumer stops and the old collections are dropped. Resolves once
   * the new consumer has joined; a rebuild already under way is not restarted.
   *
   * Refuses first, before creating a generation or touching a read model,
   * when a source partition no longer starts at offset 0: the replay would
   * miss the records retention deleted and still swap at lag 0.
   *
   * @returns the generation being built
   * @throws HistoryTruncatedError naming each truncated partition
   */
  rebuild(): Promise<number>;
  /** Whether every source topic still holds its whole history (asks Kafka). */
  history(): Promise<HistoryCheck>;
  /** Resolves once no rebuild is under way (the new generation serves queries). */
  swapped(): Promise<void>;
  /** Other feeders (service instances, rebuild commands) alive now. */
  otherFeeders(): Promise<FeederLease[]>;
}

const NO_STATS: EventConsumerStats = {
  handled: 0,
  skipped: 0,
  retried: 0,
  infrastructureRetries: 0,
  deadLettered: 0,
  deadLetteredByReason: { invalid: 0, handler: 0 },
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
 * pointer is read from MongoDB at start so a restart resumes the serving
 * generation's group (and a rebuild that was under way). While it runs it
 * renews a lease in MongoDB (`kind`: the service, or the rebuild command), so
 * the rebuild command never runs next to a service, and a service does not
 * start while the command replays. The lease renewal also re-reads the
 * pointer, so an instance learns of a swap made elsewhere within 10 s.
 */
export function createOutcomesFeed({
  kafka,
  topicPrefix,
  logger,
  stores,
  kind = 'service',
  maxEvents,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  stores: Stores;
  kind?: FeederKind;
  /** Events per batch (default `BATCH_EVENTS`). */
  maxEvents?: number;
}): OutcomesFeed {
  let serving: GenerationSlot = slotFor(0);
  let building: GenerationSlot | null = null;
  /** Feeds `serving`. */
  let current: EventConsumer | null = null;
  /** Feeds `building`. */
  let builder: EventConsumer | null = null;
  let watch: NodeJS.Timeout | undefined;
  let dropTimer: NodeJS.Timeout | undefined;
  let swappedWaiters: Array<() => void> = [];
  // One rebuild request at a time.
  let rebuilding: Promise<number> = Promise.resolve(0);
  const owner = `${kind}@${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let heartbeat: NodeJS.Timeout | undefined;
  const topics = SOURCES.map((service) => topicFor(service, topicPrefix));
  const sources = createSourceHistory({ kafka, topics });
  const history = async () => checkHistory(await sources.starts());

  const renew = async () => {
    try {
      await stores.generation.renewLease(owner, kind, new Date());
      // Another instance may have swapped: read what it serves.
      const pointer = await stores.generation.pointer();
      if (!building && pointer.serving.generation > serving.generation)
        serving = pointer.serving;
    } catch (err) {
      logger.warn({ err, owner }, 'outcomes: could not renew the feeder lease');
    }
  };

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

  /**
   * Gives a generation an earlier version filled (buckets, no rollups) its
   * rollups, once, before its consumer starts (README: Decisions, "Rollups
   * for a generation filled before them"): pending journal entries are
   * finished, then every rollup is written as the sum of its buckets and
   * the generation marked. Only when no other feeder is alive (another
   * instance's consumer would add to the buckets meanwhile); otherwise the
   * generation keeps being read from its buckets until a later start.
   */
  async function completeRollups(slot: GenerationSlot): Promise<void> {
    const models = stores.readModelsAt(slot.suffix);
    if (await models.buckets.rollupsComplete()) return;
    const others = await otherFeeders();
    if (others.length > 0) {
      logger.warn(
        { generation: slot.generation, feeders: others.map((l) => l.owner) },
        'outcomes: rollups not backfilled, other feeders are running; analytics read the buckets until a start alone',
      );
      return;
    }
    const started = Date.now();
    const finished = await createBatchApplier(models).finishPending();
    const written = await models.buckets.backfillRollups();
    logger.info(
      {
        generation: slot.generation,
        rollups: written,
        journalEntriesFinished: finished,
        ms: Date.now() - started,
      },
      'outcomes: rollups backfilled from the buckets of a generation filled before them',
    );
  }

  const consumerFor = (slot: GenerationSlot) =>
    createOutcomesConsumer({
      kafka,
      topicPrefix,
      logger,
      models: stores.readModelsAt(slot.suffix),
      groupId: groupIdFor(topicPrefix, slot.generation),
      maxEvents,
    });

  async function startBuilder(slot: GenerationSlot): Promise<void> {
    await syncReadModelIndexes(stores.readModelsAt(slot.suffix));
    building = slot;
    builder = consumerFor(slot);
    await builder.start();
    scheduleCheck();
  }

  function scheduleCheck(): void {
    clearTimeout(watch);
    watch = setTimeout(() => void check(), SWAP_CHECK_MS);
  }

  async function check(): Promise<void> {
    if (!builder) return;
    try {
      const { total } = await builder.lag();
      if (total === 0) return await swap();
    } catch (err) {
      logger.warn({ err }, 'outcomes: could not check the rebuild’s lag');
    }
    if (builder) scheduleCheck();
  }

  /** The new generation has caught up: point queries at it, retire the old one. */
  async function swap(): Promise<void> {
    const slot = building!;
    if (!(await stores.generation.swap(slot))) {
      logger.warn(
        { generation: slot.generation },
        'outcomes: the rebuild was replaced by another; not swapping',
      );
      return;
    }
    const old = current;
    current = builder;
    serving = slot;
    builder = null;
    building = null;
    logger.info(
      { generation: slot.generation },
      'outcomes: the rebuilt read models serve queries now',
    );
    for (const resolve of swappedWaiters) resolve();
    swappedWaiters = [];
    await old
      ?.stop()
      .catch((err: unknown) =>
        logger.warn({ err }, 'outcomes: stopping the previous consumer'),
      );
    clearTimeout(dropTimer);
    dropTimer = setTimeout(() => void dropRetired(), DROP_GRACE_MS);
    dropTimer.unref();
  }

  async function dropRetired(): Promise<void> {
    const keep = building ? [serving, building] : [serving];
    await dropOtherGenerations(stores, keep).catch((err: unknown) =>
      logger.warn({ err }, 'outcomes: could not drop a retired generation'),
    );
  }

  async function startRebuild(): Promise<number> {
    if (building) return building.generation;
    // A replay of a cut topic would swap at lag 0 with its oldest events
    // missing: refuse before anything is created or dropped.
    const { complete, truncated } = await history();
    if (!complete) {
      logger.warn(
        { truncated },
        'outcomes: rebuild refused, a source topic no longer holds its whole history',
      );
      throw new HistoryTruncatedError(truncated);
    }
    const pointer = await stores.generation.pointer();
    if (!current) serving = pointer.serving;
    const next = slotFor(
      Math.max(
        serving.generation,
        pointer.serving.generation,
        pointer.building?.generation ?? 0,
      ) + 1,
    );
    logger.info(
      { generation: next.generation, serving: serving.generation },
      'outcomes: rebuilding the read models into a new generation',
    );
    // Left by an abandoned attempt at this number: start empty.
    await dropReadModels(stores.readModelsAt(next.suffix));
    await stores.generation.startBuilding(next);
    await startBuilder(next);
    return next.generation;
  }

  return {
    /** The newest generation's group (the replay's while a rebuild runs). */
    get groupId() {
      return groupIdFor(
        topicPrefix,
        building?.generation ?? serving.generation,
      );
    },
    topics,
    dlqTopic: dlqTopicFor('outcomes', topicPrefix),
    async start() {
      const replaying = (await otherFeeders()).find(
        (l) => l.kind === 'rebuild',
      );
      if (replaying)
        throw new Error(
          `the read models are being rebuilt by ${replaying.owner}; start again when it has finished`,
        );
      await holdLease();
      const pointer = await stores.generation.pointer();
      serving = pointer.serving;
      // Before any consumer of this instance writes (a one-time migration).
      for (const slot of [serving, pointer.building])
        if (slot)
          await completeRollups(slot).catch((err: unknown) =>
            // Unmarked, the generation is read from its buckets (correct, at
            // the old cost); the next start tries again.
            logger.warn(
              { err, generation: slot.generation },
              'outcomes: could not backfill the rollups',
            ),
          );
      current = consumerFor(serving);
      await current.start();
      // A rebuild this service (or a stopped one) was running: go on with it.
      if (pointer.building) await startBuilder(pointer.building);
    },
    async stop() {
      await rebuilding.catch(() => undefined);
      clearTimeout(watch);
      clearTimeout(dropTimer);
      await builder?.stop();
      await current?.stop();
      clearInterval(heartbeat);
      heartbeat = undefined;
      await sources.stop();
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
        (current ?? builder)?.readiness() ?? {
          ok: false,
          detail: { running: false, generation: serving.generation },
        }
      );
    },
    async lag() {
      const watched = builder ?? current;
      if (!watched) return { total: 0, partitions: [] };
      return watched.lag();
    },
    get stats() {
      return (builder ?? current)?.stats ?? NO_STATS;
    },
    // Every generation's consumer dead-letters to the same topic; a consumer
    // not started reads it with a short-lived admin connection.
    dlqBacklog: () => (builder ?? current ?? consumerFor(serving)).dlqBacklog(),
    generation: () => building?.generation ?? serving.generation,
    serving: () => serving,
    building: () => building,
    rebuild() {
      rebuilding = rebuilding
        .catch(() => 0)
        .then(holdLease)
        .then(startRebuild);
      return rebuilding;
    },
    history,
    swapped() {
      if (!building) return Promise.resolve();
      return new Promise<void>((resolve) => swappedWaiters.push(resolve));
    },
    otherFeeders,
  };
}
