import type {
  Admin,
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import { context as otelContext, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { backoffDelay, errorMessage, sleep } from './backoff';
import type { EventContract } from './contract';
import { DLQ_HEADERS, dlqBacklog } from './dlq';
import type { DlqBacklog } from './dlq';
import type { EventEnvelope } from './envelope';
import {
  chunksOf,
  deadLetterHeaders,
  decideRetry,
  triage,
} from './consumer-rules';
import type { RetryState } from './consumer-rules';
import { createMissingTopics, kafkaOf, topicOffsets } from './kafka';
import type { KafkaClient } from './kafka';
import type { Readiness } from './readiness';
import { eventRegistry } from './registry';
import type { EventRegistry, EventUnion, KnownContract } from './registry';
import { endSpan, startConsumerSpan } from './tracing';

/** `{ traceId }` of a span, for log lines; empty without one. */
function traceIdOf(span: Span | undefined): { traceId?: string } {
  return span ? { traceId: span.spanContext().traceId } : {};
}

/** One handler per event type; it receives every known version of that type. */
export type EventHandlers<E extends EventEnvelope> = {
  [T in E['type']]?: (event: Extract<E, { type: T }>) => Promise<void>;
};

/** Retry policy for a handler that throws a deterministic error (see `classifyFailure`). */
export interface ConsumerRetryOptions {
  /** Retries after the first attempt before dead-lettering; default 5. */
  retries?: number;
  /** Delay before the first retry; default 200 ms, doubling. */
  initialDelayMs?: number;
  /** Cap of the delay; default 5_000 ms (keeps a retry series well inside the session timeout). */
  maxDelayMs?: number;
}

/**
 * Waiting out an infrastructure failure (database unreachable, failover,
 * timeouts, see `classifyFailure`): the partition is paused and the work
 * retried with capped exponential backoff and jitter until it succeeds or
 * the consumer stops. Nothing is dead-lettered and the offset stays
 * uncommitted meanwhile.
 */
export interface ConsumerOutageOptions {
  /** First wait; default 500 ms, doubling. */
  initialDelayMs?: number;
  /** Longest wait between two tries; default 30_000 ms. */
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
  outage?: ConsumerOutageOptions;
  /** Contracts to validate against; default: every contract of this package. */
  registry?: EventRegistry<C>;
  /** Where a new group starts; default true (read models are built from the whole history). */
  fromBeginning?: boolean;
  /** How long start() waits for the group join before resolving anyway; default 30_000 ms. */
  joinTimeoutMs?: number;
  /** Partitions of topics the consumer has to create; default 3. */
  topicPartitions?: number;
  /**
   * How long the broker keeps a member that stopped heartbeating; default
   * 30_000 ms (kafkajs's), at least the broker's minimum (6_000 ms). It is also
   * how long a consumer stays "joining" after a Kafka restart: the broker waits
   * for the membership it remembers from before to expire. Heartbeats go every
   * third of it, and between the chunks of a batch.
   */
  sessionTimeoutMs?: number;
}

/**
 * How long the broker holds an idle fetch open before answering empty. Events
 * are delivered as they arrive whatever it is, but `stop()` waits for the fetch
 * in flight (kafkajs lets it finish): kafkajs's 5 s default made every stop (a
 * deploy, a test's teardown, Ctrl-C) take up to 5 s. 500 ms costs two empty
 * fetches a second per idle consumer.
 */
const IDLE_FETCH_WAIT_MS = 500;

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
  /** Events applied (a batch counts its events). */
  handled: number;
  /** Valid events of a type this consumer does not handle. */
  skipped: number;
  /** Retries after a deterministic failure (they lead to the DLQ when they run out). */
  retried: number;
  /** Retries while waiting out an infrastructure failure (never lead to the DLQ). */
  infrastructureRetries: number;
  /** Messages written to the DLQ topic. */
  deadLettered: number;
  /** The same, by `dlq-reason`. */
  deadLetteredByReason: { invalid: number; handler: number };
  lastError: string | null;
}

/** A partition paused while an infrastructure failure lasts. */
export interface InfrastructureWait {
  topic: string;
  partition: number;
  /** When the first try failed, UTC ISO 8601. */
  since: string;
  /** Tries that failed so far. */
  attempts: number;
  lastError: string;
  /** When the next try is due, UTC ISO 8601. */
  nextAttemptAt: string;
}

/** The running consumer. */
export interface EventConsumer {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly dlqTopic: string;
  /** Creates missing topics, joins the group and starts consuming; rejects if Kafka is unreachable. */
  start(): Promise<void>;
  /** Aborts retry waits, commits what was processed, leaves the group, disconnects. */
  stop(): Promise<void>;
  /**
   * `ok` while running, joined, not crashed and not waiting out an
   * infrastructure failure; `detail.state` says which
   * (`consuming`, `joining`, `waiting-on-infrastructure`, `crashed`,
   * `stopped`) and `detail.waitingOnInfrastructure` lists paused partitions.
   */
  readiness(): Readiness;
  /** Per-partition lag (high watermark − committed offset) and its total, via the admin API. */
  lag(): Promise<{ total: number; partitions: PartitionLag[] }>;
  /** Messages on this consumer's DLQ topic, and how many still wait for a redrive. */
  dlqBacklog(): Promise<DlqBacklog>;
  readonly stats: Readonly<EventConsumerStats>;
}

/** Tries of a consumer start that fails with a retriable Kafka error (≈ 10 s in all). */
const START_ATTEMPTS = 5;

// A long wait is slept in slices with a heartbeat between them, well inside
// the group's session timeout (kafkajs: 30 s; it sends one every 3 s at most).
const HEARTBEAT_SLICE_MS = 1_000;

/** A try that failed and will not be retried; carries what the DLQ needs. */
interface Failure {
  error: unknown;
  attempts: number;
}

/** Where some work runs: its partition, and kafkajs' hooks for it. */
interface WorkSite {
  topic: string;
  partition: number;
  heartbeat(): Promise<void>;
  /** Pauses fetching the partition; returns the resume. */
  pause(): () => void;
  /** For logs. */
  describe: Record<string, unknown>;
}

/**
 * Consumes events at-least-once. Each message is validated with the registry:
 * invalid or unknown → DLQ at once (poison, retrying cannot help). A handler
 * failure is classified (`classifyFailure`):
 *
 * - infrastructure (database unreachable, not primary, timeouts, a retriable
 *   Kafka error…): the partition is paused and the handler retried with
 *   capped, jittered exponential backoff for as long as it takes — never
 *   dead-lettered, offset not committed, `readiness()` not ok meanwhile;
 * - anything else: retried `retry.retries` times with backoff, then the
 *   message goes to the DLQ with the error and its origin in headers, the
 *   offset is committed and the next message is processed.
 *
 * If the DLQ itself cannot be written, the message is not committed: an
 * infrastructure error there is waited out like a handler's, any other is
 * thrown and the message redelivered. Handlers must be idempotent (see
 * `applyOnce`): redelivery happens.
 *
 * With `batch`, the valid events of each fetched chunk (one partition, in
 * order) go to `batch.handle` together, with the same classification; a
 * batch failing deterministically is retried, then its events one by one,
 * and only an event that keeps failing alone is dead-lettered. Offsets are
 * committed per chunk, after it.
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
  const policy = {
    initialDelayMs: options.retry?.initialDelayMs ?? 200,
    maxDelayMs: options.retry?.maxDelayMs ?? 5_000,
    outageInitialDelayMs: options.outage?.initialDelayMs ?? 500,
    outageMaxDelayMs: options.outage?.maxDelayMs ?? 30_000,
  };
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
    infrastructureRetries: 0,
    deadLettered: 0,
    deadLetteredByReason: { invalid: 0, handler: 0 },
    lastError: null,
  };
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  let running = false;
  let joined = false;
  let crashed = false;
  let stopping = new AbortController();
  /** Partitions waiting out an infrastructure failure, by `topic:partition`. */
  const waits = new Map<string, InfrastructureWait>();

  /** Sleeps `ms` with heartbeats; throws when the consumer stops meanwhile (nothing committed). */
  async function pauseFor(ms: number, site: WorkSite): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      const waited = await sleep(
        Math.min(left, HEARTBEAT_SLICE_MS),
        stopping.signal,
      );
      if (!waited) {
        // Not committed: the next owner of the partition processes it again.
        throw new Error(
          'consumer stopping during a retry; the event will be redelivered',
        );
      }
      await site.heartbeat();
    }
  }

  /**
   * Runs `work` until it succeeds. Infrastructure failures pause the
   * partition and are retried for as long as they last; other failures are
   * retried `deterministicRetries` times, and the last is returned.
   */
  async function persist(
    work: () => Promise<void>,
    site: WorkSite,
    deterministicRetries: number,
  ): Promise<Failure | undefined> {
    const key = `${site.topic}:${site.partition}`;
    let tries: RetryState = { failures: 0, outageAttempts: 0 };
    let resume: (() => void) | undefined;
    try {
      for (;;) {
        try {
          await work();
          if (tries.outageAttempts > 0)
            logger.info(
              { ...site.describe, attempts: tries.outageAttempts },
              'infrastructure is back; the partition resumes',
            );
          return undefined;
        } catch (error) {
          const message = errorMessage(error);
          stats.lastError = message;
          const decision = decideRetry(error, tries, {
            ...policy,
            deterministicRetries,
          });
          if (decision.kind === 'give-up')
            return { error, attempts: decision.attempts };
          tries = decision.next;
          if (decision.kind === 'wait-out-outage') {
            stats.infrastructureRetries += 1;
            if (!resume) resume = site.pause();
            const now = Date.now();
            waits.set(key, {
              topic: site.topic,
              partition: site.partition,
              since: waits.get(key)?.since ?? new Date(now).toISOString(),
              attempts: tries.outageAttempts,
              lastError: message,
              nextAttemptAt: new Date(now + decision.delayMs).toISOString(),
            });
            logger.warn(
              {
                err: error,
                ...site.describe,
                attempt: tries.outageAttempts,
                retryInMs: decision.delayMs,
              },
              'infrastructure unavailable; partition paused, retrying (never dead-lettered)',
            );
          } else {
            stats.retried += 1;
            logger.warn(
              {
                err: error,
                ...site.describe,
                attempt: tries.failures,
                retryInMs: decision.delayMs,
              },
              'event handler failed; retrying',
            );
          }
          await pauseFor(decision.delayMs, site);
        }
      }
    } finally {
      waits.delete(key);
      resume?.();
    }
  }

  async function deadLetter(
    site: WorkSite,
    message: KafkaMessage,
    reason: 'invalid' | 'handler',
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const headers = deadLetterHeaders(message, {
      topic: site.topic,
      partition: site.partition,
      groupId: options.groupId,
      reason,
      error,
      attempts,
      failedAt: new Date(),
    });
    // A Kafka outage is waited out like a handler's; any other refusal is
    // thrown: the offset is then not committed and the message comes back.
    const failed = await persist(
      async () => {
        await producer!.send({
          topic: options.dlqTopic,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers }],
        });
      },
      { ...site, describe: { ...site.describe, dlqTopic: options.dlqTopic } },
      0,
    );
    if (failed) throw failed.error;
    stats.deadLettered += 1;
    stats.deadLetteredByReason[reason] += 1;
    stats.lastError = headers[DLQ_HEADERS.error] as string;
    logger.error(
      {
        err: error,
        reason,
        topic: site.topic,
        partition: site.partition,
        offset: message.offset,
        dlqTopic: options.dlqTopic,
      },
      'event sent to the dead-letter topic',
    );
  }

  async function handle({
    topic,
    partition,
    message,
    heartbeat,
    pause,
  }: EachMessagePayload): Promise<void> {
    const site: WorkSite = {
      topic,
      partition,
      heartbeat,
      pause,
      describe: { topic, partition, offset: message.offset },
    };
    const verdict = triage(
      message.value,
      (value) => registry.parse(value),
      (type) => handlers[type] !== undefined,
    );
    if (verdict.kind === 'skip') {
      stats.skipped += 1;
      return;
    }
    if (verdict.kind === 'dead-letter') {
      await deadLetter(site, message, 'invalid', verdict.error, 0);
      return;
    }
    const { event } = verdict;
    const handler = handlers[event.type]!;
    // The handler runs in a CONSUMER span continuing the event's trace (its
    // log lines name it; the events it writes carry it on).
    const traced = startConsumerSpan(message.headers, event, {
      topic,
      partition,
      groupId: options.groupId,
    });
    site.describe = {
      ...site.describe,
      eventId: event.id,
      type: event.type,
      ...traceIdOf(traced?.span),
    };
    const work = () => persist(() => handler(event), site, retries);
    let failed: Failure | undefined;
    try {
      failed = traced
        ? await otelContext.with(traced.context, work)
        : await work();
    } catch (error) {
      // Stopping mid-retry: the event comes back; this span ends here.
      if (traced) endSpan(traced.span, error);
      throw error;
    }
    if (!failed) {
      stats.handled += 1;
      if (traced) endSpan(traced.span);
      return;
    }
    try {
      await deadLetter(site, message, 'handler', failed.error, failed.attempts);
    } finally {
      if (traced) endSpan(traced.span, failed.error);
    }
  }

  /** A valid event of a batch, with the message it came in (for the DLQ). */
  interface BatchItem {
    event: EventEnvelope;
    message: KafkaMessage;
  }

  /**
   * Runs the batch handler with the same policy as a message handler. When
   * the whole batch keeps failing deterministically, each event is retried
   * alone (so one poison event cannot hold back the others), and only the
   * events that keep failing alone go to the DLQ.
   */
  async function handleItems(
    items: BatchItem[],
    context: EventBatchContext,
    site: WorkSite,
    deadLettered: Map<BatchItem, unknown>,
  ): Promise<void> {
    const failed = await persist(
      () =>
        batchMode!.handle(
          items.map((item) => item.event),
          context,
        ),
      {
        ...site,
        describe: {
          ...site.describe,
          events: items.length,
          firstEventId: items[0]?.event.id,
          firstOffset: items[0]?.message.offset,
        },
      },
      retries,
    );
    if (!failed) {
      stats.handled += items.length;
      return;
    }
    if (items.length > 1) {
      logger.warn(
        { err: failed.error, events: items.length },
        'event batch kept failing; retrying its events one by one',
      );
      for (const item of items)
        await handleItems([item], context, site, deadLettered);
      return;
    }
    deadLettered.set(items[0]!, failed.error);
    await deadLetter(
      site,
      items[0]!.message,
      'handler',
      failed.error,
      failed.attempts,
    );
  }

  /** Validates a chunk (invalid → DLQ at once, other types skipped) and handles the rest as one batch. */
  async function handleChunk(
    messages: KafkaMessage[],
    context: EventBatchContext,
    site: WorkSite,
  ): Promise<void> {
    const items: BatchItem[] = [];
    for (const message of messages) {
      const verdict = triage(
        message.value,
        (value) => registry.parse(value),
        (type) => batchTypes.has(type),
      );
      if (verdict.kind === 'handle')
        items.push({ event: verdict.event, message });
      else if (verdict.kind === 'skip') stats.skipped += 1;
      else
        await deadLetter(
          { ...site, describe: { ...site.describe, offset: message.offset } },
          message,
          'invalid',
          verdict.error,
          0,
        );
    }
    if (items.length === 0) return;
    // A CONSUMER span per traced event, child of its own trace (the batch's
    // events come from many requests): each trace shows its event handled.
    // They share the batch's timing; the handler runs in the first one's
    // context, so what it traces or writes continues that trace.
    const spans = new Map<BatchItem, Span>();
    for (const item of items) {
      const traced = startConsumerSpan(item.message.headers, item.event, {
        topic: site.topic,
        partition: site.partition,
        groupId: options.groupId,
        batchSize: items.length,
      });
      if (traced) spans.set(item, traced.span);
    }
    const deadLettered = new Map<BatchItem, unknown>();
    const first = spans.values().next().value;
    const work = () => handleItems(items, context, site, deadLettered);
    try {
      await (first
        ? otelContext.with(trace.setSpan(otelContext.active(), first), work)
        : work());
    } finally {
      for (const [item, span] of spans)
        endSpan(
          span,
          deadLettered.has(item) ? deadLettered.get(item) : undefined,
        );
    }
  }

  async function eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    pause,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const context: EventBatchContext = {
      topic: batch.topic,
      partition: batch.partition,
      heartbeat,
    };
    const site: WorkSite = {
      topic: batch.topic,
      partition: batch.partition,
      heartbeat,
      pause,
      describe: { topic: batch.topic, partition: batch.partition },
    };
    for (const chunk of chunksOf(batch.messages, maxBatchEvents)) {
      // A rebalance or a stop: leave the rest uncommitted for the next owner.
      if (!isRunning() || isStale()) return;
      await handleChunk(chunk, context, site);
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

  /** Runs `task` with the consumer's admin, or a short-lived one when stopped. */
  async function withAdmin<T>(task: (client: Admin) => Promise<T>): Promise<T> {
    // A stopped consumer keeps no connection: ask with a short-lived admin.
    const ephemeral = !running;
    const client = ephemeral ? kafka.admin() : await connectedAdmin();
    if (ephemeral) await client.connect();
    try {
      return await task(client);
    } finally {
      if (ephemeral) await client.disconnect().catch(() => undefined);
    }
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
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
    });
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
      await consumer.run({ autoCommit: true, eachMessage: handle });
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
    groupId: options.groupId,
    topics: options.topics,
    dlqTopic: options.dlqTopic,
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
      const waitingOnInfrastructure = [...waits.values()];
      const state = !running
        ? 'stopped'
        : crashed
          ? 'crashed'
          : !joined
            ? 'joining'
            : waitingOnInfrastructure.length > 0
              ? 'waiting-on-infrastructure'
              : 'consuming';
      return {
        ok: state === 'consuming',
        detail: {
          state,
          groupId: options.groupId,
          running,
          joined,
          crashed,
          topics: options.topics,
          ...stats,
          waitingOnInfrastructure,
        },
      };
    },
    lag: () =>
      withAdmin(async (client) => {
        const committed = await client.fetchOffsets({
          groupId: options.groupId,
          topics: [...options.topics],
        });
        const partitions: PartitionLag[] = [];
        for (const { topic, partitions: groupPartitions } of committed) {
          const ends = await topicOffsets(client, topic);
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
      }),
    dlqBacklog: () =>
      withAdmin((client) => dlqBacklog(client, options.dlqTopic)),
  };
}
