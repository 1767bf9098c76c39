import type { Message } from 'kafkajs';
import type { EventEnvelope } from './envelope';
import { backoffDelay } from './backoff';
import { OUTBOX_FIELD } from './outbox';
import { traceHeadersOf } from './tracing';
import type { Readiness } from './readiness';

// The outbox relay's decisions, pure: what it sends and in which order, how
// it recognises an outbox it may empty, when it runs next and what it reports.
// `relay.ts` does the I/O (MongoDB claims and settles, the Kafka producer) and
// applies these; test/domain/relay-rules.test.ts tests them with no broker.

/** What the relay reads of a document with pending events. */
export interface PendingDocument {
  _id: unknown;
  outbox?: EventEnvelope[];
}

/** Sends a batch of messages to the relay's topic, in order; rejects if Kafka refuses. */
export type SendMessages = (messages: Message[]) => Promise<void>;

/**
 * The claimed documents, the one whose first pending event is oldest first.
 * An aggregate stored as one document per revision (committees) has its
 * events in several documents, and the server returns documents in its own
 * order (PostgreSQL's heap order under FerretDB, which updates reshuffle).
 * Event ids are UUIDv7, ordered by creation, so this keeps an aggregate's
 * events in the order they were written; within a document, array order.
 */
export function sendOrder<D extends PendingDocument>(docs: readonly D[]): D[] {
  const first = (doc: D) => doc.outbox?.[0]?.id ?? '';
  return [...docs].sort((a, b) =>
    first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0,
  );
}

/**
 * The Kafka message of an event: keyed by subject (one aggregate → one
 * partition), its type and id in headers, and the trace it was written in
 * as `traceparent`/`tracestate` headers (not in the value).
 */
export function toMessage(event: EventEnvelope): Message {
  const envelope: EventEnvelope = {
    id: event.id,
    type: event.type,
    version: event.version,
    occurredAt: event.occurredAt,
    source: event.source,
    subject: event.subject,
    data: event.data,
    ...(event.traceId != null ? { traceId: event.traceId } : {}),
  };
  return {
    key: event.subject,
    value: JSON.stringify(envelope),
    headers: {
      'event-id': event.id,
      'event-type': event.type,
      'event-version': String(event.version),
      ...(event.traceId != null ? { 'trace-id': event.traceId } : {}),
      // W3C Trace Context of the write (the relay's producer span replaces it with its own).
      ...traceHeadersOf(event.traceContext),
    },
  };
}

/**
 * Sends the events of `docs` (already in {@link sendOrder}) in one request:
 * array order within a document, and same key → same partition → same order
 * on the log. Resolves with how many were sent; sends nothing for no events.
 */
export async function sendPending(
  docs: readonly PendingDocument[],
  send: SendMessages,
): Promise<number> {
  const messages = docs.flatMap((doc) => (doc.outbox ?? []).map(toMessage));
  if (messages.length > 0) await send(messages);
  return messages.length;
}

/** What {@link sendIsolating} did with the claimed documents. */
export interface IsolatedSend<D extends PendingDocument> {
  /** Documents whose events are on Kafka: settle them. */
  sent: D[];
  /** Documents Kafka refused for good, alone, with its answer: keep them pending. */
  refused: { doc: D; error: unknown }[];
  /** Events sent. */
  events: number;
}

/**
 * Sends the documents' events in one request (see {@link sendPending}). When
 * Kafka refuses it for good — not an outage, which is thrown so the whole
 * cycle backs off — each document is sent alone, in order, so one document
 * Kafka will never take (an event over the broker's size limit, say) cannot
 * hold back the others, of its collection or of any other.
 */
export async function sendIsolating<D extends PendingDocument>(
  docs: readonly D[],
  send: SendMessages,
  isOutage: (error: unknown) => boolean,
): Promise<IsolatedSend<D>> {
  try {
    const events = await sendPending(docs, send);
    return { sent: [...docs], refused: [], events };
  } catch (error) {
    if (isOutage(error) || docs.length === 0) throw error;
    if (docs.length === 1)
      return { sent: [], refused: [{ doc: docs[0]!, error }], events: 0 };
  }
  const result: IsolatedSend<D> = { sent: [], refused: [], events: 0 };
  for (const doc of docs) {
    try {
      result.events += await sendPending([doc], send);
      result.sent.push(doc);
    } catch (error) {
      if (isOutage(error)) throw error;
      result.refused.push({ doc, error });
    }
  }
  return result;
}

/** A document Kafka refused, set aside until `retryAt`. */
export interface Refusal {
  /** The document's `_id` as stored (the map is keyed by its string form). */
  docId: unknown;
  attempts: number;
  retryAt: number;
  error: string;
}

/**
 * Sets a refused document aside: it is not claimed again before `retryAt`
 * (backoff from `initialMs` doubling to `maxMs`), so the relay does not
 * spend every cycle on it, and it is tried again after (the broker's limits
 * may have been raised). Returns the new map.
 */
export function setAside(
  refusals: ReadonlyMap<string, Refusal>,
  docId: unknown,
  error: string,
  now: number,
  { initialMs, maxMs }: { initialMs: number; maxMs: number },
): Map<string, Refusal> {
  const key = String(docId);
  const attempts = (refusals.get(key)?.attempts ?? 0) + 1;
  return new Map(refusals).set(key, {
    docId,
    attempts,
    retryAt: now + backoffDelay(attempts - 1, initialMs, maxMs),
    error,
  });
}

/** The `_id`s not to claim now: set aside and not yet due. */
export function setAsideNow(
  refusals: ReadonlyMap<string, Refusal>,
  now: number,
): unknown[] {
  return [...refusals.values()]
    .filter((r) => r.retryAt > now)
    .map((r) => r.docId);
}

/** Documents grouped by how many events they held when read: one settling update per group. */
export function byOutboxLength<D extends PendingDocument>(
  docs: readonly D[],
): Map<number, D[]> {
  const groups = new Map<number, D[]>();
  for (const doc of docs) {
    const length = doc.outbox?.length ?? 0;
    groups.set(length, [...(groups.get(length) ?? []), doc]);
  }
  return groups;
}

/**
 * The filter "the outbox holds exactly the `length` events that were read",
 * given the id of the last one read (of each document, for several). Services
 * only append and relays only remove what they read, so an outbox is always a
 * run of its document's events without gaps; same length and same last event
 * therefore means the same events. The length alone is not enough once two
 * relays run on one collection: after the other one sent and removed what
 * this one read, a service may append as many new events, and emptying the
 * array then would drop them unsent (found by the fault suite,
 * packages/faults, "two relays on one collection").
 */
export function holdsExactly(
  length: number,
  lastIds: readonly string[],
): Record<string, unknown> {
  if (length === 0) return { [OUTBOX_FIELD]: { $size: 0 } };
  return {
    [OUTBOX_FIELD]: { $size: length },
    // Event ids are unique across documents, so one $in serves a whole group.
    [`${OUTBOX_FIELD}.${length - 1}.id`]: { $in: [...lastIds] },
  };
}

/** When the relay runs its next cycle. */
export interface NextCycle {
  /** Failures in a row, the one just ended included (0 after a success). */
  consecutiveFailures: number;
  /** A write woke the relay during the cycle. */
  wakeRequested: boolean;
  pollIntervalMs: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
}

/**
 * After a success: at once if a write woke it meanwhile, else after the poll
 * interval. After a failure: exponential backoff, whatever wakes it, so a
 * burst of writes does not hammer a Kafka that is failing.
 */
export function nextCycleDelay({
  consecutiveFailures,
  wakeRequested,
  pollIntervalMs,
  retryInitialDelayMs,
  retryMaxDelayMs,
}: NextCycle): number {
  if (consecutiveFailures > 0)
    return backoffDelay(
      consecutiveFailures - 1,
      retryInitialDelayMs,
      retryMaxDelayMs,
    );
  return wakeRequested ? 0 : pollIntervalMs;
}

/** What the relay's readiness is computed from. */
export interface RelayState {
  running: boolean;
  consecutiveFailures: number;
  /** Documents Kafka refused for good and that wait set aside. */
  refusedDocuments: number;
  /** When the send under way began (epoch ms); undefined between sends. */
  sendingSince: number | undefined;
  now: number;
  stallAfterMs: number;
}

/**
 * Ok while running, the last cycle succeeded, no document waits refused by
 * Kafka, and no send has hung for
 * `stallAfterMs` (a broker that went away leaves a send unanswered for as
 * long as the Kafka client retries: 15 s or more); `sendingForMs` is given
 * once it has.
 */
export function relayReadiness(
  state: RelayState,
  detail: Record<string, unknown>,
): Readiness {
  const sendingForMs =
    state.sendingSince === undefined ? 0 : state.now - state.sendingSince;
  const stalled = sendingForMs >= state.stallAfterMs;
  return {
    ok:
      state.running &&
      state.consecutiveFailures === 0 &&
      state.refusedDocuments === 0 &&
      !stalled,
    detail: {
      running: state.running,
      ...detail,
      ...(stalled ? { sendingForMs } : {}),
    },
  };
}
