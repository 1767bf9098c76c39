import {
  createServiceConsumer,
  type EventHandlers,
  type KafkaClient,
  type KnownEvent,
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
    /** ProjectStandardOnPublished: certificates may be issued against it (validity and gazette date known). */
    'standards.StandardPublished': async (event) => {
      const d = event.data;
      await projections.applyStandardChange(
        d.id,
        {
          status: 'PUBLISHED',
          code: d.code,
          title: d.title,
          version: d.version,
          committeeId: d.committeeId,
          certificateValidityYears: d.certificateValidityYears,
          gazetteDate: d.gazetteDate,
        },
        event.id,
      );
    },

    /** StopCertifyingOnStandardWithdrawn: existing certificates stay valid to expiry. */
    'standards.StandardWithdrawn': async (event) => {
      const d = event.data;
      await projections.applyStandardChange(
        d.id,
        {
          status: 'WITHDRAWN',
          code: d.code,
          version: d.version,
          committeeId: d.committeeId,
        },
        event.id,
      );
    },

    /** StopCertifyingOnStandardSuperseded: new certificates go against the new version. */
    'standards.StandardSuperseded': async (event) => {
      const d = event.data;
      await projections.applyStandardChange(
        d.id,
        {
          status: 'SUPERSEDED',
          code: d.code,
          version: d.version,
          committeeId: d.committeeId,
        },
        event.id,
      );
    },

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

/** The consumer of standards and committees events into the projections. */
export function createProjectionConsumer({
  kafka,
  topicPrefix,
  logger,
  projections,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  projections: ProjectionStore;
}) {
  return createServiceConsumer({
    kafka,
    service: 'certification',
    sources: ['standards', 'committees'],
    topicPrefix,
    logger,
    handlers: createProjectionHandlers(projections),
  });
}
