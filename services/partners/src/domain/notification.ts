import type { z } from 'zod';
import type {
  CertificateRevokedV1,
  CertificateSuspendedV1,
  CohortScheduledV1,
  DemandRequestedV1,
  StandardPublishedV1,
  StandardSupersededV1,
  StandardWithdrawnV1,
} from '@conecta/events/contracts';
import type { StateCode } from '@conecta/mexico';

// What partners are told: a few kinds of domain fact, each in a stable public
// JSON shape (`type`, `timestamp`, `data`) that never carries personal data.
// The domain events stay the services' own contract; this file is the one
// place that turns one into the other.

/** The kinds of change a partner may subscribe to. */
export const WEBHOOK_EVENT_KINDS = [
  'STANDARD_PUBLISHED',
  'STANDARD_SUPERSEDED',
  'STANDARD_WITHDRAWN',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_SUSPENDED',
  'DEMAND_REQUESTED',
  'COHORT_SCHEDULED',
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

/** The payload's `type` of each kind (Standard Webhooks: dot-separated, lower case). */
export const PAYLOAD_TYPES: Record<WebhookEventKind | 'PING', string> = {
  STANDARD_PUBLISHED: 'standard.published',
  STANDARD_SUPERSEDED: 'standard.superseded',
  STANDARD_WITHDRAWN: 'standard.withdrawn',
  CERTIFICATE_REVOKED: 'certificate.revoked',
  CERTIFICATE_SUSPENDED: 'certificate.suspended',
  DEMAND_REQUESTED: 'demand.requested',
  COHORT_SCHEDULED: 'cohort.scheduled',
  PING: 'webhook.ping',
};

/** The dimensions a subscription filters on. */
export interface Facets {
  state?: StateCode;
  sectorId?: string;
  standardId?: string;
}

/**
 * Which filter dimensions a kind has. A filter on a dimension the kind does
 * not have (a state, for a national standard) does not exclude it; a kind that
 * has the dimension but an event without a value for it (an online cohort has
 * no state) does not match a filter on it. README: Decisions, Filters.
 */
export const KIND_DIMENSIONS: Record<
  WebhookEventKind,
  readonly (keyof Facets)[]
> = {
  STANDARD_PUBLISHED: ['sectorId', 'standardId'],
  STANDARD_SUPERSEDED: ['sectorId', 'standardId'],
  STANDARD_WITHDRAWN: ['sectorId', 'standardId'],
  CERTIFICATE_REVOKED: ['sectorId', 'standardId'],
  CERTIFICATE_SUSPENDED: ['sectorId', 'standardId'],
  DEMAND_REQUESTED: ['state', 'sectorId', 'standardId'],
  COHORT_SCHEDULED: ['state', 'sectorId', 'standardId'],
};

/** The public JSON a partner receives. */
export interface WebhookPayload {
  /** `standard.published`, … (PAYLOAD_TYPES). */
  type: string;
  /** When the change happened (the domain event's `occurredAt`), UTC ISO 8601. */
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * A domain event turned into what partners are told: its kind, the facets
 * subscriptions filter on, who may see it, and the payload.
 */
export interface Notification {
  kind: WebhookEventKind;
  /** The domain event's id: one delivery per subscription and event. */
  eventId: string;
  facets: Facets;
  /**
   * `everyone`, or only subscriptions of this organization and those that
   * see all demand (a demand request is visible to its requester, brokers
   * and admins only, as in training's graph).
   */
  visibleTo: 'everyone' | { organizationId: string };
  payload: WebhookPayload;
}

/** What the local standards projection knows of a standard (from standards' events). */
export interface StandardSummary {
  id: string;
  code: string;
  title?: string;
  sectorId: string;
}

/** A domain event as the consumer hands it over (envelope fields used here). */
interface Envelope<T> {
  id: string;
  occurredAt: string;
  data: T;
}

type Data<C extends { data: z.ZodType }> = z.output<C['data']>;

/** The domain events partners are told about, by their type. */
export type NotifiableEvent =
  | ({ type: 'standards.StandardPublished' } & Envelope<
      Data<typeof StandardPublishedV1>
    >)
  | ({ type: 'standards.StandardSuperseded' } & Envelope<
      Data<typeof StandardSupersededV1>
    >)
  | ({ type: 'standards.StandardWithdrawn' } & Envelope<
      Data<typeof StandardWithdrawnV1>
    >)
  | ({ type: 'certification.CertificateRevoked' } & Envelope<
      Data<typeof CertificateRevokedV1>
    >)
  | ({ type: 'certification.CertificateSuspended' } & Envelope<
      Data<typeof CertificateSuspendedV1>
    >)
  | ({ type: 'training.DemandRequested' } & Envelope<
      Data<typeof DemandRequestedV1>
    >)
  | ({ type: 'training.CohortScheduled' } & Envelope<
      Data<typeof CohortScheduledV1>
    >);

/** The domain event types that become notifications. */
export const NOTIFIABLE_TYPES = [
  'standards.StandardPublished',
  'standards.StandardSuperseded',
  'standards.StandardWithdrawn',
  'certification.CertificateRevoked',
  'certification.CertificateSuspended',
  'training.DemandRequested',
  'training.CohortScheduled',
] as const satisfies readonly NotifiableEvent['type'][];

/** A standard's public reference in a payload. */
function standardRef(
  id: string,
  known: StandardSummary | undefined,
): Record<string, unknown> {
  return { id, code: known?.code ?? null };
}

/** A demand's or cohort's target: a standard or a vendor credential. */
function targetOf(
  data: { targetKind: string; standardId?: string; credentialId?: string },
  standard: StandardSummary | undefined,
): Record<string, unknown> {
  return {
    targetKind: data.targetKind,
    standard: data.standardId ? standardRef(data.standardId, standard) : null,
    credentialId: data.credentialId ?? null,
  };
}

/**
 * What partners are told of a domain event, or undefined when they are told
 * nothing (an imported, historical demand request is not new demand).
 *
 * @param standardOf the local projection of standards: the code and sector of
 *   the standard a certificate, demand or cohort is for (undefined when not
 *   known yet: the payload's `code` is null and a sector filter does not match)
 */
export function toNotification(
  event: NotifiableEvent,
  standardOf: (id: string) => StandardSummary | undefined,
): Notification | undefined {
  const base = { eventId: event.id, visibleTo: 'everyone' as const };
  const payload = (kind: WebhookEventKind, data: Record<string, unknown>) => ({
    type: PAYLOAD_TYPES[kind],
    timestamp: event.occurredAt,
    data,
  });
  switch (event.type) {
    case 'standards.StandardPublished': {
      const d = event.data;
      return {
        ...base,
        kind: 'STANDARD_PUBLISHED',
        facets: { sectorId: d.sectorId, standardId: d.id },
        payload: payload('STANDARD_PUBLISHED', {
          standard: standardFields(d),
          title: d.title,
          gazetteDate: d.gazetteDate,
          gazetteReference: d.gazetteReference,
          publishedAt: d.publishedAt,
          certificateValidityYears: d.certificateValidityYears,
          supersedes: d.supersedes ?? null,
        }),
      };
    }
    case 'standards.StandardSuperseded': {
      const d = event.data;
      return {
        ...base,
        kind: 'STANDARD_SUPERSEDED',
        facets: { sectorId: d.sectorId, standardId: d.id },
        payload: payload('STANDARD_SUPERSEDED', {
          standard: standardFields(d),
          supersededBy: d.supersededBy,
          supersededAt: d.supersededAt,
        }),
      };
    }
    case 'standards.StandardWithdrawn': {
      const d = event.data;
      return {
        ...base,
        kind: 'STANDARD_WITHDRAWN',
        facets: { sectorId: d.sectorId, standardId: d.id },
        payload: payload('STANDARD_WITHDRAWN', {
          standard: standardFields(d),
          reason: d.reason,
          withdrawnAt: d.withdrawnAt,
        }),
      };
    }
    case 'certification.CertificateRevoked':
      return {
        ...base,
        ...certificateNotice(
          'CERTIFICATE_REVOKED',
          event.data,
          standardOf(event.data.standardId),
        ),
        payload: payload(
          'CERTIFICATE_REVOKED',
          certificateData(
            'REVOKED',
            event.data,
            event.data.revokedAt,
            standardOf(event.data.standardId),
          ),
        ),
      };
    case 'certification.CertificateSuspended':
      return {
        ...base,
        ...certificateNotice(
          'CERTIFICATE_SUSPENDED',
          event.data,
          standardOf(event.data.standardId),
        ),
        payload: payload(
          'CERTIFICATE_SUSPENDED',
          certificateData(
            'SUSPENDED',
            event.data,
            event.data.suspendedAt,
            standardOf(event.data.standardId),
          ),
        ),
      };
    case 'training.DemandRequested': {
      const d = event.data;
      if (d.imported) return undefined;
      const known = d.standardId ? standardOf(d.standardId) : undefined;
      return {
        ...base,
        kind: 'DEMAND_REQUESTED',
        visibleTo: { organizationId: d.requesterId },
        facets: {
          state: d.state,
          ...(d.standardId && { standardId: d.standardId }),
          ...(known && { sectorId: known.sectorId }),
        },
        payload: payload('DEMAND_REQUESTED', {
          demandRequestId: d.id,
          requesterId: d.requesterId,
          state: d.state,
          city: d.city,
          ...targetOf(d, known),
          headcount: d.headcount,
          neededBy: d.neededBy,
          requestedAt: d.requestedAt,
        }),
      };
    }
    case 'training.CohortScheduled': {
      const d = event.data;
      const known = d.standardId ? standardOf(d.standardId) : undefined;
      return {
        ...base,
        kind: 'COHORT_SCHEDULED',
        facets: {
          ...(d.state && { state: d.state }),
          ...(d.standardId && { standardId: d.standardId }),
          ...(known && { sectorId: known.sectorId }),
        },
        payload: payload('COHORT_SCHEDULED', {
          cohortId: d.id,
          agreementId: d.agreementId,
          venueId: d.venueId,
          state: d.state ?? null,
          city: d.city ?? null,
          mode: d.mode,
          ...targetOf(d, known),
          startsOn: d.startsOn,
          endsOn: d.endsOn,
          capacity: d.capacity,
          scheduledAt: d.scheduledAt,
        }),
      };
    }
  }
}

interface CertificateChange {
  id: string;
  standardId: string;
  certifyingBodyId: string;
}

/** A certificate's kind and facets: its standard, and the standard's sector when known. */
function certificateNotice(
  kind: 'CERTIFICATE_REVOKED' | 'CERTIFICATE_SUSPENDED',
  d: CertificateChange,
  known: StandardSummary | undefined,
): Pick<Notification, 'kind' | 'facets'> {
  return {
    kind,
    facets: {
      standardId: d.standardId,
      ...(known && { sectorId: known.sectorId }),
    },
  };
}

/**
 * A certificate's public data: never the holder (personId) nor the free-text
 * reason, which may name them; the certificate, its standard and body, and
 * its new status.
 */
function certificateData(
  status: 'REVOKED' | 'SUSPENDED',
  d: CertificateChange,
  at: string,
  known: StandardSummary | undefined,
): Record<string, unknown> {
  return {
    certificateId: d.id,
    standard: standardRef(d.standardId, known),
    certifyingBodyId: d.certifyingBodyId,
    status,
    changedAt: at,
  };
}

/** The public fields of a standard every standards event carries. */
function standardFields(d: {
  id: string;
  code: string;
  version: number;
  sectorId: string;
  committeeId: string;
  level: number;
}): Record<string, unknown> {
  return {
    id: d.id,
    code: d.code,
    version: d.version,
    level: d.level,
    sectorId: d.sectorId,
    committeeId: d.committeeId,
  };
}

/** The payload of `sendTestWebhook`: a `webhook.ping` naming the subscription. */
export function pingPayload(subscriptionId: string, at: Date): WebhookPayload {
  return {
    type: PAYLOAD_TYPES.PING,
    timestamp: at.toISOString(),
    data: { subscriptionId },
  };
}
