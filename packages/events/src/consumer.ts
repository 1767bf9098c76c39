import type {
  Admin,
  Consumer,
  EachBatchPayload,
  IHeaders,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import { backoffDelay, errorMessage, sleep } from './backoff';
import type { EventContract } from './contract';
import type { EventEnvelope } from './envelope';
import { InvalidEventError } from './errors';
import { createMissingTopics, kafkaOf } from './kafka';
import type { KafkaClient } from './kafka';
import type { Readiness } from './readiness';
import { eventRegistry } from './registry';
import type { EventRegistry, EventUnion, KnownContract } from './registry';

/** One handler per event type; it receives every known version of that type. */
export type EventHandlers<E extends EventEnvelope> = {
  [T in E['type']]?: (event: Extract<E, { type: T }>) => Promise<void>;
};

/** Headers a dead-lettered message carries, besides its original headers. */
export const DLQ_HEADERS = {
  error: 'dlq-error',
  /** `invalid` (failed validation, never retried) or `handler` (handler kept failing). */
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/** Retry policy for a handler that throws. */
export interface ConsumerRetryOptions {
  /** Retries after the first attempt before dead-lettering; default 5. */
  retries?: number;
  /** Delay before the first retry; default 200 ms, doubling. */
  initialDelayMs?: number;
  /** Cap of the delay; default 5_000 ms (keeps a retry series well inside the session timeout). */
  maxDelayMs?: number;
}

/** Where a batch comes from: every event of one batch is from one topic partition, in offset order. */
export interface EventBatchContext {
  topic: string;
  partition: number;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
}

/**
 * Batch mode: the valid events of a fetched batch (one topic partition, in
 * offset order, at most `maxEvents`) are handed to `handle` at once. The
 * handler must be idempotent for the whole batch: a batch is redelivered
 * (possibly cut differently) if the process dies before its offsets are
 * committed, and retried after a failure.
 */
export interface EventBatchOptions<E extends EventEnvelope> {
  /** Event types handed to `handle`; other valid events are skipped (and committed). */
  types: ReadonlyArray<E['type']>;
  handle: (events: E[], context: EventBatchContext) => Promise<void>;
  /** Largest batch handed to `handle`; a bigger fetch is cut in chunks, each committed; default 500. */
  maxEvents?: number;
}

/** Options of {@link createEventConsumer}. */
export interface EventConsumerOptions<C extends EventContract> {
  kafka: KafkaClient;
  /** Consumer group, e.g. `${prefix}certification`; offsets are committed per group. */
  groupId: string;
  /** Topics to read, e.g. `[topicFor('standards', prefix)]`. */
  topics: readonly string[];
  /** Effects per event type; types without a handler are skipped (and committed). Ignored in batch mode. */
  handlers?: EventHandlers<EventUnion<C>>;
  /**
   * Consume in batches instead of one message at a time (see
   * {@link EventBatchOptions}); validation, retries, DLQ and commits keep
   * their per-message semantics.
   */
  batch?: EventBatchOptions<EventUnion<C>>;
  logger: Logger;
  /** Where failing messages go, normally `dlqTopicFor(service, prefix)`. */
  dlqTopic: string;
  retry?: ConsumerRetryOptions;
  /** Contracts to validate against; default: every contract of this package. */
  registry?: EventRegistry<C>;
  /** Where a new group starts; default true (read models are built from the whole history). */
  fromBeginning?: boolean;
  /** How long start() waits for the group join before resolving anyway; default 30_000 ms. */
  joinTimeoutMs?: number;
  /** Partitions of topics the consumer has to create; default 3. */
  topicPartitions?: number;
}

/** Lag of one partition: messages not yet committed by the group. */
export interface PartitionLag {
  topic: string;
  partition: number;
  highWatermark: number;
  /** -1 when the group has not committed on this partition. */
  committedOffset: number;
  lag: number;
}

/** Counters of a consumer. */
export interface EventConsumerStats {
  handled: number;
  skipped: number;
  retried: number;
  deadLettered: number;
  lastError: string | null;
}

/** The running consumer. */
export interface EventConsumer {
  /** Creates missing topics, joins the group and starts consuming; rejects if Kafka is unreachable. */
  start(): Promise<void>;
  /** Aborts retry waits, commits what was processed, leaves the group, disconnects. */
  stop(): Promise<void>;
  /** `ok` while running, joined and not crashed. */
  readiness(): Readiness;
  /** Per-partition lag (high watermark − committed offset) and its total, via the admin API. */
  lag(): Promise<{ total: number; partitions: PartitionLag[] }>;
  readonly stats: Readonly<EventConsumerStats>;
}

// A DLQ header is for humans and tools; a full stack trace belongs in the logs.
const MAX_ERROR_HEADER_LENGTH = 2_000;

/** Tries of a consumer start that fails with a retriable Kafka error (≈ 10 s in all). */
const START_ATTEMPTS = 5;

/**
 * Consumes events at-least-once. Each message is validated with the registry:
 * invalid or unknown → DLQ at once (poison, retrying cannot help). A handler
 * that throws is retried in-process with exponential backoff, then the message
 * goes to the DLQ with the error and its origin in headers; either way the
 * offset is committed and the next message is processed. If the DLQ itself
 * cannot be written, the message is not committed and will be redelivered.
 * Handlers must be idempotent (see `applyOnce`): redelivery happens.
 *
 * With `batch`, the valid events of each fetched chunk (one partition, in
 * order) go to `batch.handle` together; a failing batch is retried with the
 * same backoff, then its events one by one, and only an event that keeps
 * failing alone is dead-lettered. Offsets are committed per chunk, after it.
 */
export function createEventConsumer<C extends EventContract = KnownContract>(
  options: EventConsumerOptions<C>,
): EventConsumer {
  const logger = options.logger.child({
    component: 'event-consumer',
    groupId: options.groupId,
  });
  const kafka = kafkaOf(options.kafka);
  const registry = (options.registry ?? eventRegistry) as EventRegistry<C>;
  const retries = options.retry?.retries ?? 5;
  const initialDelayMs = options.retry?.initialDelayMs ?? 200;
  const maxDelayMs = options.retry?.maxDelayMs ?? 5_000;
  const handlers = (options.handlers ?? {}) as Record<
    string,
    ((event: EventEnvelope) => Promise<void>) | undefined
  >;
  const batchMode = options.batch as
    EventBatchOptions<EventEnvelope> | undefined;
  const batchTypes = new Set<string>(batchMode?.types ?? []);
  const maxBatchEvents = Math.max(1, batchMode?.maxEvents ?? 500);

  const stats: EventConsumerStats = {
    handled: 0,
    skipped: 0,
    retried: 0,
    deadLettered: 0,
    lastError: null,
  };
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  let running = false;
  let joined = false;
  let crashed = false;
  let stopping = new AbortController();

  async function deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: 'invalid' | 'handler',
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const text = errorMessage(error).slice(0, MAX_ERROR_HEADER_LENGTH);
    const headers: IHeaders = {
      ...message.headers,
      [DLQ_HEADERS.error]: text,
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: String(partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.consumerGroup]: options.groupId,
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    // Throws if Kafka refuses: the offset is then not committed and the message comes back.
    await producer!.send({
      topic: options.dlqTopic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    stats.deadLettered += 1;
    stats.lastError = text;
    logger.error(
      {
        err: error,
        reason,
        topic,
        partition,
        offset: message.offset,
        dlqTopic: options.dlqTopic,
      },
      'event sent to the dead-letter topic',
    );
  }

  async function handle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    let event: EventEnvelope;
    try {
      event = registry.parse(message.value);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      await deadLetter(topic, partition, message, 'invalid', error, 0);
      return;
    }
    const handler = handlers[event.type];
    if (!handler) {
      stats.skipped += 1;
      return;
    }
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      try {
        await handler(event);
        stats.handled += 1;
        return;
      } catch (error) {
        lastError = error;
        if (attempt === retries) break;
        const delay = backoffDelay(attempt, initialDelayMs, maxDelayMs);
        stats.retried += 1;
        logger.warn(
          {
            err: error,
            eventId: event.id,
            type: event.type,
            attempt: attempt + 1,
            retryInMs: delay,
          },
          'event handler failed; retrying',
        );
        const waited = await sleep(delay, stopping.signal);
        if (!waited) {
          // Not committed: the next owner of the partition processes it again.
          throw new Error(
            'consumer stopping during a retry; the event will be redelivered',
          );
        }
        await heartbeat();
      }
    }
    await deadLetter(
      topic,
      partition,
      message,
      'handler',
      lastError,
      retries + 1,
    );
  }

  /** A valid event of a batch, with the message it came in (for the DLQ). */
  interface BatchItem {
    event: EventEnvelope;
    message: KafkaMessage;
  }

  /**
   * Runs the batch handler with the same retry policy as a message handler.
   * When the whole batch keeps failing, each event is retried alone (so one
   * poison event cannot hold back the others), and only the events that keep
   * failing alone go to the DLQ.
   */
  async function handleItems(
    items: BatchItem[],
    context: EventBatchContext,
  ): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      try {
        await batchMode!.handle(
          items.map((item) => item.event),
          context,
        );
        stats.handled += items.length;
        return;
      } catch (error) {
        lastError = error;
        if (attempt === retries) break;
        const delay = backoffDelay(attempt, initialDelayMs, maxDelayMs);
        stats.retried += 1;
        logger.warn(
          {
            err: error,
            events: items.length,
            firstEventId: items[0]?.event.id,
            topic: context.topic,
            partition: context.partition,
            attempt: attempt + 1,
            retryInMs: delay,
          },
          'event batch handler failed; retrying',
        );
        const waited = await sleep(delay, stopping.signal);
        if (!waited) {
          throw new Error(
            'consumer stopping during a retry; the batch will be redelivered',
          );
        }
        await context.heartbeat();
      }
    }
    if (items.length > 1) {
      logger.warn(
        { err: lastError, events: items.length },
        'event batch kept failing; retrying its events one by one',
      );
      for (const item of items) await handleItems([item], context);
      return;
    }
    await deadLetter(
      context.topic,
      context.partition,
      items[0]!.message,
      'handler',
      lastError,
      retries + 1,
    );
  }

  /** Validates a chunk (invalid → DLQ at once, other types skipped) and handles the rest as one batch. */
  async function handleChunk(
    messages: KafkaMessage[],
    context: EventBatchContext,
  ): Promise<void> {
    const items: BatchItem[] = [];
    for (const message of messages) {
      let event: EventEnvelope;
      try {
        event = registry.parse(message.value);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        await deadLetter(
          context.topic,
          context.partition,
          message,
          'invalid',
          error,
          0,
        );
        continue;
      }
      if (batchTypes.has(event.type)) items.push({ event, message });
      else stats.skipped += 1;
    }
    if (items.length > 0) await handleItems(items, context);
  }

  async function eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const context: EventBatchContext = {
      topic: batch.topic,
      partition: batch.partition,
      heartbeat,
    };
    for (let i = 0; i < batch.messages.length; i += maxBatchEvents) {
      // A rebalance or a stop: leave the rest uncommitted for the next owner.
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + maxBatchEvents);
      await handleChunk(chunk, context);
      resolveOffset(chunk[chunk.length - 1]!.offset);
      // autoCommitThreshold 1: commits what was just resolved.
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  async function connectedAdmin(): Promise<Admin> {
    if (!admin) {
      const candidate = kafka.admin();
      await candidate.connect();
      admin = candidate;
    }
    return admin;
  }

  async function startOnce(): Promise<void> {
    if (running) return;
    stopping = new AbortController();
    crashed = false;
    joined = false;
    await createMissingTopics(
      await connectedAdmin(),
      [...options.topics, options.dlqTopic],
      { partitions: options.topicPartitions },
    );
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    consumer = kafka.consumer({ groupId: options.groupId });
    let onJoin: () => void = () => undefined;
    const joinedOnce = new Promise<void>((resolve) => (onJoin = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      onJoin();
    });
    consumer.on(consumer.events.CRASH, (crash) => {
      stats.lastError = errorMessage(crash.payload.error);
      if (!crash.payload.restart) crashed = true;
      joined = false;
      logger.error(
        { err: crash.payload.error, restart: crash.payload.restart },
        'consumer crashed',
      );
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [...options.topics],
      fromBeginning: options.fromBeginning ?? true,
    });
    if (batchMode) {
      await consumer.run({
        autoCommit: true,
        // Offsets are resolved per chunk, after its effects, and committed at once.
        eachBatchAutoResolve: false,
        autoCommitThreshold: 1,
        eachBatch,
      });
    } else {
      await consumer.run({
        autoCommit: true,
        eachMessage: ({ topic, partition, message, heartbeat }) =>
          handle(topic, partition, message, heartbeat),
      });
    }
    running = true;
    const timeoutMs = options.joinTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      joinedOnce.then(() => false),
      new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)),
      ),
    ]);
    clearTimeout(timer);
    if (timedOut)
      logger.warn(
        { timeoutMs },
        'consumer started but has not joined its group yet',
      );
    logger.info({ topics: options.topics }, 'event consumer started');
  }

  return {
    stats,
    async start() {
      // A broker that is still electing leaders answers with retriable errors;
      // a service booting next to it retries rather than dies.
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await startOnce();
        } catch (error) {
          const retriable =
            (error as { retriable?: boolean }).retriable === true;
          if (!retriable || attempt >= START_ATTEMPTS) throw error;
          logger.warn(
            { err: error, attempt },
            'consumer could not start yet; retrying',
          );
          await this.stop().catch(() => undefined);
          await sleep(backoffDelay(attempt - 1, 500, 4_000));
        }
      }
    },
    async stop() {
      stopping.abort();
      running = false;
      joined = false;
      await consumer?.disconnect();
      await producer?.disconnect();
      await admin?.disconnect();
      consumer = undefined;
      producer = undefined;
      admin = undefined;
    },
    readiness() {
      return {
        ok: running && joined && !crashed,
        detail: { running, joined, crashed, topics: options.topics, ...stats },
      };
    },
    async lag() {
      // A stopped consumer keeps no connection: ask with a short-lived admin.
      const ephemeral = !running;
      const client = ephemeral ? kafka.admin() : await connectedAdmin();
      if (ephemeral) await client.connect();
      try {
        const committed = await client.fetchOffsets({
          groupId: options.groupId,
          topics: [...options.topics],
        });
        const partitions: PartitionLag[] = [];
        for (const { topic, partitions: groupPartitions } of committed) {
          const ends = await client.fetchTopicOffsets(topic);
          for (const end of ends) {
            const committedOffset = Number(
              groupPartitions.find((p) => p.partition === end.partition)
                ?.offset ?? -1,
            );
            const high = Number(end.high);
            // Nothing committed yet: everything still on the log is outstanding.
            const from =
              committedOffset >= 0 ? committedOffset : Number(end.low);
            partitions.push({
              topic,
              partition: end.partition,
              highWatermark: high,
              committedOffset,
              lag: Math.max(0, high - from),
            });
          }
        }
        return {
          total: partitions.reduce((sum, p) => sum + p.lag, 0),
          partitions,
        };
      } finally {
        if (ephemeral) await client.disconnect().catch(() => undefined);
      }
    },
  };
}
