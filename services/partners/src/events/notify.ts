import { v7 as uuidv7 } from 'uuid';
import {
  createEventConsumer,
  dlqTopicFor,
  topicFor,
  type EventConsumer,
  type KafkaClient,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { newDelivery } from '../domain/delivery';
import {
  toNotification,
  type NotifiableEvent,
  type StandardSummary,
} from '../domain/notification';
import { matches } from '../domain/subscription';
import type { Stores } from '../store';

/** The standard an event is about, when the payload or a filter needs its code or sector. */
function standardIdOf(event: NotifiableEvent): string | undefined {
  switch (event.type) {
    case 'certification.CertificateRevoked':
    case 'certification.CertificateSuspended':
      return event.data.standardId;
    case 'training.DemandRequested':
    case 'training.CohortScheduled':
      return event.data.standardId;
    default:
      return undefined;
  }
}

/**
 * The effect of a domain event partners are told about: one delivery per
 * matching subscription, due at once. Idempotent by event id (a processed
 * event is skipped) and by the deliveries' unique key (subscription × event),
 * so a redelivered event never produces a second delivery, even after a crash
 * between the deliveries and the mark. Exported apart from the consumer so
 * tests call it without a broker.
 *
 * @param onDelivery wakes the delivery worker when new deliveries were written
 */
export function notifyPartnersOnDomainEvent(
  stores: Stores,
  onDelivery: () => void = () => undefined,
) {
  return async function handle(event: NotifiableEvent): Promise<void> {
    if (await stores.processed.seen(event.id)) return;
    const now = new Date();
    if (event.type === 'standards.StandardPublished')
      await stores.standards.remember({
        id: event.data.id,
        code: event.data.code,
        sectorId: event.data.sectorId,
        title: event.data.title,
      });
    const standardId = standardIdOf(event);
    const known: StandardSummary | undefined = standardId
      ? await stores.standards.find(standardId)
      : undefined;
    const notification = toNotification(event, (id) =>
      id === known?.id ? known : undefined,
    );
    if (notification) {
      const body = JSON.stringify(notification.payload);
      const deliveries = (
        await stores.subscriptions.subscribedTo(notification.kind)
      )
        .filter((subscription) => matches(subscription, notification))
        .map((subscription) =>
          newDelivery({
            id: uuidv7(),
            subscriptionId: subscription.id,
            organizationId: subscription.organizationId,
            eventId: notification.eventId,
            type: notification.payload.type,
            body,
            now,
          }),
        );
      if ((await stores.deliveries.insertNew(deliveries)) > 0) onDelivery();
    }
    await stores.processed.mark(event.id, event.type, now);
  };
}

/**
 * Reads standards', certification's and training's topics as group
 * `<prefix>partners` (partners publishes no events of its own), failing
 * events to `conecta.partners.dlq`.
 */
export function createPartnerNotifier({
  kafka,
  topicPrefix,
  logger,
  stores,
  onDelivery,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  stores: Stores;
  onDelivery: () => void;
}): EventConsumer {
  const handle = notifyPartnersOnDomainEvent(stores, onDelivery);
  return createEventConsumer({
    kafka,
    groupId: `${topicPrefix}partners`,
    topics: [
      topicFor('standards', topicPrefix),
      topicFor('certification', topicPrefix),
      topicFor('training', topicPrefix),
    ],
    dlqTopic: dlqTopicFor('partners', topicPrefix),
    logger,
    handlers: {
      'standards.StandardPublished': handle,
      'standards.StandardSuperseded': handle,
      'standards.StandardWithdrawn': handle,
      'certification.CertificateRevoked': handle,
      'certification.CertificateSuspended': handle,
      'training.DemandRequested': handle,
      'training.CohortScheduled': handle,
    },
  });
}
