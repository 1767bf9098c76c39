import { randomBytes } from 'node:crypto';
import {
  SectorRegisteredV1,
  applyOnce,
  createEventConsumer,
  createKafka,
  createOutboxRelay,
  createOutboxWriter,
  dlqTopicFor,
  isDuplicateKeyError,
  isInfrastructureError,
  listDlq,
  newEvent,
  topicFor,
} from '@conecta/events';
import type {
  EventConsumer,
  EventEnvelope,
  EventOf,
  KafkaClient,
  OutboxRelay,
  OutboxWriter,
} from '@conecta/events';
import { MongoClient } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { sleep } from './stack';

/** What every scenario publishes: a sector registered, then renamed twice (three events per aggregate). */
export type SectorEvent = EventOf<typeof SectorRegisteredV1>;

/** An aggregate as the services store it: state plus its pending events (the outbox fields). */
export interface SectorDoc {
  _id: string;
  name: string;
  revision: number;
  outbox?: EventEnvelope[];
  outboxPending?: boolean;
}

/**
 * The read model: one document per aggregate; `applications.<eventId>` is
 * incremented by the same single-document update that `applyOnce` guards, so
 * an event applied twice shows as 2 — measured, not assumed.
 */
export interface SectorView {
  _id: string;
  name: string;
  applications?: Record<string, number>;
}

/** Names one scenario's database, topic, DLQ and consumer group on the private stack. */
export interface WorldNames {
  readonly mongoUri: string;
  readonly kafkaBrokers: string[];
  readonly dbName: string;
  /** KAFKA_TOPIC_PREFIX of the world: its topics and group start with it. */
  readonly prefix: string;
  readonly topic: string;
  readonly dlqTopic: string;
  readonly groupId: string;
}

/** Fresh names for `scenario`, on the private stack. */
export function namesFor(
  scenario: string,
  stack: { mongoUri: string; kafkaBrokers: string[] },
): WorldNames {
  const slug = `${scenario.replace(/[^a-z0-9]+/g, '_')}_${randomBytes(3).toString('hex')}`;
  const prefix = `faults.${slug}.`;
  return {
    mongoUri: stack.mongoUri,
    kafkaBrokers: stack.kafkaBrokers,
    dbName: `faults_${slug}`,
    prefix,
    topic: topicFor('committees', prefix),
    dlqTopic: dlqTopicFor('faults', prefix),
    groupId: `${prefix}read-model`,
  };
}

/** The suite's logger: silent unless FAULTS_LOG_LEVEL says otherwise (read by run.ts). */
export function faultsLogger(level: string): Logger {
  return pino({ level }, pino.destination(2));
}

/** A MongoDB client that fails fast while its server is away, as services configure theirs (5 s). */
export function connectMongo(uri: string): Promise<MongoClient> {
  return MongoClient.connect(uri, {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
  });
}

export function collections(db: Db): {
  sectors: Collection<SectorDoc>;
  views: Collection<SectorView>;
} {
  return {
    sectors: db.collection<SectorDoc>('sectors'),
    views: db.collection<SectorView>('sector_views'),
  };
}

export function kafkaFor(
  names: WorldNames,
  clientId: string,
  logger: Logger,
): KafkaClient {
  return createKafka({ brokers: names.kafkaBrokers, clientId, logger });
}

/** The real relay on the aggregates' collection, polling as services do (`notify()` on writes). */
export function relayFor(
  names: WorldNames,
  sectors: Collection<SectorDoc>,
  kafka: KafkaClient,
  logger: Logger,
  writer?: OutboxWriter,
): OutboxRelay {
  return createOutboxRelay({
    kafka,
    collections: [sectors],
    topic: names.topic,
    logger,
    ...(writer ? { writer } : {}),
    // A relay that catches up quickly after an outage: the measure is what arrives, not when.
    retryMaxDelayMs: 2_000,
  });
}

/** How the read-model consumer takes its events. */
export type ConsumeMode = 'message' | 'batch';

/** Applies one event to the read model, once (`applyOnce`), counting the application in the same write. */
export function applySector(
  views: Collection<SectorView>,
  event: SectorEvent,
): Promise<boolean> {
  return applyOnce(
    views,
    { _id: event.subject },
    {
      $set: { name: event.data.name },
      $inc: { [`applications.${event.id}`]: 1 },
    },
    event.id,
    { upsert: true },
  );
}

/**
 * The real consumer projecting sectors into the read model. Batch mode cuts
 * fetched batches in chunks of 50 (what a crash "mid-batch" interrupts).
 */
export function readModelConsumer(
  names: WorldNames,
  views: Collection<SectorView>,
  kafka: KafkaClient,
  logger: Logger,
  mode: ConsumeMode,
): EventConsumer {
  const base = {
    kafka,
    groupId: names.groupId,
    topics: [names.topic],
    dlqTopic: names.dlqTopic,
    logger,
    // Outages are waited out in steps of at most 2 s, so recovery shows quickly.
    outage: { initialDelayMs: 200, maxDelayMs: 2_000 },
    // A session that expires soon after a SIGKILL: the restarted member gets the partitions.
    sessionTimeoutMs: 10_000,
  };
  return mode === 'batch'
    ? createEventConsumer({
        ...base,
        batch: {
          types: ['committees.SectorRegistered'],
          maxEvents: 50,
          handle: async (events) => {
            for (const event of events)
              await applySector(views, event as SectorEvent);
          },
        },
      })
    : createEventConsumer({
        ...base,
        handlers: {
          'committees.SectorRegistered': async (event) => {
            await applySector(views, event as SectorEvent);
          },
        },
      });
}

/** One write of the workload: a new aggregate (revision 0) or a rename of one (1, 2). */
interface WriteOp {
  subject: string;
  revision: number;
  event: SectorEvent;
}

/** Aggregates written at once, interleaved: four, three events each. */
const OPEN_AGGREGATES = 4;
const EVENTS_PER_AGGREGATE = 3;

/**
 * Writes aggregates and their events like a service does (`OutboxWriter`:
 * the state change and its event in one document write), and remembers
 * every event it wrote. A write that fails on infrastructure is retried
 * until it is known to have happened: the same insert (a duplicate key means
 * the first try was written) or the same conditional update (a revision
 * already moved on means it was), so `produced` is exact across outages.
 */
export interface Writer {
  /** Every event written, in write order. */
  readonly produced: SectorEvent[];
  readonly outbox: OutboxWriter;
  write(): Promise<SectorEvent>;
  writeMany(count: number): Promise<void>;
  /** Writes one event every `intervalMs` until `stop()`. */
  keepWriting(intervalMs: number): { stop(): Promise<void> };
  /** Writes an arbitrary envelope into a new aggregate's outbox (a buggy producer: poison). */
  writeRaw(event: EventEnvelope): Promise<void>;
}

export function createWriter(
  sectors: Collection<SectorDoc>,
  outbox: OutboxWriter = createOutboxWriter(),
): Writer {
  const produced: SectorEvent[] = [];
  const subjects: string[] = [];
  let count = 0;

  function next(): WriteOp {
    const k = count;
    count += 1;
    const perWindow = OPEN_AGGREGATES * EVENTS_PER_AGGREGATE;
    const window = Math.floor(k / perWindow);
    const within = k % perWindow;
    const index = window * OPEN_AGGREGATES + (within % OPEN_AGGREGATES);
    const revision = Math.floor(within / OPEN_AGGREGATES);
    if (revision === 0) subjects[index] = uuidv7();
    const subject = subjects[index]!;
    const event = newEvent(SectorRegisteredV1, {
      subject,
      data: {
        id: subject,
        code: '5415',
        name: `Sector ${subject.slice(-6)} rev ${revision}`,
        kind: 'PRODUCTIVE',
      },
    });
    return { subject, revision, event };
  }

  async function apply(op: WriteOp): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        if (op.revision === 0) {
          await outbox.insert(
            sectors as never,
            { _id: op.subject, name: op.event.data.name, revision: 0 },
            [op.event],
          );
          return;
        }
        const result = await outbox.update<SectorDoc>(
          sectors as never,
          { _id: op.subject, revision: op.revision - 1 },
          { $set: { name: op.event.data.name }, $inc: { revision: 1 } },
          [op.event],
        );
        if (result.matchedCount === 1) return;
        const now = await sectors.findOne({ _id: op.subject });
        if (now && now.revision >= op.revision) return; // an earlier try was written
        throw new Error(
          `aggregate ${op.subject} is at revision ${now?.revision ?? 'none'}, expected ${op.revision - 1}`,
        );
      } catch (error) {
        if (op.revision === 0 && isDuplicateKeyError(error)) return;
        if (!isInfrastructureError(error)) throw error;
        await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
      }
    }
  }

  async function write(): Promise<SectorEvent> {
    const op = next();
    await apply(op);
    produced.push(op.event);
    return op.event;
  }

  return {
    produced,
    outbox,
    write,
    async writeMany(n) {
      for (let i = 0; i < n; i += 1) await write();
    },
    keepWriting(intervalMs) {
      let stopped = false;
      const loop = (async () => {
        while (!stopped) {
          await write();
          await sleep(intervalMs);
        }
      })();
      return {
        async stop() {
          stopped = true;
          await loop;
        },
      };
    },
    async writeRaw(event) {
      await outbox.insert(
        sectors as never,
        { _id: event.subject, name: 'poison', revision: 0 },
        [event],
      );
    },
  };
}

/** The figures of one run of the pipeline. */
export interface Tally {
  produced: number;
  /** Produced events never applied to the read model. */
  lost: number;
  /** Produced events applied more than once. */
  appliedTwice: number;
  /** Aggregates whose events are still pending in their outbox, and good events dead-lettered. */
  halfDone: number;
  /** Every DLQ entry, good or not. */
  deadLettered: number;
  /** Applied events the writer never wrote (must be none). */
  unknownApplied: number;
  details: string[];
}

/** Counts what reached the read model against what was written. */
export async function tally(options: {
  produced: readonly EventEnvelope[];
  sectors: Collection<SectorDoc>;
  views: Collection<SectorView>;
  kafka: KafkaClient;
  dlqTopic: string;
}): Promise<Tally> {
  const applied = new Map<string, number>();
  for (const view of await options.views.find().toArray())
    for (const [id, times] of Object.entries(view.applications ?? {}))
      applied.set(id, (applied.get(id) ?? 0) + times);
  const producedIds = new Set(options.produced.map((e) => e.id));
  const details: string[] = [];
  let lost = 0;
  let twice = 0;
  for (const id of producedIds) {
    const times = applied.get(id) ?? 0;
    if (times === 0) lost += 1;
    if (times > 1) twice += 1;
  }
  const unknownApplied = [...applied.keys()].filter(
    (id) => !producedIds.has(id),
  ).length;
  const pending = await options.sectors.countDocuments({
    outboxPending: true,
  });
  const stranded = await options.sectors.countDocuments({
    outboxPending: { $ne: true },
    'outbox.0': { $exists: true },
  });
  const dlq = await listDlq(options.kafka, options.dlqTopic, {
    limit: 10_000,
  });
  const goodDeadLettered = dlq.entries.filter((entry) => {
    try {
      return producedIds.has(
        (JSON.parse(entry.value ?? '') as { id: string }).id,
      );
    } catch {
      return false;
    }
  }).length;
  if (lost > 0) details.push(`${lost} produced events never applied`);
  if (twice > 0) details.push(`${twice} events applied more than once`);
  if (pending > 0)
    details.push(`${pending} aggregates with events still pending`);
  if (stranded > 0)
    details.push(
      `${stranded} aggregates with events in their outbox but no pending marker (never relayed)`,
    );
  if (goodDeadLettered > 0)
    details.push(`${goodDeadLettered} good events dead-lettered`);
  if (unknownApplied > 0)
    details.push(`${unknownApplied} applied events the writer never wrote`);
  return {
    produced: producedIds.size,
    lost,
    appliedTwice: twice,
    halfDone: pending + stranded + goodDeadLettered,
    deadLettered: dlq.messages,
    unknownApplied,
    details,
  };
}

/** Thrown when the pipeline did not catch up before its deadline: the scenario fails loudly. */
export class NotCaughtUpError extends Error {}

/**
 * Waits until nothing is pending in the outbox and the group's lag is 0 —
 * in that order: the relay clears a marker only after Kafka acknowledged
 * the events, so a lag read after an empty backlog covers them all. Polls
 * every 500 ms; throws {@link NotCaughtUpError} after `deadlineMs`.
 */
export async function waitCaughtUp(options: {
  sectors: Collection<SectorDoc>;
  /** Lag of the read model's group (an unstarted consumer's `lag()` reads it over the admin API). */
  lag: () => Promise<number>;
  deadlineMs: number;
  say?: (line: string) => void;
}): Promise<number> {
  const started = Date.now();
  let lastReport = started;
  let last = '';
  for (;;) {
    try {
      const pending = await options.sectors.countDocuments({
        outboxPending: true,
      });
      const lag = pending === 0 ? await options.lag() : -1;
      last = `outbox backlog ${pending}, lag ${lag < 0 ? '?' : lag}`;
      if (pending === 0 && lag === 0) return Date.now() - started;
    } catch (error) {
      last = `not answering: ${String(error).slice(0, 200)}`;
    }
    if (Date.now() - started > options.deadlineMs)
      throw new NotCaughtUpError(
        `did not catch up within ${Math.round(options.deadlineMs / 1_000)} s (${last})`,
      );
    if (options.say && Date.now() - lastReport > 15_000) {
      options.say(`  … waiting to catch up: ${last}`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
}

/** The read-model group's lag, read like `EventConsumer.lag()` with a consumer that never joins. */
export function lagProbe(
  names: WorldNames,
  views: Collection<SectorView>,
  kafka: KafkaClient,
  logger: Logger,
): () => Promise<number> {
  const probe = readModelConsumer(names, views, kafka, logger, 'message');
  return async () => (await probe.lag()).total;
}
