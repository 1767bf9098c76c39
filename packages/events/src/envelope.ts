import { z } from 'zod';

/** The services that publish events; each owns the topic `conecta.<service>.events`. */
export const SERVICE_NAMES = [
  'committees',
  'standards',
  'certification',
  'training',
  'outcomes',
] as const;

/** One of {@link SERVICE_NAMES}. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** `"<service>.<PastTenseFact>"`, e.g. `committees.OrganizationRegistered`. */
export const EVENT_TYPE_PATTERN =
  /^(committees|standards|certification|training|outcomes)\.[A-Z][A-Za-z0-9]*$/;

/**
 * The envelope every event travels in. `data` is checked separately against the
 * contract of `type` + `version`, so this schema leaves it open.
 */
export const eventEnvelopeSchema = z.object({
  /** UUID v7: time-ordered, so ids sort roughly by creation. */
  id: z.uuidv7(),
  type: z.string().regex(EVENT_TYPE_PATTERN, {
    message: 'must look like "<service>.<PastTenseFact>"',
  }),
  version: z.int().min(1),
  /** UTC ISO 8601 with a `Z` suffix; offsets are refused so strings sort by time. */
  occurredAt: z.iso.datetime(),
  source: z.enum(SERVICE_NAMES),
  /** The aggregate id: also the Kafka message key, which gives per-aggregate order. */
  subject: z.string().min(1),
  data: z.unknown(),
  traceId: z.string().min(1).optional(),
  traceContext: z
    .object({
      traceparent: z.string().min(1),
      tracestate: z.string().min(1).optional(),
    })
    .optional(),
});

/**
 * The W3C Trace Context active when an event was written to the outbox
 * (https://www.w3.org/TR/trace-context/). Stored with the event; on Kafka it
 * travels as the message headers `traceparent` and `tracestate`, not in the
 * JSON value.
 */
export interface EventTraceContext {
  /** `00-<trace id>-<span id>-<flags>`. */
  traceparent: string;
  /** Vendors' trace state, when the trace carried one. */
  tracestate?: string;
}

/** An event as it travels on Kafka and sits in an outbox. */
export interface EventEnvelope<TData = unknown> {
  /** UUID v7 of this event; consumers deduplicate on it. */
  id: string;
  /** `"<service>.<PastTenseFact>"`. */
  type: string;
  /** Contract version, an integer ≥ 1. */
  version: number;
  /** When the fact happened, UTC ISO 8601 (`2025-01-31T12:00:00.000Z`). */
  occurredAt: string;
  /** The service that published it. */
  source: ServiceName;
  /** Id of the aggregate the fact is about; the Kafka key. */
  subject: string;
  /** The payload, valid against the contract of `type` + `version`. */
  data: TData;
  /** Propagated trace id, when the write came from a traced request. */
  traceId?: string;
  /**
   * The trace the write belonged to (stamped by the outbox writer); sent as
   * Kafka headers, not in the message value. Optional: events written before
   * tracing, or outside any trace, have none.
   */
  traceContext?: EventTraceContext;
}
