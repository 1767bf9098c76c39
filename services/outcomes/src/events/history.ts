import { topicOffsets } from '@conecta/events';
import type { KafkaClient, KafkaOptions } from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { UnreachableCaseError } from '@conecta/service-kit/errors';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  type Admin,
  type SASLOptions,
  type logCreator,
} from 'kafkajs';
import type { PartitionStart } from '../domain/history';

/**
 * Reads where the source topics start now (their low watermarks), so a
 * rebuild can refuse a history Kafka no longer holds whole and the status can
 * show it. `@conecta/events` keeps its kafkajs client to itself, so this opens
 * an admin connection of its own on the same brokers, client id and SASL user.
 */
export interface SourceHistory {
  /**
   * The earliest offset still held of every partition of every source topic.
   * A topic not created yet is left out (it has lost nothing).
   */
  starts(): Promise<PartitionStart[]>;
  /** Closes the admin connection (a later `starts()` opens it again). */
  stop(): Promise<void>;
}

/** A Kafka user (SASL), as `createKafka` takes it. */
export type KafkaUser = NonNullable<KafkaOptions['sasl']>;

/** The SASL variables of service-kit's `baseConfig` (the rebuild command's too). */
export interface KafkaSaslConfig {
  KAFKA_SASL_MECHANISM?: KafkaUser['mechanism'] | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
}

/**
 * The Kafka user the service connects as, as service-kit's runtime reads it,
 * or none (the local devstack).
 */
export function kafkaSaslOf(config: KafkaSaslConfig): KafkaUser | undefined {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  // service-kit's config refuses a mechanism without both credentials.
  if (!mechanism || !username || !password) return undefined;
  return { mechanism, username, password };
}

/** kafkajs types each mechanism apart (as createKafka does, one at a time). */
function saslOptions({
  mechanism,
  username,
  password,
}: KafkaUser): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
    default:
      throw new UnreachableCaseError(mechanism);
  }
}

// kafkajs' levels, named as pino's.
const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * @param kafka  the service's client: its brokers and client id are reused
 * @param sasl   its Kafka user (`kafkaSaslOf(config)`); none on the devstack
 * @param topics the source topics (prefixed)
 */
export function createSourceHistory({
  kafka,
  sasl,
  topics,
  logger,
}: {
  kafka: KafkaClient;
  sasl?: KafkaUser | undefined;
  topics: readonly string[];
  logger: Logger;
}): SourceHistory {
  const log = logger.child({ component: 'kafka-history' });
  const toPino: logCreator =
    () =>
    ({ level, log: { message, ...extra } }) =>
      log[LEVELS[level] ?? 'info'](extra, message);
  const client = new Kafka({
    clientId: kafka.clientId,
    brokers: [...kafka.brokers],
    ...(sasl ? { sasl: saslOptions(sasl) } : {}),
    // As @conecta/events' createKafka: 3 s to connect on a busy machine,
    // five retries from 300 ms, capped at 10 s.
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
    // Its informational chatter (connects, metadata) is noise here.
    logLevel: KafkaLogLevel.WARN,
    logCreator: toPino,
  });
  let admin: Promise<Admin> | null = null;

  const connected = (): Promise<Admin> => {
    if (!admin) {
      const candidate = client.admin();
      admin = candidate.connect().then(() => candidate);
      // A failed connect is not kept: the next call tries again.
      admin.catch(() => (admin = null));
    }
    return admin;
  };

  async function disconnect(): Promise<void> {
    const current = admin;
    admin = null;
    await (
      await current?.catch(() => null)
    )
      ?.disconnect()
      .catch(() => undefined);
  }

  return {
    async starts() {
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
      } catch (err) {
        // A broken connection is not reused: the next call opens a new one.
        await disconnect();
        throw err;
      }
    },
    stop: disconnect,
  };
}
