import {
  ROOT_CONTEXT,
  TraceFlags,
  trace,
  type SpanContext,
} from '@opentelemetry/api';
import { TraceState, suppressTracing } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { idsOnlyTracer } from '../../src/tracing';

// A process's tracer when no exporter is configured (startTracing): spans
// carry the ids and `sampled` flag the SDK's tracer would give them, so
// traceparent, events and log lines are unchanged, and nothing is recorded.

const parentBased = () =>
  idsOnlyTracer(new ParentBasedSampler({ root: new AlwaysOnSampler() }));

function contextWith(parent: SpanContext) {
  return trace.setSpanContext(ROOT_CONTEXT, parent);
}

const PARENT: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

describe('idsOnlyTracer', () => {
  it('starts a new sampled trace without a parent, recording nothing', () => {
    const span = parentBased().startSpan('GET /graphql', {}, ROOT_CONTEXT);
    const ids = span.spanContext();
    expect(trace.isSpanContextValid(ids)).toBe(true);
    expect(ids.traceFlags).toBe(TraceFlags.SAMPLED);
    expect(span.isRecording()).toBe(false);
    // Attributes and ending are accepted, and go nowhere.
    span.setAttribute('http.response.status_code', 200).end();
  });

  it('continues the parent: its trace id and trace state, a span id of its own', () => {
    const tracer = parentBased();
    const withState = { ...PARENT, traceState: new TraceState('conecta=1') };
    const child = tracer
      .startSpan('subgraph standards', {}, contextWith(withState))
      .spanContext();
    expect(child.traceId).toBe(PARENT.traceId);
    expect(child.spanId).not.toBe(PARENT.spanId);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.traceFlags).toBe(TraceFlags.SAMPLED);
    expect(child.traceState?.serialize()).toBe('conecta=1');
    const other = tracer
      .startSpan('subgraph standards', {}, contextWith(PARENT))
      .spanContext();
    expect(other.spanId).not.toBe(child.spanId);
  });

  it('follows the sampler: an unsampled parent or an always-off sampler give unsampled spans', () => {
    const unsampled = parentBased()
      .startSpan(
        'x',
        {},
        contextWith({ ...PARENT, traceFlags: TraceFlags.NONE }),
      )
      .spanContext();
    expect(unsampled.traceId).toBe(PARENT.traceId);
    expect(unsampled.traceFlags).toBe(TraceFlags.NONE);
    const off = idsOnlyTracer(new AlwaysOffSampler())
      .startSpan('x', {}, ROOT_CONTEXT)
      .spanContext();
    expect(trace.isSpanContextValid(off)).toBe(true);
    expect(off.traceFlags).toBe(TraceFlags.NONE);
  });

  it('starts a new trace for a root span, and none where tracing is suppressed', () => {
    const tracer = parentBased();
    const root = tracer
      .startSpan('x', { root: true }, contextWith(PARENT))
      .spanContext();
    expect(root.traceId).not.toBe(PARENT.traceId);
    const suppressed = tracer
      .startSpan('x', {}, suppressTracing(contextWith(PARENT)))
      .spanContext();
    expect(trace.isSpanContextValid(suppressed)).toBe(false);
  });

  it('startActiveSpan hands the span to the function and returns its result, in each form', async () => {
    const tracer = parentBased();
    expect(tracer.startActiveSpan('a', (span) => span.isRecording())).toBe(
      false,
    );
    expect(
      tracer.startActiveSpan('b', { attributes: { k: 'v' } }, () => 2),
    ).toBe(2);
    const traceId = await tracer.startActiveSpan(
      'c',
      {},
      contextWith(PARENT),
      async (span) => span.spanContext().traceId,
    );
    expect(traceId).toBe(PARENT.traceId);
  });
});
