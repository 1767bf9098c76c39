import { randomFillSync } from 'node:crypto';

/** W3C Trace Context of one gateway request (https://www.w3.org/TR/trace-context/). */
export interface TraceContext {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** The caller's span (parent-id), when the caller sent one. */
  parentSpanId?: string;
  /** 2 hex characters: the trace flags (01 = sampled). */
  flags: string;
  /** Vendor state, forwarded untouched. */
  tracestate?: string;
}

// version 00: version-traceid-parentid-flags; all-zero ids are invalid.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
// A tracestate longer than this is truncated by the spec's own advice; drop it.
const MAX_TRACESTATE = 512;

// Trace and span ids are drawn from a pool filled this many bytes at a time:
// one call into OpenSSL per 512 span ids instead of one per id (the CPU
// profile under load showed the per-id calls), as Node's randomUUID does.
const POOL_BYTES = 4_096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** `bytes` random bytes as lowercase hex. */
function randomHex(bytes: number): string {
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/**
 * The trace this request belongs to: the caller's `traceparent` when valid,
 * otherwise a new trace (flags 01, so downstream tracers may record it).
 */
export function traceContextFrom(
  traceparent: string | undefined,
  tracestate: string | undefined,
): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (match && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN) {
    return {
      traceId: match[1]!,
      parentSpanId: match[2]!,
      flags: match[3]!,
      ...(tracestate && tracestate.length <= MAX_TRACESTATE
        ? { tracestate }
        : {}),
    };
  }
  return { traceId: randomHex(16), flags: '01' };
}

/** A `traceparent` for one subgraph call: same trace, a new span id. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomHex(8)}-${trace.flags}`;
}
