import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  propagation,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import {
  W3CTraceContextPropagator,
  getStringFromEnv,
  isTracingSuppressed,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  RandomIdGenerator,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /**
   * `service.name` of the spans (`OTEL_SERVICE_NAME` overrides it, as the
   * OpenTelemetry SDK does everywhere).
   */
  serviceName: string;
  /**
   * Where spans go, instead of the OTLP exporter the environment configures
   * (tests pass a `SimpleSpanProcessor` over an `InMemorySpanExporter`).
   * Defaults to the environment's: an OTLP/HTTP exporter behind a batch
   * processor when an endpoint is set, none otherwise.
   */
  spanProcessors?: SpanProcessor[];
}

/** The process's tracing, as {@link startTracing} set it up. */
export interface Tracing {
  /** Whether ended spans go anywhere (an exporter or given processors). */
  readonly exporting: boolean;
  /** Sends the spans still buffered (the last shutdown step). */
  shutdown(): Promise<void>;
}

/** Name of the tracer (instrumentation scope) of service-kit's and the gateway's spans. */
export const TRACER_NAME = '@conecta/service-kit';

// The OpenTelemetry API keeps one tracer provider, one context manager and
// one propagator per process (a second registration is refused), so tracing
// is process-wide too: the first call sets it up and later calls share it.
// Tests build several services in one process; they share one provider.
let current: Tracing | undefined;

/**
 * Sets up OpenTelemetry tracing for this process, once: W3C Trace Context
 * propagation (`traceparent`, `tracestate`) through AsyncLocalStorage, a
 * tracer provider with the environment's sampler (`OTEL_TRACES_SAMPLER`,
 * default `parentbased_always_on`) and, when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, an OTLP/HTTP exporter
 * behind a batch processor. The SDK reads the standard `OTEL_*` variables
 * itself (root README, Tracing).
 *
 * With no endpoint, no exporter runs: spans still get ids (and the
 * sampler's `sampled` flag), so the trace reaches every subgraph, event and
 * log line, but nothing is recorded or sent ({@link idsOnlyTracer}). Later
 * calls return the first call's tracing.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (current) return current;
  const spanProcessors = options.spanProcessors ?? processorsFromEnv();
  const provider = new (
    spanProcessors.length > 0 ? NodeTracerProvider : IdsOnlyTracerProvider
  )({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
    }).merge(detectResources({ detectors: [envDetector] })),
    spanProcessors,
  });
  // AsyncLocalStorage context manager and W3C Trace Context only: no
  // `baggage`, which a caller could use to push data into every service.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  current = {
    exporting: spanProcessors.length > 0,
    shutdown: () => provider.shutdown(),
  };
  return current;
}

/**
 * A tracer whose spans carry ids and nothing else, for a process whose spans
 * go nowhere: each span is the SDK's non-recording span over the context the
 * SDK's own tracer would give it (the parent's trace id and trace state or a
 * new trace, a new span id, the sampler's `sampled` flag), so `traceparent`,
 * events and log lines are what they would be with an exporter. What it
 * skips is the recording nobody reads: the SDK builds a span object per
 * span (attributes, times, events) and drops it when it ends — a CPU
 * profile of the gateway under load showed that, for the gateway's own
 * spans and the five or more `@apollo/gateway` opens per request, as its
 * largest cost after the HTTP layers.
 */
export function idsOnlyTracer(sampler: Sampler = samplerFromEnv()): Tracer {
  const ids = new RandomIdGenerator();
  function startSpan(
    name: string,
    options: SpanOptions = {},
    ctx: Context = context.active(),
  ): Span {
    if (options.root) ctx = trace.deleteSpan(ctx);
    // As the SDK: suppressed tracing (an exporter's own requests) gets the invalid context.
    if (isTracingSuppressed(ctx))
      return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = trace.getSpanContext(ctx);
    const child = parent !== undefined && trace.isSpanContextValid(parent);
    const traceId = child ? parent.traceId : ids.generateTraceId();
    const result = sampler.shouldSample(
      ctx,
      traceId,
      name,
      options.kind ?? SpanKind.INTERNAL,
      options.attributes ?? {},
      options.links ?? [],
    );
    const traceState =
      result.traceState ?? (child ? parent.traceState : undefined);
    return trace.wrapSpanContext({
      traceId,
      spanId: ids.generateSpanId(),
      traceFlags:
        result.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
      ...(traceState ? { traceState } : {}),
    });
  }
  function startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...args: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = args.at(-1) as F;
    const options = args.length > 1 ? (args[0] as SpanOptions) : {};
    const parent = args.length > 2 ? (args[1] as Context) : context.active();
    const span = startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () =>
      fn(span),
    ) as ReturnType<F>;
  }
  return { startSpan, startActiveSpan } as Tracer;
}

/**
 * The SDK's provider (registration, context manager, propagator) whose
 * tracers are {@link idsOnlyTracer}s: for a process with no span processor.
 */
class IdsOnlyTracerProvider extends NodeTracerProvider {
  private readonly tracer = idsOnlyTracer();

  override getTracer(): Tracer {
    return this.tracer;
  }
}

/**
 * The sampler `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` name, as
 * the SDK builds it (default `parentbased_always_on`; an unknown name is
 * always on, as the SDK does).
 */
export function samplerFromEnv(): Sampler {
  const name =
    getStringFromEnv('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on';
  const arg = Number(getStringFromEnv('OTEL_TRACES_SAMPLER_ARG') ?? '1');
  const ratio = () =>
    new TraceIdRatioBasedSampler(
      Number.isFinite(arg) && arg >= 0 && arg <= 1 ? arg : 1,
    );
  switch (name) {
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    default:
      return new AlwaysOnSampler();
  }
}

/** The OTLP/HTTP exporter when the environment names an endpoint, else nothing. */
function processorsFromEnv(): SpanProcessor[] {
  const endpoint =
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT');
  const exporter = getStringFromEnv('OTEL_TRACES_EXPORTER');
  if (!endpoint || exporter === 'none') return [];
  // The exporter reads the endpoint, headers, timeout and compression itself.
  return [new BatchSpanProcessor(new OTLPTraceExporter())];
}

/** The tracer of service-kit's and the gateway's spans. */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** A request's headers, as node:http gives them. */
type IncomingHeaders = Record<string, string | string[] | undefined>;

const headerGetter = {
  keys: (carrier: IncomingHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHeaders, key: string) => carrier[key],
};

/**
 * The trace context a caller sent in `traceparent`/`tracestate` (an invalid
 * or missing `traceparent` gives the root context: a new trace).
 */
export function contextFromHeaders(headers: IncomingHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** `traceparent` (and `tracestate`) of `ctx`, for an outgoing request; empty without a valid span. */
export function traceHeaders(ctx: Context = context.active()): {
  traceparent?: string;
  tracestate?: string;
} {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** An HTTP server span and the context it is active in. */
export interface ServerSpan {
  span: Span;
  /** Run the request's work in this context (`context.with`). */
  context: Context;
  /** The trace id for logs; undefined when tracing is disabled and the caller sent none. */
  traceId: string | undefined;
  spanId: string | undefined;
  /** The caller's span (the gateway's fetch span), when it sent a valid traceparent. */
  parentSpanId: string | undefined;
}

/** What {@link startServerSpan} reads of a request. */
export interface IncomingRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  headers: IncomingHeaders;
}

/**
 * Starts the SERVER span of an incoming HTTP request, continuing the
 * caller's valid `traceparent` (else a new trace), named `<METHOD> <route>`
 * (`<METHOD>` alone without a route, as the HTTP conventions say: paths
 * would make a name per URL). End it with {@link endServerSpan} when the
 * response is finished.
 */
export function startServerSpan(
  request: IncomingRequest,
  route: string | undefined,
): ServerSpan {
  const parent = contextFromHeaders(request.headers);
  const span = tracer().startSpan(
    route ? `${request.method} ${route}` : request.method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_URL_PATH]: request.path,
        ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
      },
    },
    parent,
  );
  const { traceId, spanId } = span.spanContext();
  const valid = trace.isSpanContextValid(span.spanContext());
  return {
    span,
    context: trace.setSpan(parent, span),
    traceId: valid ? traceId : undefined,
    spanId: valid ? spanId : undefined,
    parentSpanId: trace.getSpanContext(parent)?.spanId,
  };
}

/** Ends a server span with the response's status (5xx is an error, as the HTTP conventions say). */
export function endServerSpan(span: Span, statusCode: number): void {
  if (span.isRecording()) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** `graphql.operation.name` (OpenTelemetry's GraphQL conventions). */
export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';

/** Notes the GraphQL operation a request's body names on its span (when recorded). */
export function noteGraphQLOperation(span: Span, body: unknown): void {
  const name = (body as { operationName?: unknown } | undefined)?.operationName;
  if (typeof name === 'string' && span.isRecording())
    span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, name);
}
