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
