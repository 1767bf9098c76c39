import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import { toMessage } from '../../src/relay-rules';
import {
  TRACE_HEADERS,
  contextFromMessageHeaders,
  sendTraced,
  traceContextFrom,
  withTraceContext,
} from '../../src/tracing';
import { committeesMother } from '../fixtures/committeesMother';

// How an event's trace context crosses Kafka, without a broker: what the
// outbox stores, what the relay puts in the message headers, and what a
// consumer reads back (no tracer provider is registered here, so no span
// is recorded: the context passes through unchanged).

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

/** The context of a request whose span is `SPAN_ID` in trace `TRACE_ID`. */
function requestContext(traceState?: string) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: false,
    ...(traceState
      ? {
          traceState: {
            serialize: () => traceState,
            get: () => undefined,
            set() {
              return this;
            },
            unset() {
              return this;
            },
          },
        }
      : {}),
  });
}

describe('an event’s trace context', () => {
  it('is stored with each event written inside a trace, as its traceparent and tracestate', () => {
    const events = [
      committeesMother.organizationRegistered(),
      committeesMother.organizationRegistered(),
    ];
    const stored = withTraceContext(events, requestContext('conecta=1'));
    expect(stored.map((event) => event.traceContext)).toEqual([
      { traceparent: TRACEPARENT, tracestate: 'conecta=1' },
      { traceparent: TRACEPARENT, tracestate: 'conecta=1' },
    ]);
    // The events given are not changed.
    expect(events[0]!.traceContext).toBeUndefined();
  });

  it('is absent for an event written outside any trace, and kept when the event already has one', () => {
    const plain = committeesMother.organizationRegistered();
    expect(withTraceContext([plain], ROOT_CONTEXT)[0]).toBe(plain);
    expect(traceContextFrom(ROOT_CONTEXT)).toBeUndefined();
    const earlier = {
      ...committeesMother.organizationRegistered(),
      traceContext: {
        traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      },
    };
    expect(withTraceContext([earlier], requestContext())[0]).toBe(earlier);
  });

  it('travels as the message headers traceparent and tracestate, not in its value', () => {
    const event = {
      ...committeesMother.organizationRegistered(),
      traceContext: { traceparent: TRACEPARENT, tracestate: 'conecta=1' },
    };
    const message = toMessage(event);
    expect(message.headers).toMatchObject({
      [TRACE_HEADERS.traceparent]: TRACEPARENT,
      [TRACE_HEADERS.tracestate]: 'conecta=1',
      'event-id': event.id,
    });
    expect(JSON.parse(String(message.value))).not.toHaveProperty(
      'traceContext',
    );
    const untraced = toMessage(committeesMother.organizationRegistered());
    expect(untraced.headers).not.toHaveProperty(TRACE_HEADERS.traceparent);
    expect(untraced.headers).not.toHaveProperty(TRACE_HEADERS.tracestate);
  });

  it('is read back by a consumer from the headers as Kafka delivers them (Buffers)', () => {
    const context = contextFromMessageHeaders({
      traceparent: Buffer.from(TRACEPARENT),
      tracestate: Buffer.from('conecta=1'),
      'event-id': Buffer.from('x'),
    });
    const spanContext = context && trace.getSpanContext(context);
    expect(spanContext).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(spanContext?.traceState?.serialize()).toBe('conecta=1');
  });

  it.each([
    ['missing', {}],
    ['malformed', { traceparent: Buffer.from('not-a-traceparent') }],
    [
      'an all-zero trace id',
      { traceparent: Buffer.from(`00-${'0'.repeat(32)}-${SPAN_ID}-01`) },
    ],
    [
      'an all-zero span id',
      { traceparent: Buffer.from(`00-${TRACE_ID}-${'0'.repeat(16)}-01`) },
    ],
    ['upper-case hex', { traceparent: Buffer.from(TRACEPARENT.toUpperCase()) }],
    [
      'the forbidden version ff',
      { traceparent: `ff-${TRACE_ID}-${SPAN_ID}-01` },
    ],
  ])('is ignored when the traceparent is %s', (_case, headers) => {
    expect(contextFromMessageHeaders(headers)).toBeUndefined();
  });

  it('reaches Kafka as stored when the process records no spans', async () => {
    const sent: Message[][] = [];
    const traced = toMessage({
      ...committeesMother.organizationRegistered(),
      traceContext: { traceparent: TRACEPARENT },
    });
    const plain = toMessage(committeesMother.organizationRegistered());
    await sendTraced(
      'conecta.committees.events',
      [traced, plain],
      async (m) => {
        sent.push(m);
      },
    );
    expect(sent).toEqual([[traced, plain]]);
  });

  it('lets a refused send reject as it would without tracing', async () => {
    const traced = toMessage({
      ...committeesMother.organizationRegistered(),
      traceContext: { traceparent: TRACEPARENT },
    });
    await expect(
      sendTraced('conecta.committees.events', [traced], async () => {
        throw new Error('MESSAGE_TOO_LARGE');
      }),
    ).rejects.toThrow('MESSAGE_TOO_LARGE');
  });
});
