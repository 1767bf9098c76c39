import {
  standardStatusHandlers,
  type EventHandlers,
  type KnownEvent,
  type ServiceConsumerSpec,
} from '@conecta/events';
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
      const { id, code, version, committeeId } = change.event.data;
      return projections.applyStandardChange(
        id,
        change.status === 'PUBLISHED'
          ? {
              status: change.status,
              code,
              title: change.event.data.title,
              version,
              committeeId,
              certificateValidityYears:
                change.event.data.certificateValidityYears,
              gazetteDate: change.event.data.gazetteDate,
            }
          : { status: change.status, code, version, committeeId },
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
