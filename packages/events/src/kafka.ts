import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { Admin, LogEntry, logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import { backoffDelay, sleep } from './backoff';

/**
 * kafkajs 2.2.4's request queue, once a connection has had an answer,
 * re-arms a timer every millisecond for as long as the connection lives,
 * with no request waiting (tulios/kafkajs#1556; the fix proposed in #1667,
 * checking only while a request waits, is not released): about 25 ms of CPU
 * a second per idle connection on 2 cores, in every relay, consumer and
 * watcher of every service. Applied here, once per process, to the queue
 * every kafkajs client uses: a check is armed only while a request waits
 * (requests wait only under client-side throttling; an enqueued request and
 * every answer arm it as before). kafkajs is pinned to 2.2.4 in
 * package.json; `test/data-changes.test.ts` fails if a timer spins again.
 */
function quietIdleRequestQueues(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's internal module, no types
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: {
      pending: unknown[];
      scheduleCheckPendingRequests(): void;
    };
  };
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: {
    pending: unknown[];
  }) {
    if (this.pending.length > 0) schedule.call(this);
  };
}
quietIdleRequestQueues();

/**
 * A connection configuration to Kafka. Opaque on purpose: services pass it to
 * `createOutboxRelay` / `createEventConsumer` and never touch kafkajs, so the
 * client library can be swapped inside this package alone.
 */
export interface KafkaClient {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
}

/** Options of {@link createKafka}. */
export interface KafkaOptions {
  /** `host:port` list, e.g. from `KAFKA_BROKERS` split on commas. */
  brokers: readonly string[];
  /** Names this process in broker logs and quotas, e.g. `committees`. */
  clientId: string;
  logger: Logger;
  /** TCP connect timeout; default 3_000 ms (kafkajs' 1 s is tight on a busy CI box). */
  connectionTimeoutMs?: number;
  /** Per-request timeout; default 30_000 ms. */
  requestTimeoutMs?: number;
  /** Retries of each client operation; default 5, starting at 300 ms, capped at 10_000 ms. */
  retries?: number;
  /**
   * SASL authentication (docker-compose: SCRAM-SHA-512, one user per
   * service); absent, the connection is unauthenticated (devstack).
   */
  sasl?: KafkaSasl;
}

/** A Kafka user: from KAFKA_SASL_MECHANISM / _USERNAME / _PASSWORD. */
export interface KafkaSasl {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
}

const clients = new WeakMap<KafkaClient, Kafka>();

/**
 * Creates a Kafka client whose log goes to `logger` (pino), child `{ component: 'kafka' }`.
 * Nothing connects until a relay or consumer starts.
 */
export function createKafka(options: KafkaOptions): KafkaClient {
  const logger = options.logger.child({ component: 'kafka' });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: {
      initialRetryTime: 300,
      maxRetryTime: 10_000,
      retries: options.retries ?? 5,
    },
    ...(options.sasl
      ? {
          sasl:
            options.sasl.mechanism === 'plain'
              ? { ...options.sasl, mechanism: 'plain' as const }
              : options.sasl.mechanism === 'scram-sha-256'
                ? { ...options.sasl, mechanism: 'scram-sha-256' as const }
                : { ...options.sasl, mechanism: 'scram-sha-512' as const },
        }
      : {}),
    logLevel: kafkaLevelFor(logger),
    logCreator: pinoLogCreator(logger),
  });
  const client: KafkaClient = Object.freeze({
    clientId: options.clientId,
    brokers: Object.freeze([...options.brokers]),
    logger: options.logger,
  });
  clients.set(client, kafka);
  return client;
}

/** The kafkajs instance behind a client. Internal: not exported from index. */
export function kafkaOf(client: KafkaClient): Kafka {
  const kafka = clients.get(client);
  if (!kafka) throw new Error('Not a client made by createKafka()');
  return kafka;
}

/**
 * Readiness probe: connects an admin client (no retries) and describes the
 * cluster; throws if no broker answers. Used by services' `/ready`.
 */
export async function pingKafka(client: KafkaClient): Promise<void> {
  const admin = kafkaOf(client).admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('Kafka has no brokers');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Moves a consumer group's committed offsets on `topic` back to the topic's
 * start, so its next start reads the topic again: how a projection that
 * begins to keep a new field backfills it (its handlers fill what is missing
 * on events they had already applied). The group must have no running member,
 * so call it before the consumer starts; Kafka refuses it otherwise, and so
 * does this (the error says so).
 */
export async function rewindGroup(
  client: KafkaClient,
  groupId: string,
  topic: string,
): Promise<void> {
  const admin = kafkaOf(client).admin();
  await admin.connect();
  try {
    await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

/** Options of {@link ensureTopics}. */
export interface EnsureTopicsOptions {
  /** Partitions of a topic created here; default 3 (ordering is per key, not per topic). */
  partitions?: number;
  /** Replication factor; default -1 (the broker's `default.replication.factor`). */
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet (existing ones are left alone), so
 * producers and consumers never depend on broker auto-creation.
 */
export async function ensureTopics(
  client: KafkaClient,
  topics: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const admin = kafkaOf(client).admin();
  await admin.connect();
  try {
    await createMissingTopics(admin, topics, options);
  } finally {
    await admin.disconnect();
  }
}

// A broker that just started may not host a new topic's partitions for a moment:
// kafkajs' createTopics({ waitForLeaders }) then throws a retriable
// UNKNOWN_TOPIC_OR_PARTITION instead of waiting, and a topic another process has
// just created (TOPIC_ALREADY_EXISTS here) may still have no leader, which makes
// the next subscribe or send fail. So every call ends by waiting until each
// partition of each topic has a leader. Retriable errors are tried 10 times,
// ≈ 15 s in all.
const KAFKA_ATTEMPTS = 10;

/**
 * Every topic keeps its messages forever. An event topic is the history that
 * read models are rebuilt from (outcomes' rebuild replays from the earliest
 * offset) and that a new consumer group starts from; Kafka's default of 7 days
 * would silently drop all older history. A DLQ holds events still to redrive.
 * Compaction is no option: every event counts, not the last one per key.
 */
export const TOPIC_RETENTION = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
];

/** {@link ensureTopics} on an already connected admin. Internal. */
export async function createMissingTopics(
  admin: Admin,
  topics: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const wanted = [...new Set(topics)];
  await withKafkaRetries(async () => {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: options.partitions ?? 3,
            replicationFactor: options.replicationFactor ?? -1,
            configEntries: TOPIC_RETENTION,
          })),
        })
        .catch((error: unknown) => {
          // Another process may have created it between listTopics and createTopics.
          if (!isTopicExistsError(error)) throw error;
        });
    }
    await assertLeadersElected(admin, wanted);
  });
}

/**
 * The low and high offsets of every partition of `topic`. kafkajs's admin gives
 * up at once when the broker answers "not the leader" (a partition still
 * loading after the topic was created or the broker restarted, a leader
 * moving); this asks again, like every other retriable Kafka error.
 */
export function topicOffsets(
  admin: Admin,
  topic: string,
): ReturnType<Admin['fetchTopicOffsets']> {
  return withKafkaRetries(() => admin.fetchTopicOffsets(topic));
}

/** Where a partition's history starts now: the earliest offset Kafka still holds. */
export interface PartitionStart {
  topic: string;
  partition: number;
  earliestOffset: number;
}

/** Reads where topics start now, on one admin connection of the service's client. */
export interface TopicStartsReader {
  /** Every partition of `topics`; a topic not created yet is left out (it has lost nothing). */
  starts(topics: readonly string[]): Promise<PartitionStart[]>;
  /** Closes the connection (a later `starts()` opens it again). */
  stop(): Promise<void>;
}

/**
 * A {@link TopicStartsReader} on `client`'s brokers, client id and user. The
 * connection is kept between reads; a read that fails drops it, so the next
 * one connects again.
 */
export function createTopicStartsReader(
  client: KafkaClient,
): TopicStartsReader {
  let admin: Promise<Admin> | null = null;
  const connected = (): Promise<Admin> => {
    if (!admin) {
      const candidate = kafkaOf(client).admin();
      admin = candidate.connect().then(() => candidate);
      // A failed connect is not kept: the next call tries again.
      admin.catch(() => (admin = null));
    }
    return admin;
  };
  async function stop(): Promise<void> {
    const current = admin;
    admin = null;
    const connection = await current?.catch(() => null);
    await connection?.disconnect().catch(() => undefined);
  }
  return {
    async starts(topics) {
      try {
        const connection = await connected();
        const existing = new Set(await connection.listTopics());
        const starts: PartitionStart[] = [];
        for (const topic of topics) {
          if (!existing.has(topic)) continue;
          for (const { partition, low } of await topicOffsets(
            connection,
            topic,
          ))
            starts.push({ topic, partition, earliestOffset: Number(low) });
        }
        return starts;
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
  };
}

/** Runs `task` again, with backoff, while it fails with an error Kafka marks retriable. Internal to the package. */
export async function withKafkaRetries<T>(
  task: () => Promise<T>,
  attempts = KAFKA_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await sleep(backoffDelay(attempt - 1, 250, 2_000));
    }
  }
}

/** Throws a retriable error unless every partition of `topics` has a leader. */
async function assertLeadersElected(
  admin: Admin,
  topics: readonly string[],
): Promise<void> {
  const { topics: metadata } = await admin.fetchTopicMetadata({
    topics: [...topics],
  });
  const leaderless = metadata
    .filter(
      (t) =>
        t.partitions.length === 0 ||
        t.partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0),
    )
    .map((t) => t.name);
  if (leaderless.length > 0) {
    throw Object.assign(
      new Error(`Kafka topics without a leader yet: ${leaderless.join(', ')}`),
      { retriable: true },
    );
  }
}

function isTopicExistsError(error: unknown): boolean {
  const e = error as { type?: string; errors?: { type?: string }[] };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  return (
    Array.isArray(e.errors) &&
    e.errors.length > 0 &&
    e.errors.every((inner) => inner.type === 'TOPIC_ALREADY_EXISTS')
  );
}

function kafkaLevelFor(logger: Logger): KafkaLogLevel {
  // Ask kafkajs only for what the pino level will keep: its INFO lines map to debug.
  switch (logger.level) {
    case 'trace':
      return KafkaLogLevel.DEBUG;
    case 'debug':
      return KafkaLogLevel.INFO;
    case 'silent':
      return KafkaLogLevel.NOTHING;
    default:
      return KafkaLogLevel.WARN;
  }
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      switch (level) {
        case KafkaLogLevel.ERROR:
          logger.error(fields, message);
          break;
        case KafkaLogLevel.WARN:
          logger.warn(fields, message);
          break;
        case KafkaLogLevel.INFO:
          // kafkajs narrates every join and connect at INFO; that is debug for us.
          logger.debug(fields, message);
          break;
        default:
          logger.trace(fields, message);
      }
    };
}
