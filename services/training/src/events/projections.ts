import {
  dispatcher,
  standardStatusHandlers,
  type EventHandlers,
  type KnownEvent,
  type ServiceConsumerSpec,
} from '@conecta/events';
import type { Projections } from '../store/projections';

/**
 * Keeps the read models training checks its input against and computes the
 * certified indicator and matching's quality from: published standards,
 * registered people and organizations, certificates (issued, revoked) and
 * providers' released employer-survey scores (outcomes; the latest revision
 * wins). Each effect is applied once per event id (applyOnce), so a
 * redelivery changes nothing.
 */
export function createProjectionHandlers(projections: Projections) {
  const handlers: EventHandlers<KnownEvent> = {
    // The title is known from the publication; later facts keep it.
    ...standardStatusHandlers((change) => {
      const e = change.event;
      return projections.standards.apply(e.id, e.data.id, {
        code: e.data.code,
        status: change.status,
        ...(change.status === 'PUBLISHED'
          ? { title: change.event.data.title }
          : {}),
      });
    }),
    'certification.PersonRegistered': async (e) => {
      await projections.persons.apply(e.id, e.data.id, {
        initials: e.data.initials,
      });
    },
    'certification.CertificateIssued': async (e) => {
      await projections.certificates.apply(e.id, e.data.id, {
        personId: e.data.personId,
        standardId: e.data.standardId,
        issuedAt: new Date(e.data.issuedAt),
      });
    },
    'certification.CertificateRevoked': async (e) => {
      await projections.certificates.apply(e.id, e.data.id, {
        personId: e.data.personId,
        standardId: e.data.standardId,
        revoked: true,
      });
    },
    'committees.OrganizationRegistered': async (e) => {
      await projections.organizations.apply(e.id, e.data.id, {
        name: e.data.name,
        kind: e.data.kind,
        state: e.data.state,
      });
    },
    'outcomes.ProviderSurveyScoreChanged': async (e) => {
      await projections.providerSurveys.applyRevision(e.id, e.data.providerId, {
        revision: e.data.revision,
        responses: e.data.responses,
        score: e.data.score,
      });
    },
  };
  return {
    handlers,
    /** Applies one event (what the consumer does per message); other types are ignored. */
    handle: dispatcher(handlers),
  };
}

/**
 * The consumer of committees', standards', certification's and outcomes'
 * topics (group `${prefix}training`, failures to `conecta.training.dlq`;
 * the runtime builds it).
 */
export const projectionConsumer = (
  projections: Projections,
): ServiceConsumerSpec => ({
  sources: ['committees', 'standards', 'certification', 'outcomes'],
  handlers: createProjectionHandlers(projections).handlers,
});
