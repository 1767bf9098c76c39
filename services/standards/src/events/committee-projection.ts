import type { KnownEvent, ServiceConsumerSpec } from '@conecta/events';
import { legacyAgendaItemId } from '@conecta/events/contracts';
import type { CommitteeStore } from '../store/committees';

type EventOfType<T extends KnownEvent['type']> = Extract<
  KnownEvent,
  { type: T }
>;

/**
 * The effects of committees' events on the local committee projection. Each is
 * idempotent (applyOnce): a redelivered event changes nothing. Exported apart
 * from the consumer so tests call them without a broker.
 */
export function committeeProjectionHandlers(committees: CommitteeStore) {
  return {
    /** An installed committee may own drafts; its members see them. */
    async InstallCommitteeOnCommitteeInstalled(
      event: EventOfType<'committees.CommitteeInstalled'>,
    ): Promise<void> {
      await committees.installed(event.id, event.data);
    },

    /** A dissolved committee owns no new drafts and submits nothing more. */
    async DissolveCommitteeOnCommitteeDissolved(
      event: EventOfType<'committees.CommitteeDissolved'>,
    ): Promise<void> {
      await committees.dissolved(event.id, event.data);
    },

    /**
     * Drafts must cover an item of the agenda in force. Items of events
     * published before items had ids get the id committees derives for them.
     */
    async SetAgendaInForceOnHumanCapitalAgendaPublished(
      event: EventOfType<'committees.HumanCapitalAgendaPublished'>,
    ): Promise<void> {
      const { data } = event;
      await committees.agendaPublished(event.id, {
        id: data.id,
        version: data.version,
        publishedAt: data.publishedAt,
        items: data.items.map((item) => ({
          id: item.id ?? legacyAgendaItemId(data.id, item),
          priority: item.priority,
          kind: item.kind,
          title: item.title,
          targetYear: item.targetYear,
        })),
      });
    },

    /** Who sees the committee's drafts follows its membership. */
    async ReplaceMembersOnCommitteeMembersChanged(
      event: EventOfType<'committees.CommitteeMembersChanged'>,
    ): Promise<void> {
      await committees.membersChanged(event.id, event.data);
    },
  };
}

/**
 * Reads `conecta.committees.events` into the committee projection, as group
 * `<prefix>standards`, failing events to `conecta.standards.dlq` (the
 * runtime builds it: service-kit's consumers).
 */
export function committeeProjection(
  committees: CommitteeStore,
): ServiceConsumerSpec {
  const handlers = committeeProjectionHandlers(committees);
  return {
    sources: ['committees'],
    handlers: {
      'committees.CommitteeInstalled': (event) =>
        handlers.InstallCommitteeOnCommitteeInstalled(event),
      'committees.CommitteeDissolved': (event) =>
        handlers.DissolveCommitteeOnCommitteeDissolved(event),
      'committees.CommitteeMembersChanged': (event) =>
        handlers.ReplaceMembersOnCommitteeMembersChanged(event),
      'committees.HumanCapitalAgendaPublished': (event) =>
        handlers.SetAgendaInForceOnHumanCapitalAgendaPublished(event),
    },
  };
}
