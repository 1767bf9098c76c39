import { Partitioners } from 'kafkajs';
import type { Producer } from 'kafkajs';
import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { errorMessage } from './backoff';
import type { EventEnvelope } from './envelope';
import { createMissingTopics, kafkaOf } from './kafka';
import type { KafkaClient } from './kafka';
import {
  OUTBOX_FIELD,
  OUTBOX_LEASE_FIELD,
  OUTBOX_PENDING_FIELD,
  createOutboxWriter,
} from './outbox';
import type { OutboxWriter } from './outbox';
import type { Readiness } from './readiness';
import { isInfrastructureError } from './failures';
import { sendTraced } from './tracing';
import {
  byOutboxLength,
  holdsExactly,
  nextCycleDelay,
  relayReadiness,
  sendIsolating,
  sendOrder,
  setAside,
  setAsideNow,
} from './relay-rules';
import type { IsolatedSend, Refusal } from './relay-rules';

/** Options of {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  kafka: KafkaClient;
  /**
   * Aggregate collections whose documents carry an outbox (mongoose: `Model.collection`).
   * Typed loosely because each service's collection has its own document type.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document shape
  collections: readonly Collection<any>[];
  /** Topic to publish to, normally `topicFor(service, KAFKA_TOPIC_PREFIX)`. */
  topic: string;
  logger: Logger;
  /**
   * The service's outbox writer: the relay's cleanup of a document holds the
   * same per-document lock as the service's writes, and writes wake the relay.
   * Default: a writer of its own (tests that write with the bare helpers).
   */
  writer?: OutboxWriter;
  /**
   * How often to look for pending events when idle; default 1 000 ms.
   * `notify()` skips the wait, and every write through the service's
   * writer notifies, so the poll only finds what other processes wrote (a
   * crashed instance's leftovers, a bulk write outside the writer).
   */
  pollIntervalMs?: number;
  /** Documents claimed per collection per cycle (all their events are sent in one request); default 100. */
  batchSize?: number;
  /**
   * How long a claim on a document lasts; default 30_000 ms. Another replica may
   * take the document over after it, so it must exceed a send's worst case; after
   * a crash, the crashed instance's claimed documents wait this long.
   */
  leaseMs?: number;
  /**
   * Claim documents with a lease before publishing (needed when several relay
   * replicas run). Default: true on MongoDB; false on FerretDB, detected at
   * start, whose update is a read-then-replace without a lock, so a lease cannot
   * be taken atomically there and each lease write is one more chance to race a
   * service's own write. Without leases, run ONE relay per collection.
   */
  leases?: boolean;
  /** First retry delay after a failed cycle (Kafka down); default 500 ms, doubling. */
  retryInitialDelayMs?: number;
  /** Cap of the retry delay; default 10_000 ms. */
  retryMaxDelayMs?: number;
  /** Partitions if the relay has to create `topic`; default 3. */
  topicPartitions?: number;
  /**
   * A send still unanswered after this long makes `readiness()` not ok
   * (`detail.sendingForMs`), before the Kafka client's own retries give up
   * (with its defaults, 15 s or more on a broker that went away); default 5_000 ms.
   */
  stallAfterMs?: number;
}

/** Counters of a relay, for metrics and tests. */
export interface OutboxRelayStats {
  /** Events sent to Kafka since creation (a re-sent duplicate counts again). */
  published: number;
  /** Cycles that failed since creation. */
  failedCycles: number;
  /** Failures in a row; 0 when the last cycle succeeded. */
  consecutiveFailures: number;
  lastError: string | null;
  lastPublishedAt: string | null;
  /** Documents with pending events at the last count (refreshed every ~5 s). */
  pendingDocuments: number | null;
  /**
   * Documents whose events Kafka refused for good (e.g. over the broker's
   * size limit): kept pending, set aside and retried with backoff while the
   * others go on; readiness is not ok while there are any.
   */
  refusedDocuments: number;
}

/** The running relay. */
export interface OutboxRelay {
  /** Creates the pending-marker index and starts polling. Never fails on Kafka being down. */
  start(): Promise<void>;
  /**
   * Stops polling, publishes what is pending (skipped when Kafka failed the last
   * cycle), disconnects. Events not sent stay in their documents for the next start.
   */
  stop(): Promise<void>;
  /** Publishes everything pending now; resolves with the number of events sent, rejects if Kafka refuses. */
  flush(): Promise<number>;
  /** Wakes the relay at once; call after a write that added events. */
  notify(): void;
  /**
   * `ok` while running, the last cycle succeeded and no send has hung for
   * `stallAfterMs`; detail carries the stats (and `sendingForMs` when one has).
   */
  readiness(): Readiness;
  readonly stats: Readonly<OutboxRelayStats>;
}

/** What the relay sees of an aggregate document. */
type OutboxDocument = {
  _id: Document['_id'];
  outbox?: EventEnvelope[];
  outboxPending?: boolean;
  outboxLease?: { owner: string; until: Date };
};

interface ClaimedDoc {
  _id: Document['_id'];
  outbox?: EventEnvelope[];
}

// A refused document is tried again after 500 ms doubling up to this.
const REFUSED_RETRY_MAX_MS = 10 * 60_000;

// Refreshing the pending count costs one countDocuments per collection; every 5 s is enough for /ready.
const PENDING_COUNT_INTERVAL_MS = 5_000;

/**
 * Publishes the events kept in aggregate documents' outbox arrays (see `withOutbox`).
 *
 * Each cycle claims documents with pending events (a lease, so replicas never
 * interleave one aggregate's events), sends their events in array order keyed by
 * `subject` with an idempotent producer (acks from all in-sync replicas), then
 * `$pull`s exactly the ids it sent. A crash between send and `$pull` re-sends on
 * restart: delivery is at-least-once and consumers must be idempotent.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const logger = options.logger.child({
    component: 'outbox-relay',
    topic: options.topic,
  });
  const kafka = kafkaOf(options.kafka);
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const leaseMs = options.leaseMs ?? 30_000;
  const retryInitialDelayMs = options.retryInitialDelayMs ?? 500;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 10_000;
  const stallAfterMs = options.stallAfterMs ?? 5_000;
  /** When the send under way began; undefined between sends. */
  let sendingSince: number | undefined;
  /** Documents Kafka refused for good, by id, set aside (relay-rules `setAside`). */
  let refusals = new Map<string, Refusal>();

  function refuse(doc: ClaimedDoc, error: unknown): void {
    refusals = setAside(
      refusals,
      String(doc._id),
      errorMessage(error),
      Date.now(),
      {
        initialMs: retryInitialDelayMs,
        maxMs: REFUSED_RETRY_MAX_MS,
      },
    );
    stats.refusedDocuments = refusals.size;
    logger.error(
      {
        err: error,
        document: String(doc._id),
        events: doc.outbox?.length ?? 0,
      },
      "Kafka refused this document's events for good: they stay in it, set aside and retried with backoff, and the other documents go on",
    );
  }
  const owner = uuidv7();
  const writer = options.writer ?? createOutboxWriter();
  // The writer's lock is keyed by collection and id; the relay's collections are loosely typed.
  const locked = <T>(
    collection: Collection<OutboxDocument>,
    id: unknown,
    task: () => Promise<T>,
  ) =>
    writer.exclusive(
      collection as unknown as Collection<Document>,
      Array.isArray(id) ? id.map(String) : String(id),
      task,
    );

  const stats: OutboxRelayStats = {
    published: 0,
    failedCycles: 0,
    consecutiveFailures: 0,
    lastError: null,
    lastPublishedAt: null,
    pendingDocuments: null,
    refusedDocuments: 0,
  };
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let producer: Producer | undefined;
  let topicReady = false;
  let wakeRequested = false;
  let loopActive = false;
  let lastPendingCountAt = 0;
  let leases = options.leases ?? true;
  // One cycle at a time: the loop and flush() share this queue.
  let queue: Promise<unknown> = Promise.resolve();

  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  };

  async function connectedProducer(): Promise<Producer> {
    if (producer) return producer;
    const candidate = kafka.producer({
      // Idempotence makes the broker drop retried duplicates and keeps order per partition.
      idempotent: true,
      maxInFlightRequests: 1,
      // The Java-compatible murmur2 partitioner: same key → same partition as any other client.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Few retries here: the relay's own backoff takes over, and a send must stay well under leaseMs.
      retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 3_000 },
    });
    await candidate.connect();
    if (!topicReady) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await createMissingTopics(admin, [options.topic], {
          partitions: options.topicPartitions,
        });
      } finally {
        await admin.disconnect();
      }
      topicReady = true;
    }
    producer = candidate;
    return candidate;
  }

  async function dropProducer(): Promise<void> {
    const current = producer;
    producer = undefined;
    // A producer that failed may hold a dead connection; a fresh one reconnects cleanly.
    await current?.disconnect().catch(() => undefined);
  }

  async function claim(
    collection: Collection<OutboxDocument>,
  ): Promise<ClaimedDoc[]> {
    const aside = setAsideNow(refusals, Date.now());
    // Only while a document waits set aside, so the usual claim stays the
    // one FerretDB limits in SQL.
    const notAside = (
      aside.length > 0 ? { _id: { $nin: aside } } : {}
    ) as Filter<OutboxDocument>;
    if (!leases) {
      return (await collection
        .find({
          [OUTBOX_PENDING_FIELD]: true,
          ...notAside,
        } as Filter<OutboxDocument>)
        .limit(batchSize)
        .toArray()) as ClaimedDoc[];
    }
    const claimed: ClaimedDoc[] = [];
    while (claimed.length < batchSize) {
      const now = new Date();
      const doc = await collection.findOneAndUpdate(
        {
          [OUTBOX_PENDING_FIELD]: true,
          ...notAside,
          $or: [
            { [OUTBOX_LEASE_FIELD]: { $exists: false } },
            { [`${OUTBOX_LEASE_FIELD}.until`]: { $lte: now } },
          ],
        },
        {
          $set: {
            [OUTBOX_LEASE_FIELD]: {
              owner,
              until: new Date(now.getTime() + leaseMs),
            },
          },
        },
        // No projection: FerretDB does not implement findAndModify's "fields".
        { returnDocument: 'after' },
      );
      if (!doc) break;
      claimed.push(doc as ClaimedDoc);
    }
    return claimed;
  }

  async function release(
    collection: Collection<OutboxDocument>,
    docs: ClaimedDoc[],
  ): Promise<void> {
    if (!leases) return;
    await Promise.all(
      docs.map((doc) =>
        locked(collection, doc._id, () =>
          collection.updateOne(
            { _id: doc._id, [`${OUTBOX_LEASE_FIELD}.owner`]: owner },
            { $unset: { [OUTBOX_LEASE_FIELD]: '' } },
          ),
        ).catch(() => undefined),
      ),
    );
  }

  /** Removes the sent events, holding the document's lock against the service's writes. */
  function settle(
    collection: Collection<OutboxDocument>,
    doc: ClaimedDoc,
  ): Promise<void> {
    return locked(collection, doc._id, () => settleLocked(collection, doc));
  }

  async function settleLocked(
    collection: Collection<OutboxDocument>,
    doc: ClaimedDoc,
  ): Promise<void> {
    const sent = doc.outbox ?? [];
    const mine = leases
      ? { _id: doc._id, [`${OUTBOX_LEASE_FIELD}.owner`]: owner }
      : { _id: doc._id };
    // $pullAll of the entries exactly as read: FerretDB's $pull only matches whole
    // values (a condition like { id: { $in } } silently removes nothing), while
    // exact-document $pullAll works there and on MongoDB. Entries are unique by id.
    const pull: UpdateFilter<OutboxDocument> = leases
      ? { $pullAll: { outbox: sent }, $unset: { outboxLease: '' } }
      : { $pullAll: { outbox: sent } };
    // The array still holds exactly what was sent → it empties: clear the
    // marker in the same update. Otherwise keep it, so the new events are found.
    const emptied = await collection.updateOne(
      { ...mine, ...holdsExactly(sent.length, [sent.at(-1)?.id ?? '']) },
      { ...pull, $set: { outboxPending: false } },
    );
    if (emptied.matchedCount === 1) return;
    const pulled = await collection.updateOne(mine, pull);
    if (pulled.matchedCount === 0) {
      logger.warn(
        { documentId: doc._id, events: sent.length },
        'outbox lease lost before settling: another relay may re-send these events (consumers deduplicate)',
      );
    }
  }

  /**
   * Without leases, documents whose outbox still holds exactly the events sent
   * (see {@link holdsExactly}) are emptied by ONE updateMany per length — on
   * FerretDB about ten times cheaper than an update each, which is what lets a
   * bulk import's thousands of events drain in seconds. Documents that changed
   * meanwhile (events appended, or sent and removed by another relay) are
   * settled one by one.
   */
  async function settleBatch(
    collection: Collection<OutboxDocument>,
    docs: ClaimedDoc[],
  ): Promise<void> {
    for (const [length, group] of byOutboxLength(docs)) {
      const ids = group.map((doc) => doc._id);
      const theseDocs = {
        _id: { $in: ids },
      } as unknown as Filter<OutboxDocument>;
      const lastIds = group.map((doc) => doc.outbox?.[length - 1]?.id ?? '');
      await locked(collection, ids, async () => {
        const { modifiedCount } = await collection.updateMany(
          { ...theseDocs, ...holdsExactly(length, lastIds) },
          { $set: { [OUTBOX_FIELD]: [], [OUTBOX_PENDING_FIELD]: false } },
        );
        if (modifiedCount === group.length) return;
        const grown = new Set(
          (
            await collection
              .find({ ...theseDocs, [OUTBOX_PENDING_FIELD]: true })
              .project<{ _id: unknown }>({ _id: 1 })
              .toArray()
          ).map((doc) => String(doc._id)),
        );
        for (const doc of group)
          if (grown.has(String(doc._id))) await settleLocked(collection, doc);
      });
    }
  }

  /** One pass over every collection; returns events sent and whether a batch was full. */
  async function cycle(): Promise<{ sent: number; full: boolean }> {
    let sent = 0;
    let full = false;
    for (const collection of options.collections as readonly Collection<OutboxDocument>[]) {
      const docs = sendOrder(await claim(collection));
      if (docs.length === 0) continue;
      if (docs.length === batchSize) full = true;
      let outcome: IsolatedSend<ClaimedDoc>;
      sendingSince = Date.now();
      try {
        outcome = await sendIsolating(
          docs,
          (messages) =>
            // A producer span per traced event, its context in the headers.
            sendTraced(options.topic, messages, async (traced) => {
              const connected = await connectedProducer();
              try {
                await connected.send({
                  topic: options.topic,
                  acks: -1,
                  messages: traced,
                });
              } catch (error) {
                // A refused request can leave the idempotent producer's
                // sequence out of step: the next send (the other documents,
                // one by one) gets a fresh one.
                await dropProducer();
                throw error;
              }
            }),
          isInfrastructureError,
        );
      } catch (error) {
        await dropProducer();
        await release(collection, docs);
        throw error;
      } finally {
        sendingSince = undefined;
      }
      for (const { doc, error } of outcome.refused) refuse(doc, error);
      if (outcome.refused.length > 0) {
        await release(
          collection,
          outcome.refused.map((r) => r.doc),
        );
      }
      for (const doc of outcome.sent) refusals.delete(String(doc._id));
      stats.refusedDocuments = refusals.size;
      if (leases) for (const doc of outcome.sent) await settle(collection, doc);
      else await settleBatch(collection, outcome.sent);
      sent += outcome.events;
      stats.published += outcome.events;
      if (outcome.events > 0) stats.lastPublishedAt = new Date().toISOString();
    }
    return { sent, full };
  }

  async function refreshPendingCount(force = false): Promise<void> {
    if (!force && Date.now() - lastPendingCountAt < PENDING_COUNT_INTERVAL_MS)
      return;
    lastPendingCountAt = Date.now();
    let total = 0;
    for (const collection of options.collections) {
      total += await collection.countDocuments({
        [OUTBOX_PENDING_FIELD]: true,
      });
    }
    stats.pendingDocuments = total;
    if (refusals.size > 0) {
      // A refused document sent meanwhile by another relay, or deleted, is
      // no longer waiting: forget it, or readiness would stay not ok.
      const ids = [...refusals.values()].map((r) => r.docId);
      const waiting = new Set<string>();
      for (const collection of options.collections)
        for (const doc of await collection
          .find({ _id: { $in: ids }, [OUTBOX_PENDING_FIELD]: true })
          .project<{ _id: unknown }>({ _id: 1 })
          .toArray())
          waiting.add(String(doc._id));
      refusals = new Map([...refusals].filter(([key]) => waiting.has(key)));
      stats.refusedDocuments = refusals.size;
    }
  }

  function flush(): Promise<number> {
    return exclusive(async () => {
      let total = 0;
      for (;;) {
        const { sent } = await cycle();
        total += sent;
        if (sent === 0) return total;
      }
    });
  }

  const delayAfter = (woken: boolean) =>
    nextCycleDelay({
      consecutiveFailures: stats.consecutiveFailures,
      wakeRequested: woken,
      pollIntervalMs,
      retryInitialDelayMs,
      retryMaxDelayMs,
    });

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => void loop(), delayMs);
  }

  async function loop(): Promise<void> {
    if (loopActive) {
      wakeRequested = true;
      return;
    }
    loopActive = true;
    try {
      await exclusive(async () => {
        let result: { sent: number; full: boolean };
        do {
          wakeRequested = false;
          result = await cycle();
        } while (running && (result.full || wakeRequested));
      });
      if (stats.consecutiveFailures > 0) {
        logger.info(
          { afterFailures: stats.consecutiveFailures },
          'outbox relay recovered',
        );
      }
      stats.consecutiveFailures = 0;
      stats.lastError = null;
    } catch (error) {
      stats.failedCycles += 1;
      stats.consecutiveFailures += 1;
      stats.lastError = errorMessage(error);
      logger.warn(
        {
          err: error,
          consecutiveFailures: stats.consecutiveFailures,
          retryInMs: delayAfter(false),
        },
        'outbox relay cycle failed; events stay in their documents and will be retried',
      );
    }
    try {
      await refreshPendingCount(stats.consecutiveFailures > 0);
    } catch (error) {
      logger.warn(
        { err: error },
        'outbox relay could not count pending documents',
      );
    }
    loopActive = false;
    schedule(delayAfter(wakeRequested));
  }

  const relay: OutboxRelay = {
    stats,
    async start() {
      if (running) return;
      for (const collection of options.collections) {
        // The relay's only query is on the marker; on MongoDB this index makes it cheap.
        await collection.createIndex({ [OUTBOX_PENDING_FIELD]: 1 });
      }
      if (options.leases === undefined && options.collections.length > 0) {
        leases = !(await isFerretDb(options.collections[0]));
      }
      running = true;
      logger.info(
        { owner, leases, collections: options.collections.length },
        leases
          ? 'outbox relay started'
          : 'outbox relay started without leases (FerretDB): run a single relay instance per collection',
      );
      schedule(0);
    },
    async stop() {
      if (!running) return;
      running = false;
      clearTimeout(timer);
      if (stats.consecutiveFailures > 0) {
        // Kafka failed the last cycle: a flush would only wait out the client's
        // retries and delay shutdown. The events are safe in their documents.
        logger.warn(
          { lastError: stats.lastError },
          'outbox relay stopped without flushing (Kafka failing); pending events stay for the next start',
        );
        await dropProducer();
        return;
      }
      try {
        const sent = await flush();
        logger.info({ flushed: sent }, 'outbox relay flushed and stopped');
      } catch (error) {
        logger.warn(
          { err: error },
          'outbox relay stopped without flushing; pending events stay in their documents for the next start',
        );
      }
      await dropProducer();
    },
    flush,
    notify() {
      if (!running) return;
      if (loopActive) wakeRequested = true;
      // While Kafka fails, keep the backoff: a burst of writes must not hammer it.
      else if (stats.consecutiveFailures === 0) schedule(0);
    },
    readiness() {
      return relayReadiness(
        {
          running,
          consecutiveFailures: stats.consecutiveFailures,
          refusedDocuments: refusals.size,
          sendingSince,
          now: Date.now(),
          stallAfterMs,
        },
        { leases, topic: options.topic, ...stats },
      );
    },
  };
  writer.onWritten(() => relay.notify());
  return relay;
}

/**
 * FerretDB reports itself in explain's `serverInfo.ferretdbVersion`; a
 * queryPlanner explain of an `_id` lookup executes nothing on either server.
 */
async function isFerretDb(
  collection: Collection<OutboxDocument>,
): Promise<boolean> {
  const plan = await collection
    .find({ _id: { $exists: false } })
    .limit(1)
    .explain('queryPlanner');
  const serverInfo = (plan as { serverInfo?: Record<string, unknown> })
    .serverInfo;
  return serverInfo !== undefined && 'ferretdbVersion' in serverInfo;
}
