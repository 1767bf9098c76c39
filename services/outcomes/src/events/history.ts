import { createTopicStartsReader } from '@conecta/events';
import type { KafkaClient, KafkaOptions } from '@conecta/events';
import type { PartitionStart } from '../domain/history';

/**
 * Reads where the source topics start now (their low watermarks), so a
 * rebuild can refuse a history Kafka no longer holds whole and the status can
 * show it.
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

/**
 * @param kafka  the service's client (its brokers, client id and user)
 * @param topics the source topics (prefixed)
 */
export function createSourceHistory({
  kafka,
  topics,
}: {
  kafka: KafkaClient;
  topics: readonly string[];
}): SourceHistory {
  const reader = createTopicStartsReader(kafka);
  return { starts: () => reader.starts(topics), stop: reader.stop };
}
