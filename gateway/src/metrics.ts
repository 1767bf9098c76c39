import {
  Counter,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import { EVENT_LOOP_SAMPLE_MS } from '@conecta/service-kit';

// Operation names come from clients: only well-formed names become labels, and
// only this many distinct ones, so a client cannot blow up the series count.
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// GraphQL over HTTP: most answers take milliseconds, a slow subgraph seconds.
const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The outcome of a subgraph call, as counted. */
export type SubgraphOutcome =
  'ok' | 'graphql_error' | 'timeout' | 'unavailable';

/**
 * The gateway's Prometheus metrics, on a registry of its own (no global
 * state): requests and latency per operation, errors per operation and code,
 * calls, latency and failures per subgraph, and Node's default metrics.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({
    register: registry,
    prefix: 'conecta_gateway_',
    eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS,
  });
  const requests = new Counter({
    name: 'conecta_gateway_requests_total',
    help: 'GraphQL requests answered, by operation and HTTP status.',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'conecta_gateway_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation.',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'conecta_gateway_operation_errors_total',
    help: 'Errors returned to clients, by operation and extensions.code.',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });
  const subgraphRequests = new Counter({
    name: 'conecta_gateway_subgraph_requests_total',
    help: 'Requests the gateway sent to each subgraph, by outcome.',
    labelNames: ['subgraph', 'outcome'] as const,
    registers: [registry],
  });
  const subgraphDuration = new Histogram({
    name: 'conecta_gateway_subgraph_request_duration_seconds',
    help: 'Time each subgraph took to answer the gateway.',
    labelNames: ['subgraph'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const subgraphErrors = new Counter({
    name: 'conecta_gateway_subgraph_errors_total',
    help: 'Failed subgraph calls (timeout, unavailable, GraphQL errors), by subgraph.',
    labelNames: ['subgraph', 'kind'] as const,
    registers: [registry],
  });
  const cacheAnswers = new Counter({
    name: 'conecta_gateway_response_cache_total',
    help: 'Queries by how the response cache answered: HIT, MISS, BYPASS (no-cache asked), OFF (changes cannot be seen).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const operations = new Set<string>();

  /** The label for an operation name: bounded and well-formed. */
  function operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATION_LABELS) return 'other';
    operations.add(name);
    return name;
  }

  return {
    registry,
    operationLabel,
    /** One query as the response cache answered it. */
    observeCache(status: string): void {
      cacheAnswers.inc({ status });
    },
    /** One answered request. */
    observeRequest(
      operation: string,
      status: number,
      seconds: number,
      errorCodes: readonly string[],
    ): void {
      requests.inc({ operation, status: String(status) });
      duration.observe({ operation }, seconds);
      for (const code of errorCodes) errors.inc({ operation, code });
    },
    /** One call to a subgraph. */
    observeSubgraph(
      subgraph: string,
      outcome: SubgraphOutcome,
      seconds: number,
    ): void {
      subgraphRequests.inc({ subgraph, outcome });
      subgraphDuration.observe({ subgraph }, seconds);
      if (outcome !== 'ok') subgraphErrors.inc({ subgraph, kind: outcome });
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;
