import {
  createServiceConsumer,
  type EventConsumer,
  type KafkaClient,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { notifyPartnersCommand } from '../commands/notify-partners';
import type { NotifiableEvent } from '../domain/notification';
import type { Stores } from '../store';

/**
 * The effect of a domain event partners are told about: the notify command
 * (`commands/notify-partners.ts`: one delivery per matching subscription,
 * idempotent by event id and by subscription × event), then the delivery
 * worker woken when it wrote any. Exported apart from the consumer so tests
 * call it without a broker.
 *
 * @param onDelivery wakes the delivery worker when new deliveries were written
 */
export function notifyPartnersOnDomainEvent(
  stores: Stores,
  onDelivery: () => void = () => undefined,
) {
  return async function handle(event: NotifiableEvent): Promise<void> {
    if ((await notifyPartnersCommand({ stores }, event)) > 0) onDelivery();
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
  return createServiceConsumer({
    kafka,
    service: 'partners',
    sources: ['standards', 'certification', 'training'],
    topicPrefix,
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
