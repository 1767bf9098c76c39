import type { ServiceName } from './envelope';

/**
 * The topic a service publishes to: `${prefix}conecta.${service}.events`.
 *
 * @param prefix from `KAFKA_TOPIC_PREFIX`; default `''`. Tests isolate with it.
 */
export function topicFor(service: ServiceName, prefix = ''): string {
  return `${prefix}conecta.${service}.events`;
}

/**
 * The dead-letter topic of a consumer: `${prefix}conecta.${consumer}.dlq`.
 *
 * @param consumer the consuming service (or a finer name, e.g. `outcomes-analytics`).
 * @param prefix from `KAFKA_TOPIC_PREFIX`; default `''`.
 */
export function dlqTopicFor(consumer: string, prefix = ''): string {
  return `${prefix}conecta.${consumer}.dlq`;
}

/** How a service's consumer is named and what it reads. */
export interface ConsumerWiring {
  /** `${prefix}${service}`, or `${prefix}${service}-${purpose}` for a second consumer of the service. */
  groupId: string;
  /** Its sources' topics, in the order given. */
  topics: string[];
  /** The service's own dead-letter topic (every consumer of the service shares it). */
  dlqTopic: string;
}

/**
 * The one naming convention of consumers (issue 16: one projection
 * consumer): a service's group, its sources' topics and its dead-letter
 * topic, from the service, the services it reads and the topic prefix.
 */
export function consumerWiring({
  service,
  purpose,
  sources,
  topicPrefix = '',
}: {
  service: string;
  /** A second consumer of the same service (e.g. `supersession`): its own group. */
  purpose?: string;
  sources: readonly ServiceName[];
  topicPrefix?: string;
}): ConsumerWiring {
  return {
    groupId: `${topicPrefix}${service}${purpose ? `-${purpose}` : ''}`,
    topics: sources.map((source) => topicFor(source, topicPrefix)),
    dlqTopic: dlqTopicFor(service, topicPrefix),
  };
}
