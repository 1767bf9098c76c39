import type { Context as TraceContext } from '@opentelemetry/api';
import type { Identity, Language } from '@conecta/service-kit';

/** What the server notes about one request, for its log line and metrics. */
export interface RequestObservation {
  operationName?: string | null;
  /** `extensions.code` of every error returned. */
  errorCodes: string[];
  /** Who called: a person's subject or `apikey:<id>`. */
  client?: string;
}

/** What every gateway request carries (built by the server's context). */
export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /**
   * The OpenTelemetry context of the request's server span: subgraph calls
   * are its children when no more specific span is active.
   */
  trace: TraceContext;
  /**
   * The language negotiated from the client's `Accept-Language` (Spanish by
   * default): errors answer in it, every subgraph call forwards it, and the
   * response cache and the in-flight sharing keep languages apart.
   */
  language: Language;
  /** The partner app's key id, when an API key authenticated the request. */
  apiKeyId?: string;
  observation: RequestObservation;
  /** The subgraphs this request has called so far (the response cache's dependencies). */
  touched: Set<string>;
  /** Bytes the subgraphs answered this request with (the response cache sizes entries by it). */
  subgraphBytes: number;
  /** The client's valid `Idempotency-Key`, when it sent one (forwarded to mutation fetches). */
  idempotency?: IdempotencyState;
}

/** What one request's `Idempotency-Key` has done so far. */
export interface IdempotencyState {
  key: string;
  /** Mutation fetches sent so far, per subgraph: the 2nd and later get ` <n>` on the key. */
  mutationFetches: Map<string, number>;
  /** Whether a subgraph answered with a stored (replayed) answer. */
  replayed: boolean;
}
