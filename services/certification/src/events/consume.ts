import {
  consumerWiring,
  rewindGroup,
  standardStatusHandlers,
  type EventHandlers,
  type KafkaClient,
  type KnownEvent,
  type ServiceConsumerSpec,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import type { ProjectionStore } from '../store/projections';

/**
 * The effects of other services' events on certification's local projections,
 * named for their effect. Exported so tests call them without a broker.
 */
export function createProjectionHandlers(
  projections: ProjectionStore,
): EventHandlers<KnownEvent> {
  return {
    /**
     * ProjectStandardOnPublished: certificates may be issued against it
     * (validity and gazette date known). StopCertifyingOnStandardWithdrawn:
     * existing certificates stay valid to expiry.
     * StopCertifyingOnStandardSuperseded: new certificates go against the
     * new version.
     */
    ...standardStatusHandlers((change) => {
      const { id, code, version, committeeId, level } = change.event.data;
      return projections.applyStandardChange(
        id,
        change.status === 'PUBLISHED'
          ? {
              status: change.status,
              code,
              title: change.event.data.title,
              version,
              committeeId,
              level,
              certificateValidityYears:
                change.event.data.certificateValidityYears,
              gazetteDate: change.event.data.gazetteDate,
            }
          : { status: change.status, code, version, committeeId, level },
        change.event.id,
      );
    }),

    /** RecordNominationOnCertifierNominated: counts toward the three-certifier rule. */
    'committees.CertifierNominated': async (event) => {
      const d = event.data;
      await projections.recordNomination({
        id: d.nominationId,
        committeeId: d.committeeId,
        standardId: d.standardId,
        organizationId: d.organizationId,
      });
    },

    /** KnowOrganizationOnRegistered: bodies are registered only for known organizations. */
    'committees.OrganizationRegistered': async (event) => {
      const d = event.data;
      await projections.recordOrganization({
        id: d.id,
        name: d.name,
        state: d.state,
      });
    },
  };
}

/**
 * The consumer of standards and committees events into the projections
 * (group `${prefix}certification`, failures to `conecta.certification.dlq`;
 * the runtime builds it).
 */
export const projectionConsumer = (
  projections: ProjectionStore,
): ServiceConsumerSpec => ({
  sources: ['standards', 'committees'],
  handlers: createProjectionHandlers(projections),
});

/**
 * Backfills `level` into standards projections written before it was kept
 * (README: Events, the backfill): when one lacks it, the consumer group's offsets on
 * the standards topic go back to its start, and the consumer, once started,
 * reads the topic again. Every event is one it has applied already, so the
 * replay changes nothing but the missing level (`applyStandardChange`). Runs
 * before the consumer starts (`prepare`); with another instance of the
 * service consuming, Kafka refuses the rewind: logged, and the next start
 * tries again.
 */
export async function backfillStandardLevels({
  projections,
  kafka,
  topicPrefix,
  logger,
}: {
  projections: ProjectionStore;
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
}): Promise<void> {
  if (!(await projections.lacksLevels())) return;
  const { groupId, topics } = consumerWiring({
    service: 'certification',
    sources: ['standards'],
    topicPrefix,
  });
  try {
    await rewindGroup(kafka, groupId, topics[0]!);
    logger.info(
      { groupId, topic: topics[0] },
      'standards projections without their level: replaying the standards topic to fill it',
    );
  } catch (error) {
    logger.warn(
      { err: error, groupId, topic: topics[0] },
      'standards projections without their level, and the standards topic could not be replayed (another instance consuming?): the next start tries again',
    );
  }
}
