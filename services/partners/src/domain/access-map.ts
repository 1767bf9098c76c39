import {
  PUBLIC,
  type AccessMap,
  type Guard,
} from '@conecta/service-kit/access';
import { webhookScope } from './permissions';

// Who may read each field this service resolves in the composed graph, in one
// place (issue 12; gateway/test/access-matrix.test.ts checks that every field
// has an entry). A subscription and its delivery log are reached only through
// the two Query fields below (and the mutations' answers, each authorized by
// its command): no type here has a @key, so there is no `_entities` path.
// Behind those roots every field is the owner's to read.

/**
 * The caller's organization's subscriptions: admins, and partner apps or
 * staff acting for the organization (`partner` stands for them here: the
 * matrix's audiences name no "acting for the subscription's organization").
 * Anonymous callers are refused; a caller acting for no organization too.
 */
const OWN_SUBSCRIPTIONS: Guard = {
  rule: webhookScope,
  to: ['admin', 'partner'],
  otherwise: 'refused',
};

export const ACCESS = {
  Query: {
    webhookSubscriptions: OWN_SUBSCRIPTIONS,
    webhookSubscription: OWN_SUBSCRIPTIONS,
  },
  WebhookSubscription: {
    id: PUBLIC,
    organizationId: PUBLIC,
    url: PUBLIC,
    description: PUBLIC,
    kinds: PUBLIC,
    filters: PUBLIC,
    seesAllDemand: PUBLIC,
    secretRotatedAt: PUBLIC,
    previousSecretValidUntil: PUBLIC,
    createdAt: PUBLIC,
    updatedAt: PUBLIC,
    deliveries: PUBLIC,
  },
  WebhookFilters: {
    states: PUBLIC,
    sectorIds: PUBLIC,
    standardIds: PUBLIC,
  },
  WebhookDeliveryPage: {
    nodes: PUBLIC,
    nextCursor: PUBLIC,
  },
  WebhookDelivery: {
    id: PUBLIC,
    subscriptionId: PUBLIC,
    eventId: PUBLIC,
    type: PUBLIC,
    payload: PUBLIC,
    status: PUBLIC,
    nextAttemptAt: PUBLIC,
    deliveredAt: PUBLIC,
    deadLetteredAt: PUBLIC,
    replayCount: PUBLIC,
    attempts: PUBLIC,
    createdAt: PUBLIC,
  },
  WebhookAttempt: {
    at: PUBLIC,
    outcome: PUBLIC,
    httpStatus: PUBLIC,
    error: PUBLIC,
    durationMs: PUBLIC,
  },
  CreatedWebhookSubscription: {
    subscription: PUBLIC,
    secret: PUBLIC,
  },
  RotatedWebhookSecret: {
    subscription: PUBLIC,
    secret: PUBLIC,
  },
  ReplayedWebhookDeliveries: {
    replayedCount: PUBLIC,
  },
} satisfies AccessMap;
