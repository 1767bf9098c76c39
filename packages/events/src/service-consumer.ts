import type { EventContract } from './contract';
import {
  createEventConsumer,
  type EventConsumer,
  type EventConsumerOptions,
  type EventHandlers,
} from './consumer';
import type { EventEnvelope, ServiceName } from './envelope';
import type { KnownContract } from './registry';
import { consumerWiring } from './topics';

/** What {@link createServiceConsumer} takes: the consumer's options, with its wiring named by service. */
export type ServiceConsumerOptions<C extends EventContract = KnownContract> =
  Omit<EventConsumerOptions<C>, 'groupId' | 'topics' | 'dlqTopic'> & {
    /** The consuming service. */
    service: string;
    /** A second consumer of the same service: its own group (`${service}-${purpose}`). */
    purpose?: string;
    /** The services whose topics it reads. */
    sources: readonly ServiceName[];
    /** From `KAFKA_TOPIC_PREFIX`. */
    topicPrefix: string;
    /** A group of its own instead of the convention's (outcomes' rebuild generations). */
    groupId?: string;
  };

/**
 * A consumer as a service declares it (its sources, handlers or batch,
 * purpose): `createSubgraphService` (service-kit) adds the service's name,
 * Kafka client, topic prefix and logger and builds it with
 * {@link createServiceConsumer}.
 */
export type ServiceConsumerSpec<C extends EventContract = KnownContract> = Omit<
  ServiceConsumerOptions<C>,
  'kafka' | 'topicPrefix' | 'logger' | 'service'
>;

/**
 * A service's consumer of other services' events, the one way every service
 * builds it: {@link consumerWiring}'s group, topics and dead-letter topic
 * around {@link createEventConsumer} (handlers or batch, retries, DLQ).
 */
export function createServiceConsumer<C extends EventContract = KnownContract>({
  service,
  purpose,
  sources,
  topicPrefix,
  groupId,
  ...options
}: ServiceConsumerOptions<C>): EventConsumer {
  const wiring = consumerWiring({ service, purpose, sources, topicPrefix });
  return createEventConsumer<C>({
    ...options,
    ...wiring,
    ...(groupId ? { groupId } : {}),
  });
}

/**
 * Applies one event with the handler of its type, if there is one (what the
 * consumer does per message): for replaying or testing a projection without
 * a broker.
 */
export function dispatcher<E extends EventEnvelope>(
  handlers: EventHandlers<E>,
): (event: E) => Promise<void> {
  return async (event) => {
    const handler = (
      handlers as Record<string, ((e: E) => Promise<void>) | undefined>
    )[event.type];
    await handler?.(event);
  };
}
