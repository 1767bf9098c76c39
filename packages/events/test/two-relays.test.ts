import { isolatedInfra } from '@conecta/devstack';
import { MongoClient } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import {
  OUTBOX_FIELD,
  createKafka,
  createOutboxRelay,
  createOutboxWriter,
  topicFor,
} from '../src';
import type { EventEnvelope, KafkaClient, OutboxRelay } from '../src';
import { committeesMother } from './fixtures/committeesMother';
import { eventually, observeTopics, testLogger } from './support/observe';
import type { TopicObserver } from './support/observe';

/**
 * The collection as relay B sees it: the real one, except that, once armed,
 * `afterRead` runs right after B's claim has read pending documents — the
 * moment another relay and a service write can slip in before B cleans up,
 * made certain instead of rare. It runs once.
 */
function pausedAfterRead(
  collection: Collection<Document>,
  afterRead: () => Promise<void>,
): { collection: Collection<Document>; arm(): void } {
  let armed = false;
  const wrapCursor = <C extends object>(cursor: C): C => {
    const proxy: C = new Proxy(cursor, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'toArray')
          return async () => {
            const docs = (await (value as () => Promise<unknown[]>).call(
              target,
            )) as unknown[];
            if (armed && docs.length > 0) {
              armed = false;
              await afterRead();
            }
            return docs;
          };
        // Chained calls (limit, project) keep returning the wrapped cursor.
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(
            target,
            args,
          );
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  const wrapped = new Proxy(collection, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'find')
        return (...args: unknown[]) =>
          wrapCursor(
            (value as (...a: unknown[]) => object).apply(target, args),
          );
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { collection: wrapped, arm: () => (armed = true) };
}

// Two relays on one collection (two replicas of a service) run without leases
// on FerretDB. Each reads a document's pending events, sends them, then empties
// the array if it still holds what it read. Judged by the array's length alone,
// an array the other relay had already emptied and a service had refilled with
// as many new events looked unchanged: the new events were dropped unsent, or
// kept without their pending marker (never sent). Found by the fault suite.
describe('two relays on one collection', () => {
  const infra = isolatedInfra('events_two_relays');
  const topic = topicFor('committees', infra.topicPrefix);
  const logger = testLogger();
  let client: MongoClient;
  let db: Db;
  let kafka: KafkaClient;
  let observer: TopicObserver;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    client = await MongoClient.connect(infra.mongoUri);
    db = client.db(infra.dbName);
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'two-relays-test',
      logger,
    });
    observer = await observeTopics(
      infra.kafkaBrokers,
      [topic],
      `${infra.groupIdPrefix}observer`,
    );
  });

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await observer?.stop();
    await client?.close();
    await infra.cleanup();
  });

  it('publishes the events a service writes while the other relay cleans the same document, and leaves none without its marker', async () => {
    const sectors = db.collection('sectors');
    // A service replica's writer; each relay has a lock of its own, as in
    // another process.
    const service = createOutboxWriter();
    const first = committeesMother.organizationRegistered();
    const subject = first.subject;
    const next = () => committeesMother.organizationRegistered({ subject });
    const written: EventEnvelope[] = [first];
    const append = async (count: number) => {
      const events = Array.from({ length: count }, next);
      written.push(...events);
      await service.update(sectors, { _id: subject }, { $set: {} }, events);
    };
    const relayA = createOutboxRelay({
      kafka,
      collections: [sectors],
      topic,
      logger,
      leases: false,
      pollIntervalMs: 60_000,
    });
    // B has read [e1]; before it cleans up, A sends and removes e1 and the
    // service appends e2: the array has the length B read, and other events.
    let interleaved = false;
    const seenByB = pausedAfterRead(sectors, async () => {
      await relayA.flush();
      await append(1);
      interleaved = true;
    });
    const relayB = createOutboxRelay({
      kafka,
      collections: [seenByB.collection],
      topic,
      logger,
      leases: false,
      pollIntervalMs: 60_000,
    });
    relays.push(relayA, relayB);
    await relayA.start();
    await relayB.start();
    // Each relay's first cycle (at start) is over: from now on they send only when flushed.
    await eventually(
      () =>
        relayA.stats.pendingDocuments !== null &&
        relayB.stats.pendingDocuments !== null,
      10_000,
      'the relays to finish their first cycle',
    );
    await service.insert(sectors, { _id: subject }, [first]);
    seenByB.arm();
    await relayB.flush();
    // Whatever is still pending goes out on the next cycle of either relay.
    await relayA.flush();

    const ids = written.map((e) => e.id);
    await eventually(
      () =>
        ids.every((id) =>
          observer.messages.some(
            (m) => (JSON.parse(m.value ?? '{}') as EventEnvelope).id === id,
          ),
        ),
      20_000,
      `all ${ids.length} events on the topic`,
    );
    expect(interleaved).toBe(true);
    const doc = await sectors.findOne({ _id: subject as never });
    expect(doc?.[OUTBOX_FIELD]).toEqual([]);
    expect(doc?.outboxPending).toBe(false);
  });
});
