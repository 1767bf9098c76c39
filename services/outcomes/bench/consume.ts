import { ensureInfra, isolatedInfra } from '@conecta/devstack';
import {
  createKafka,
  createOutboxWriter,
  topicFor,
  type KnownEvent,
} from '@conecta/events';
import { createLogger, createMongo } from '@conecta/service-kit';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createBatchApplier, sourceKey } from '../src/events/apply';
import { BATCH_EVENTS, SOURCES } from '../src/events/consumer';
import { createOutcomesFeed } from '../src/events/feed';
import { planBatch } from '../src/events/plan';
import {
  createStores,
  readModelsOf,
  storesAt,
  syncIndexes,
  syncReadModelIndexes,
} from '../src/store';
import { eventMother as events } from '../test/fixtures/mothers';

// `npm run bench -w @conecta/outcomes` (or the root `npm run bench`): the
// outcomes consumer against the local Kafka and MongoDB-wire server (devstack,
// started or reused), on an isolated database and topic prefix. Publishes
// BENCH_EVENTS (default 10 000) contract-valid events shaped like the demo's
// history while the consumer runs, and reports: events/s from the first write
// until the read models hold all of them, and how long after the last write
// the consumer caught up (lag 0); then a rebuild of the same history into a
// new generation (replay to swap); then the applier alone, without Kafka, on
// the same history cut as a replay's fetches are (the database's share of the
// cost, and bucket writes per event). Prints figures; asserts only that every
// counting event reached the ledger once.
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
// Messages per producer request: the demo's services publish in relay batches.
const SEND_CHUNK = 500;
// What kafkajs fetches per partition at most (its default maxBytesPerPartition).
const FETCH_BYTES = 1_048_576;
const PARTITIONS = 3;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/** A demo-like history: a catalog, then demand, training, certificates and revocations over 2019–2025. */
function history(n: number): KnownEvent[] {
  const published = Array.from({ length: 40 }, (_, i) =>
    events.standardPublished(
      `EC${String(1_000 + i).padStart(4, '0')}`,
      '2018-06-01T12:00:00.000Z',
    ),
  );
  const standardIds = published.map((p) => p.data.id);
  const credentials = standardIds
    .slice(0, 10)
    .map((id) => events.credentialRegistered(id));
  const cohorts = Array.from({ length: 80 }, (_, i) =>
    events.cohortScheduled({ standardId: pick(standardIds, i) }),
  );
  const list: KnownEvent[] = [...published, ...credentials, ...cohorts];
  const states = ['MX-JAL', 'MX-NLE', 'MX-BCN', 'MX-CMX', 'MX-QUE'] as const;
  const at = (i: number) =>
    `20${19 + (i % 7)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}T12:00:00.000Z`;
  const enrolled: Array<ReturnType<typeof events.enrolled>> = [];
  const issued: Array<ReturnType<typeof events.certificateIssued>> = [];
  for (let i = 0; list.length < n; i += 1) {
    const standardId = pick(standardIds, i * 7);
    switch (i % 20) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        list.push(
          events.demandRequested(at(i), 5 + (i % 40), {
            standardId,
            state: pick(states, i),
          }),
        );
        break;
      case 5:
      case 6:
      case 7:
      case 8:
      case 9:
      case 10:
      case 11: {
        const cohort = pick(cohorts, i);
        const e = events.enrolled(
          cohort.data.id,
          cohort.data.standardId!,
          at(i),
        );
        enrolled.push(e);
        list.push(e);
        break;
      }
      case 12:
      case 13:
      case 14:
      case 15:
        if (enrolled.length > 0)
          list.push(events.completed(enrolled.shift()!, at(i)));
        break;
      case 16:
        if (enrolled.length > 0)
          list.push(events.dropped(enrolled.shift()!, at(i)));
        break;
      case 17:
      case 18: {
        const e = events.certificateIssued(standardId, at(i), uuidv7());
        issued.push(e);
        list.push(e);
        break;
      }
      default:
        if (issued.length > 0)
          list.push(
            events.certificateRevoked(issued.shift()!, '2025-12-01T12:00:00Z'),
          );
        break;
    }
  }
  return list;
}

/**
 * `list` as a replay's consumer gets it: per topic partition (kafkajs' default
 * partitioner on the subject, as the relays key messages), each partition's
 * fetches at most FETCH_BYTES, cut into batches of at most BATCH_EVENTS; one
 * batch of every partition in turn, as one fetch of all partitions is handled.
 */
function replayBatches(
  list: readonly KnownEvent[],
  prefix: string,
): Array<{ source: string; events: KnownEvent[] }> {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, id) => ({
    partitionErrorCode: 0,
    partitionId: id,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  const queues = new Map<
    string,
    Array<{ source: string; events: KnownEvent[] }>
  >();
  const open = new Map<string, { bytes: number; events: KnownEvent[] }>();
  for (const event of list) {
    const topic = topicFor(event.source as (typeof SOURCES)[number], prefix);
    const value = JSON.stringify(event);
    const partition = partitioner({
      topic,
      partitionMetadata,
      message: { key: event.subject, value },
    });
    const source = sourceKey(topic, partition);
    const queue = queues.get(source) ?? [];
    queues.set(source, queue);
    let batch = open.get(source);
    if (
      !batch ||
      batch.bytes + value.length > FETCH_BYTES ||
      batch.events.length >= BATCH_EVENTS
    ) {
      batch = { bytes: 0, events: [] };
      open.set(source, batch);
      queue.push({ source, events: batch.events });
    }
    batch.bytes += value.length;
    batch.events.push(event);
  }
  const rounds: Array<{ source: string; events: KnownEvent[] }> = [];
  const total = [...queues.values()].reduce((n, q) => n + q.length, 0);
  for (let i = 0; rounds.length < total; i += 1)
    for (const queue of queues.values()) if (queue[i]) rounds.push(queue[i]!);
  return rounds;
}

const COUNTING = new Set([
  'training.DemandRequested',
  'training.ParticipantEnrolled',
  'training.EnrollmentCompleted',
  'training.EnrollmentDropped',
  'certification.CertificateIssued',
  'certification.CertificateRevoked',
]);

async function main(): Promise<void> {
  const endpoints = await ensureInfra();
  const infra = isolatedInfra('outcomes_bench', {
    MONGODB_URI: endpoints.mongoUri,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
  });
  const logger = createLogger({ name: 'outcomes-bench', level: 'error' });
  const mongo = createMongo({ uri: infra.mongoUri, logger });
  await mongo.start();
  const stores = createStores(mongo.connection, createOutboxWriter());
  await syncIndexes(stores);
  const kafka = createKafka({
    brokers: infra.kafkaBrokers,
    clientId: 'outcomes-bench',
    logger,
  });
  const feed = createOutcomesFeed({
    kafka,
    topicPrefix: infra.topicPrefix,
    logger,
    stores,
  });
  const raw = new Kafka({
    clientId: 'outcomes-bench-publisher',
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = raw.producer();
  const list = history(EVENTS);
  const counting = list.filter((e) => COUNTING.has(e.type)).length;
  const ledgerSize = () =>
    readModelsOf(storesAt(stores, feed.serving())).ledger.model.countDocuments(
      {},
    );
  const waitUntil = async (check: () => Promise<boolean>) => {
    while (!(await check()))
      await new Promise((resolve) => setTimeout(resolve, 100));
  };
  const seconds = (ms: number) => (ms / 1_000).toFixed(1);
  try {
    await producer.connect();
    await feed.start();
    console.log(
      `outcomes bench: ${list.length} events (${counting} counting), ${SOURCES.length} topics × 3 partitions, prefix ${infra.topicPrefix}`,
    );

    // Live: the consumer runs while the history is written as fast as Kafka takes it.
    const firstWrite = Date.now();
    for (let i = 0; i < list.length; i += SEND_CHUNK) {
      const chunk = list.slice(i, i + SEND_CHUNK);
      const bySource = new Map<string, KnownEvent[]>();
      for (const e of chunk)
        bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
      for (const [source, batch] of bySource)
        await producer.send({
          topic: topicFor(
            source as (typeof SOURCES)[number],
            infra.topicPrefix,
          ),
          messages: batch.map((e) => ({
            key: e.subject,
            value: JSON.stringify(e),
          })),
        });
    }
    const lastWrite = Date.now();
    await waitUntil(async () => (await feed.lag()).total === 0);
    const caughtUp = Date.now();
    const applied = await ledgerSize();
    if (applied !== counting)
      throw new Error(`ledger holds ${applied}, expected ${counting}`);
    console.log(
      `live: written in ${seconds(lastWrite - firstWrite)} s; consumed ${list.length} events in ${seconds(caughtUp - firstWrite)} s = ${Math.round(list.length / ((caughtUp - firstWrite) / 1_000))} events/s; caught up ${seconds(caughtUp - lastWrite)} s after the last write`,
    );

    // Rebuild: the same history replayed into a new generation, swapped in at lag 0.
    const rebuildStart = Date.now();
    const generation = await feed.rebuild();
    await feed.swapped();
    const rebuilt = Date.now() - rebuildStart;
    const replayed = await ledgerSize();
    if (replayed !== counting)
      throw new Error(`rebuilt ledger holds ${replayed}, expected ${counting}`);
    console.log(
      `rebuild: generation ${generation} replayed ${list.length} events and swapped in ${seconds(rebuilt)} s = ${Math.round(list.length / (rebuilt / 1_000))} events/s`,
    );

    // The applier alone: no Kafka, a fresh set of collections, the same batches.
    const models = stores.readModelsAt('_applier');
    await syncReadModelIndexes(models);
    const applier = createBatchApplier(models);
    const batches = replayBatches(list, infra.topicPrefix);
    const bucketWrites = batches.reduce(
      (n, b) => n + planBatch(b.events).buckets.length,
      0,
    );
    const applyStart = Date.now();
    const cpuBefore = process.cpuUsage();
    for (const { source, events: batch } of batches)
      await applier.apply(batch, source);
    const applying = Date.now() - applyStart;
    // This process's CPU (planning, BSON, the driver): the rest is waiting on the database.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1_000;
    const recorded = await models.ledger.model.countDocuments({});
    if (recorded !== counting)
      throw new Error(
        `applier's ledger holds ${recorded}, expected ${counting}`,
      );
    console.log(
      `applier alone: ${list.length} events in ${batches.length} batches (≤ ${BATCH_EVENTS} events, ≤ 1 MB per partition fetch) applied in ${seconds(applying)} s = ${Math.round(list.length / (applying / 1_000))} events/s (this process's CPU ${seconds(cpuMs)} s); ${(bucketWrites / list.length).toFixed(2)} bucket writes per event`,
    );
  } finally {
    await feed.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    const admin = raw.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) =>
      t.startsWith(infra.topicPrefix),
    );
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await mongo.stop().catch(() => undefined);
    await infra.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
