import { z } from 'zod';
import { entityId, isoDate, isoDateTime } from '@conecta/events/contracts';
import { stateCodeSchema } from '@conecta/mexico';
import { PAYLOAD_TYPES, type WebhookEventKind } from './notification';

// The public contract of what partners receive (docs/webhooks.md): every
// payload, by type. Strict objects: a field not listed here (a holder, a
// reason that may name one) is a breaking leak, not an addition.

const standardRef = z.strictObject({
  id: entityId,
  code: z.string().nullable(),
});
const standard = z.strictObject({
  id: entityId,
  code: z.string(),
  version: z.number().int().min(1),
  level: z.number().int().min(1).max(5),
  sectorId: entityId,
  committeeId: entityId,
});
const target = {
  targetKind: z.enum(['STANDARD', 'CREDENTIAL']),
  standard: standardRef.nullable(),
  credentialId: entityId.nullable(),
};
const certificate = (status: 'REVOKED' | 'SUSPENDED') =>
  z.strictObject({
    certificateId: entityId,
    standard: standardRef,
    certifyingBodyId: entityId,
    status: z.literal(status),
    changedAt: isoDateTime,
  });

/** The `data` of each payload type. */
export const PAYLOAD_DATA: Record<WebhookEventKind | 'PING', z.ZodType> = {
  STANDARD_PUBLISHED: z.strictObject({
    standard,
    title: z.string(),
    gazetteDate: isoDate,
    gazetteReference: z.string(),
    publishedAt: isoDateTime,
    certificateValidityYears: z.number().int(),
    supersedes: entityId.nullable(),
  }),
  STANDARD_SUPERSEDED: z.strictObject({
    standard,
    supersededBy: entityId,
    supersededAt: isoDateTime,
  }),
  STANDARD_WITHDRAWN: z.strictObject({
    standard,
    reason: z.string(),
    withdrawnAt: isoDateTime,
  }),
  CERTIFICATE_REVOKED: certificate('REVOKED'),
  CERTIFICATE_SUSPENDED: certificate('SUSPENDED'),
  DEMAND_REQUESTED: z.strictObject({
    demandRequestId: entityId,
    requesterId: entityId,
    state: stateCodeSchema,
    city: z.string(),
    ...target,
    headcount: z.number().int().min(1),
    neededBy: isoDate,
    requestedAt: isoDateTime,
  }),
  COHORT_SCHEDULED: z.strictObject({
    cohortId: entityId,
    agreementId: entityId,
    venueId: entityId,
    state: stateCodeSchema.nullable(),
    city: z.string().nullable(),
    mode: z.enum(['IN_PERSON', 'ONLINE', 'HYBRID']),
    ...target,
    startsOn: isoDate,
    endsOn: isoDate,
    capacity: z.number().int().min(1),
    scheduledAt: isoDateTime,
  }),
  PING: z.strictObject({ subscriptionId: entityId }),
};

/** Every payload partners may receive: `{ type, timestamp, data }`, `data` by type. */
export const webhookPayloadSchema = z.union(
  (Object.keys(PAYLOAD_DATA) as (keyof typeof PAYLOAD_DATA)[]).map((kind) =>
    z.strictObject({
      type: z.literal(PAYLOAD_TYPES[kind]),
      timestamp: isoDateTime,
      data: PAYLOAD_DATA[kind],
    }),
  ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
);
