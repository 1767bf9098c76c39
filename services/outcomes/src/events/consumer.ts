import {
  createEventConsumer,
  dlqTopicFor,
  topicFor,
  type EventConsumer,
  type KafkaClient,
  type KnownEvent,
  type ServiceName,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { targetDimensions, type MetricFact } from '../domain/metrics';
import type { Stores } from '../store';

type EventOfType<T extends KnownEvent['type']> = Extract<
  KnownEvent,
  { type: T }
>;

/** Every producing service whose topic outcomes reads (its own too: placements). */
export const SOURCES: readonly ServiceName[] = [
  'committees',
  'standards',
  'certification',
  'training',
  'outcomes',
];

const NO_DIMENSIONS = { state: null, standardId: null, credentialId: null };

/**
 * The effects of other services' events on the read models. Each event's
 * effects are skipped whole if the ledger has it, and each single-document
 * effect is applied once (applyOnce) or is an absolute `$set`, so redelivery
 * and replay never count twice. Facts are bucketed by their own timestamps, so
 * delivery order does not change the result. Exported apart from the consumer
 * so tests call them without a broker.
 */
export function outcomesHandlers(stores: Stores) {
  const { buckets, ledger, standards, cohorts } = stores;

  /** Runs `effects` unless the event was already applied, then records it. */
  async function once(
    event: KnownEvent,
    effects: () => Promise<void>,
  ): Promise<void> {
    if (await ledger.seen(event.id)) return;
    await effects();
    await ledger.record(event.id, event.type);
  }

  const count = (event: KnownEvent, facts: MetricFact[]) =>
    once(event, async () => {
      for (const fact of facts) await buckets.add(event.id, fact);
    });

  return {
    /** Requested headcount and requests per period, state and target. */
    CountDemandOnDemandRequested(
      event: EventOfType<'training.DemandRequested'>,
    ) {
      const { data } = event;
      const dimensions = targetDimensions(data, data.state);
      const at = new Date(data.requestedAt);
      return count(event, [
        { metric: 'DEMAND_HEADCOUNT', at, amount: data.headcount, dimensions },
        { metric: 'DEMAND_REQUESTS', at, amount: 1, dimensions },
      ]);
    },

    /** An enrollment is one person trained (supply, funnel) and one enrolled in its cohort. */
    CountTrainedOnParticipantEnrolled(
      event: EventOfType<'training.ParticipantEnrolled'>,
    ) {
      const { data } = event;
      return once(event, async () => {
        await buckets.add(event.id, {
          metric: 'TRAINED',
          at: new Date(data.enrolledAt),
          amount: 1,
          dimensions: targetDimensions(data),
        });
        await cohorts.count(event.id, data.cohortId, 'enrolled');
      });
    },

    /** A completed enrollment (its target is not in the event: counted without dimensions). */
    CountCompletedOnEnrollmentCompleted(
      event: EventOfType<'training.EnrollmentCompleted'>,
    ) {
      const { data } = event;
      return once(event, async () => {
        await buckets.add(event.id, {
          metric: 'COMPLETED',
          at: new Date(data.completedAt),
          amount: 1,
          dimensions: NO_DIMENSIONS,
        });
        await cohorts.count(event.id, data.cohortId, 'completed');
      });
    },

    /** A drop-out counts against its cohort only. */
    CountDroppedOnEnrollmentDropped(
      event: EventOfType<'training.EnrollmentDropped'>,
    ) {
      return once(event, () =>
        cohorts.count(event.id, event.data.cohortId, 'dropped'),
      );
    },

    /** A certificate: supply, funnel and the usage of its standard. */
    CountCertifiedOnCertificateIssued(
      event: EventOfType<'certification.CertificateIssued'>,
    ) {
      const { data } = event;
      return count(event, [
        {
          metric: 'CERTIFIED',
          at: new Date(data.issuedAt),
          amount: 1,
          dimensions: { ...NO_DIMENSIONS, standardId: data.standardId },
        },
      ]);
    },

    /** A placement counts in the period its job starts, in its state. */
    CountPlacedOnPlacementRecorded(
      event: EventOfType<'outcomes.PlacementRecorded'>,
    ) {
      const { data } = event;
      return count(event, [
        {
          metric: 'PLACED',
          at: new Date(`${data.startDate}T00:00:00.000Z`),
          amount: 1,
          dimensions: { ...NO_DIMENSIONS, state: data.state },
        },
      ]);
    },

    /** A published standard enters the usage denominator. */
    RecordStandardOnStandardPublished(
      event: EventOfType<'standards.StandardPublished'>,
    ) {
      const { data } = event;
      return standards.published(data.id, {
        code: data.code,
        title: data.title,
        sectorId: data.sectorId,
        publishedAt: new Date(data.publishedAt),
      });
    },

    /** A withdrawn standard leaves the denominator from then on. */
    EndStandardOnStandardWithdrawn(
      event: EventOfType<'standards.StandardWithdrawn'>,
    ) {
      return standards.withdrawn(
        event.data.id,
        new Date(event.data.withdrawnAt),
      );
    },

    /** A superseded version leaves the denominator; its revision enters it when published. */
    EndStandardOnStandardSuperseded(
      event: EventOfType<'standards.StandardSuperseded'>,
    ) {
      return standards.superseded(
        event.data.id,
        new Date(event.data.supersededAt),
      );
    },
  };
}

export type OutcomesHandlers = ReturnType<typeof outcomesHandlers>;

/**
 * Reads every service's topic into the read models as group
 * `<prefix>outcomes` (or `groupId`, for a rebuild), failing events to
 * `conecta.outcomes.dlq`.
 */
export function createOutcomesConsumer({
  kafka,
  topicPrefix,
  logger,
  stores,
  groupId = `${topicPrefix}outcomes`,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  stores: Stores;
  groupId?: string;
}): EventConsumer {
  const handlers = outcomesHandlers(stores);
  return createEventConsumer({
    kafka,
    groupId,
    topics: SOURCES.map((service) => topicFor(service, topicPrefix)),
    dlqTopic: dlqTopicFor('outcomes', topicPrefix),
    logger,
    handlers: {
      'training.DemandRequested': (e) =>
        handlers.CountDemandOnDemandRequested(e),
      'training.ParticipantEnrolled': (e) =>
        handlers.CountTrainedOnParticipantEnrolled(e),
      'training.EnrollmentCompleted': (e) =>
        handlers.CountCompletedOnEnrollmentCompleted(e),
      'training.EnrollmentDropped': (e) =>
        handlers.CountDroppedOnEnrollmentDropped(e),
      'certification.CertificateIssued': (e) =>
        handlers.CountCertifiedOnCertificateIssued(e),
      'outcomes.PlacementRecorded': (e) =>
        handlers.CountPlacedOnPlacementRecorded(e),
      'standards.StandardPublished': (e) =>
        handlers.RecordStandardOnStandardPublished(e),
      'standards.StandardWithdrawn': (e) =>
        handlers.EndStandardOnStandardWithdrawn(e),
      'standards.StandardSuperseded': (e) =>
        handlers.EndStandardOnStandardSuperseded(e),
    },
  });
}
