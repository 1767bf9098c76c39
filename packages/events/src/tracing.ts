import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IHeaders, Message } from 'kafkajs';
import type { EventEnvelope, EventTraceContext } from './envelope';

// Trace context across Kafka (W3C Trace Context in message headers, as
// OpenTelemetry's messaging conventions do). An event stores the context
// that was active when it was written to the outbox; the relay sends it as
// the message's `traceparent`/`tracestate` headers, under a PRODUCER span;
// the consumer continues it in a CONSUMER span around the handler. Only
// `@opentelemetry/api` is used here: with no tracer provider registered in
// the process (service-kit's `startTracing`), no span is recorded and
// nothing is stamped, at no cost.

/** The Kafka headers that carry an event's trace context. */
export const TRACE_HEADERS = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** Name of the tracer (instrumentation scope) of the relay's and consumers' spans. */
export const EVENTS_TRACER_NAME = '@conecta/events';

// OpenTelemetry messaging attributes (semantic conventions, "development"
// status: copied here rather than imported from the incubating entry point,
// as the conventions package advises).
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_CONSUMER_GROUP = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_PARTITION = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_BATCH_COUNT = 'messaging.batch.message_count';
/** The event's `type` (Conecta's own attribute). */
export const ATTR_EVENT_TYPE = 'conecta.event.type';

// One propagator, whatever the process registered globally: the headers are
// this package's contract with every consumer, W3C Trace Context only.
const propagator = new W3CTraceContextPropagator();

/** Kafka header values are Buffers (as read) or strings (as written). */
const kafkaGetter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const one = Array.isArray(value) ? value[0] : value;
    return one === undefined ? undefined : one.toString();
  },
};

/** The trace context of `ctx` as stored with an event; undefined without a valid span. */
export function traceContextFrom(
  ctx: Context = context.active(),
): EventTraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, {
    set: (target, key, value) => void (target[key] = value),
  });
  const traceparent = carrier[TRACE_HEADERS.traceparent];
  if (!traceparent) return undefined;
  const tracestate = carrier[TRACE_HEADERS.tracestate];
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/**
 * The events, each carrying the trace context of `ctx` (default: the
 * active one, the request or handler that writes them), unless it already
 * carries one. Returns the same array when there is no trace.
 */
export function withTraceContext(
  events: readonly EventEnvelope[],
  ctx: Context = context.active(),
): readonly EventEnvelope[] {
  if (events.length === 0) return events;
  const active = traceContextFrom(ctx);
  if (!active) return events;
  return events.map((event) =>
    event.traceContext ? event : { ...event, traceContext: active },
  );
}

/** The message headers of an event's stored trace context (none without one). */
export function traceHeadersOf(
  traceContext: EventTraceContext | undefined,
): Record<string, string> {
  if (!traceContext) return {};
  return {
    [TRACE_HEADERS.traceparent]: traceContext.traceparent,
    ...(traceContext.tracestate
      ? { [TRACE_HEADERS.tracestate]: traceContext.tracestate }
      : {}),
  };
}

/**
 * The context a message's headers carry; undefined when they carry no valid
 * `traceparent` (missing, malformed or with all-zero ids: the W3C
 * propagator ignores those).
 */
export function contextFromMessageHeaders(
  headers: IHeaders | undefined,
): Context | undefined {
  if (!headers) return undefined;
  const extracted = propagator.extract(ROOT_CONTEXT, headers, kafkaGetter);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

function tracer() {
  return trace.getTracer(EVENTS_TRACER_NAME);
}

/**
 * Sends messages with a PRODUCER span `send <topic>` for each one that
 * carries a trace context (the one stored with its event, see
 * `toMessage`): the span is that context's child, and its own context
 * replaces it in the message's headers, so the consumer's span is the
 * producer span's child. The spans end when `send` settles (an error if it
 * rejects). Messages without a context are sent as they are.
 */
export async function sendTraced(
  topic: string,
  messages: Message[],
  send: (messages: Message[]) => Promise<void>,
): Promise<void> {
  const spans: Span[] = [];
  const traced = messages.map((message) => {
    const parent = contextFromMessageHeaders(message.headers);
    if (!parent) return message;
    const span = tracer().startSpan(
      `send ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          [ATTR_MESSAGING_SYSTEM]: 'kafka',
          [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
          [ATTR_MESSAGING_DESTINATION_NAME]: topic,
          ...headerAttribute(
            message.headers,
            'event-id',
            ATTR_MESSAGING_MESSAGE_ID,
          ),
          ...headerAttribute(message.headers, 'event-type', ATTR_EVENT_TYPE),
        },
      },
      parent,
    );
    spans.push(span);
    const own = traceContextFrom(trace.setSpan(parent, span));
    // Without a tracer provider the span has no context of its own: the stored one goes on.
    return own
      ? { ...message, headers: { ...message.headers, ...traceHeadersOf(own) } }
      : message;
  });
  try {
    await send(traced);
  } catch (error) {
    for (const span of spans) endSpan(span, error);
    throw error;
  }
  for (const span of spans) endSpan(span);
}

function headerAttribute(
  headers: IHeaders | undefined,
  header: string,
  attribute: string,
): Record<string, string> {
  const value = headers?.[header];
  return value === undefined ? {} : { [attribute]: String(value) };
}

/** Where a consumer read an event. */
export interface ConsumedFrom {
  topic: string;
  partition: number;
  groupId: string;
  /** Events handled together (batch mode). */
  batchSize?: number;
}

/**
 * A CONSUMER span `process <topic>` for one event, child of the context in
 * its message's headers; none for a message that carries no valid context
 * (older events, replays: a new group reading the history from the start
 * would otherwise open a trace per event).
 */
export function startConsumerSpan(
  headers: IHeaders | undefined,
  event: Pick<EventEnvelope, 'id' | 'type'>,
  from: ConsumedFrom,
): { span: Span; context: Context } | undefined {
  const parent = contextFromMessageHeaders(headers);
  if (!parent) return undefined;
  const span = tracer().startSpan(
    `process ${from.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: 'kafka',
        [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
        [ATTR_MESSAGING_DESTINATION_NAME]: from.topic,
        [ATTR_MESSAGING_PARTITION]: String(from.partition),
        [ATTR_MESSAGING_CONSUMER_GROUP]: from.groupId,
        [ATTR_MESSAGING_MESSAGE_ID]: event.id,
        [ATTR_EVENT_TYPE]: event.type,
        ...(from.batchSize !== undefined
          ? { [ATTR_MESSAGING_BATCH_COUNT]: from.batchSize }
          : {}),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a span: an error (the exception recorded) when `error` is given. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined && span.isRecording()) {
    span.recordException(
      error instanceof Error ? error : new Error(String(error)),
    );
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}
