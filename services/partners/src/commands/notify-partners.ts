import { v7 as uuidv7 } from 'uuid';
import { newDelivery } from '../domain/delivery';
import {
  toNotification,
  type NotifiableEvent,
  type StandardSummary,
} from '../domain/notification';
import { matches } from '../domain/subscription';
import type { Context } from '../context';

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
 * Tells partners of a domain event: one delivery per matching subscription,
 * due at once. Idempotent by event id (a processed event is skipped) and by
 * the deliveries' unique key (subscription × event), so a redelivered event
 * never produces a second delivery, even after a crash between the
 * deliveries and the mark. Inserts only (no version to race). Run by the
 * notifier's handler (`events/notify.ts`).
 *
 * @returns how many new deliveries were written
 */
export async function notifyPartnersCommand(
  { stores }: Pick<Context, 'stores'>,
  event: NotifiableEvent,
): Promise<number> {
  if (await stores.processed.seen(event.id)) return 0;
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
  let written = 0;
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
    written = await stores.deliveries.insertNew(deliveries);
  }
  await stores.processed.mark(event.id, event.type, now);
  return written;
}
