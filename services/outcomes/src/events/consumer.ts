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
import {
  issuanceOf,
  retractionMark,
  retractionOf,
} from '../domain/certificates';
import {
  NO_DIMENSIONS,
  targetDimensions,
  type MetricFact,
} from '../domain/metrics';
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

/**
 * The effects of other services' events on the read models. Each event's
 * effects are skipped whole if the ledger has it, and each single-document
 * effect is applied once (applyOnce) or is an absolute `$set`, so redelivery
 * and replay never count twice. Facts are bucketed by their own timestamps, so
 * delivery order does not change the result. Exported apart from the consumer
 * so tests call them without a broker.
 */
export function outcomesHandlers(stores: Stores) {
  const {
    buckets,
    ledger,
    standards,
    cohorts,
    certificates,
    cohortViews,
    credentials,
  } = stores;

  /** Runs `effects` unless the event was already applied, then records it. */
  async function once(
    event: KnownEvent,
    effects: () => Promise<void>,
  ): Promise<void> {
    if (await ledger.seen(event.id)) return;
    await effects();
    await ledger.record(event.id, event.type);
  }

  /** Subtracts a revoked certificate from its issuance period, once per certificate. */
  async function retract(
    view: Parameters<typeof retractionOf>[0],
  ): Promise<void> {
    const retraction = retractionOf(view);
    if (!retraction) return;
    await buckets.add(retractionMark(view.id), retraction);
    await certificates.retracted(view.id);
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
      const dimensions = targetDimensions(data, { state: data.state });
      const at = new Date(data.requestedAt);
      return count(event, [
        { metric: 'DEMAND_HEADCOUNT', at, amount: data.headcount, dimensions },
        { metric: 'DEMAND_REQUESTS', at, amount: 1, dimensions },
      ]);
    },

    /** An enrollment is one person trained (supply, funnel) and one enrolled in its cohort (which gives its state at read time). */
    CountTrainedOnParticipantEnrolled(
      event: EventOfType<'training.ParticipantEnrolled'>,
    ) {
      const { data } = event;
      return once(event, async () => {
        await buckets.add(event.id, {
          metric: 'TRAINED',
          at: new Date(data.enrolledAt),
          amount: 1,
          dimensions: targetDimensions(data, { cohortId: data.cohortId }),
        });
        await cohorts.count(event.id, data.cohortId, 'enrolled');
      });
    },

    /** A completed enrollment, by cohort (its state and target are the cohort's, joined at read time). */
    CountCompletedOnEnrollmentCompleted(
      event: EventOfType<'training.EnrollmentCompleted'>,
    ) {
      const { data } = event;
      return once(event, async () => {
        await buckets.add(event.id, {
          metric: 'COMPLETED',
          at: new Date(data.completedAt),
          amount: 1,
          dimensions: { ...NO_DIMENSIONS, cohortId: data.cohortId },
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

    /**
     * A certificate: supply, funnel and the usage of its standard, in the
     * period it was issued. If its revocation came first, it is retracted at
     * once (the retraction has its own mark, so it happens once either way).
     */
    CountCertifiedOnCertificateIssued(
      event: EventOfType<'certification.CertificateIssued'>,
    ) {
      const { data } = event;
      return once(event, async () => {
        const issuedAt = new Date(data.issuedAt);
        const view = await certificates.issued(
          data.id,
          data.standardId,
          issuedAt,
        );
        await buckets.add(
          event.id,
          issuanceOf({ standardId: data.standardId, issuedAt }),
        );
        await retract(view);
      });
    },

    /**
     * A revoked certificate stops counting as certified: −1 in the period it
     * was issued, once per certificate (a duplicate or second revocation
     * subtracts nothing). Before its issuance is known, nothing to subtract
     * yet: the issuance handler retracts it when it comes.
     */
    SubtractCertifiedOnCertificateRevoked(
      event: EventOfType<'certification.CertificateRevoked'>,
    ) {
      const { data } = event;
      return once(event, async () => {
        const view = await certificates.revoked(
          data.id,
          data.standardId,
          new Date(data.revokedAt),
        );
        await retract(view);
      });
    },

    /** A placement counts in the period its job starts, in its state and sector. */
    CountPlacedOnPlacementRecorded(
      event: EventOfType<'outcomes.PlacementRecorded'>,
    ) {
      const { data } = event;
      return count(event, [
        {
          metric: 'PLACED',
          at: new Date(`${data.startDate}T00:00:00.000Z`),
          amount: 1,
          dimensions: {
            ...NO_DIMENSIONS,
            state: data.state,
            sectorId: data.sectorId,
          },
        },
      ]);
    },

    /** A cohort's state and target: what its enrollments and completions are filtered by. */
    RecordCohortOnCohortScheduled(
      event: EventOfType<'training.CohortScheduled'>,
    ) {
      const { data } = event;
      return cohortViews.scheduled({
        id: data.id,
        state: data.state ?? null,
        standardId: data.standardId ?? null,
        credentialId: data.credentialId ?? null,
      });
    },

    /** A vendor credential's aligned standard: what gives it a sector. */
    RecordCredentialOnVendorCredentialRegistered(
      event: EventOfType<'training.VendorCredentialRegistered'>,
    ) {
      return credentials.registered(
        event.data.id,
        event.data.standardId ?? null,
      );
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
      'certification.CertificateRevoked': (e) =>
        handlers.SubtractCertifiedOnCertificateRevoked(e),
      'training.CohortScheduled': (e) =>
        handlers.RecordCohortOnCohortScheduled(e),
      'training.VendorCredentialRegistered': (e) =>
        handlers.RecordCredentialOnVendorCredentialRegistered(e),
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
