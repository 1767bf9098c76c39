import {
  watchDataChanges,
  type KafkaClient,
  type ServiceName,
} from '@conecta/events';

/**
 * How often Kafka's offsets are read for the open-data export: part of its
 * staleness bound (README: Open data), and cheap (a few admin requests).
 */
export const OPEN_DATA_POLL_MS = 2_000;

/**
 * Rebuilds the open-data export after the events that may change it: the
 * service's own topic moved (it published: a placement was recorded,
 * among others) or one of its consumer groups
 * committed (its consumer applied a batch of every service's events: the read models the aggregates come from changed). No consumer
 * group is joined, so every instance of the service hears it and keeps its
 * own copy current. A rebuild that changes nothing keeps the ETag.
 */
export function createOpenDataTrigger({
  kafka,
  topicPrefix,
  service,
  refresh,
  intervalMs = OPEN_DATA_POLL_MS,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  service: ServiceName;
  refresh: () => void;
  intervalMs?: number;
}) {
  return watchDataChanges(kafka, {
    topicPrefix,
    intervalMs,
    staleAfterMs: intervalMs * 4,
    onChange: (services) => {
      if (services.includes(service)) refresh();
    },
  });
}
