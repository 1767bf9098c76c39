import { isolatedInfra } from '@conecta/devstack';
import { MongoClient } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import {
  OUTBOX_FIELD,
  createKafka,
  createOutboxRelay,
  createOutboxWriter,
  newDocWithOutbox,
  topicFor,
  withOutbox,
} from '../src';
import type { EventEnvelope, KafkaClient, OutboxRelay } from '../src';
import { committeesMother } from './fixtures/committeesMother';
import { spawnRelayProcess } from './support/child';
import {
  eventually,
  mongoIsFerretDb,
  observeTopics,
  settle,
  testLogger,
} from './support/observe';
import type { TopicObserver } from './support/observe';

interface OrganizationDoc {
  _id: string;
  name: string;
  outbox?: EventEnvelope[];
}

const onFerretDb = mongoIsFerretDb();

describe('outbox relay', () => {
  const infra = isolatedInfra('events_relay');
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
      clientId: 'relay-test',
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

  const eventsOf = (subject: string) =>
    observer.messages
      .map((m) => ({
        ...m,
        event: JSON.parse(m.value ?? 'null') as EventEnvelope,
      }))
      .filter((m) => m.event.subject === subject);

  it('publishes an event written with a state change, keyed by the aggregate id', async () => {
    const organizations: Collection<OrganizationDoc> =
      db.collection('organizations');
    const registered = committeesMother.organizationRegistered();
    await organizations.insertOne(
      newDocWithOutbox(
        { _id: registered.subject, name: registered.data.name },
        [registered],
      ),
    );
    const renamed = committeesMother.organizationRegistered({
      subject: registered.subject,
      name: 'CANIETI Occidente',
    });
    const update = await organizations.updateOne(
      { _id: registered.subject },
      withOutbox({ $set: { name: 'CANIETI Occidente' } }, [renamed]),
    );
    expect(update.modifiedCount).toBe(1);

    const relay = createOutboxRelay({
      kafka,
      collections: [organizations],
      topic,
      logger,
    });
    relays.push(relay);
    await relay.start();

    await eventually(
      () => eventsOf(registered.subject).length >= 2,
      20_000,
      'both events',
    );
    const seen = eventsOf(registered.subject);
    expect(seen.map((m) => m.event.id)).toEqual([registered.id, renamed.id]);
    expect(seen.every((m) => m.key === registered.subject)).toBe(true);
    expect(seen[0].headers['event-type']).toBe(
      'committees.OrganizationRegistered',
    );
    expect(seen[0].event).toEqual(registered);

    await eventually(
      async () => {
        const doc = await organizations.findOne({ _id: registered.subject });
        return (
          doc?.[OUTBOX_FIELD]?.length === 0 && doc.name === 'CANIETI Occidente'
        );
      },
      10_000,
      'the outbox to be emptied',
    );
    expect(relay.readiness().ok).toBe(true);
    expect(relay.stats.published).toBe(2);
    await relay.stop();
  });

  it("goes on with every other document, of every collection, when Kafka refuses one document's events for good", async () => {
    const organizations: Collection<OrganizationDoc> = db.collection(
      'organizations_refused',
    );
    const sectors: Collection<OrganizationDoc> =
      db.collection('sectors_refused');
    // An event over the broker's 1 MB message limit: Kafka will never take it.
    const oversized = committeesMother.organizationRegistered();
    const huge = {
      ...oversized,
      data: { ...oversized.data, name: 'x'.repeat(1_200_000) },
    };
    const before = committeesMother.organizationRegistered();
    const after = committeesMother.organizationRegistered();
    const elsewhere = committeesMother.organizationRegistered();
    for (const [collection, event] of [
      [organizations, before],
      [organizations, huge],
      [organizations, after],
      [sectors, elsewhere],
    ] as const)
      await collection.insertOne(
        newDocWithOutbox({ _id: event.subject, name: 'n' }, [event]),
      );

    const relay = createOutboxRelay({
      kafka,
      collections: [organizations, sectors],
      topic,
      logger,
    });
    relays.push(relay);
    await relay.start();

    // At least once: Kafka may have written the request's other partitions
    // before refusing the oversized one, and the documents sent again one by
    // one then arrive twice (consumers drop the copy by event id).
    for (const event of [before, after, elsewhere])
      await eventually(
        () => eventsOf(event.subject).length >= 1,
        20_000,
        "the other documents' events",
      );
    await eventually(
      () => relay.stats.refusedDocuments === 1,
      10_000,
      'the refused document to be reported',
    );
    expect(eventsOf(huge.subject)).toEqual([]);
    expect(relay.readiness()).toMatchObject({
      ok: false,
      detail: { refusedDocuments: 1, consecutiveFailures: 0 },
    });
    // Its events stay in it, for a fix and a later try.
    const kept = await organizations.findOne({ _id: huge.subject });
    expect(kept?.[OUTBOX_FIELD]?.map((e) => e.id)).toEqual([huge.id]);

    // Once the document no longer waits (here: removed), the relay is ready again.
    await organizations.deleteOne({ _id: huge.subject });
    await eventually(() => relay.readiness().ok, 15_000, 'readiness');
    await relay.stop();
  });

  it('sends an aggregate kept as one document per revision in the order its events were written, whatever order the server returns the documents in', async () => {
    // As committees stores a committee: each change inserts a revision document
    // with that change's events. Revision 2's document is inserted first, so
    // the server's natural order returns it before revision 1's.
    const revisions: Collection<{ _id: string }> = db.collection('revisions');
    const first = committeesMother.organizationRegistered();
    const second = committeesMother.organizationRegistered({
      subject: first.subject,
      name: 'CANIETI Occidente',
    });
    expect(first.id < second.id).toBe(true);
    await revisions.insertOne(
      newDocWithOutbox({ _id: `${first.subject}:2` }, [second]),
    );
    await revisions.insertOne(
      newDocWithOutbox({ _id: `${first.subject}:1` }, [first]),
    );
    const relay = createOutboxRelay({
      kafka,
      collections: [revisions],
      topic,
      logger,
    });
    relays.push(relay);
    await relay.start();
    await eventually(
      () => eventsOf(first.subject).length >= 2,
      20_000,
      "both revisions' events",
    );
    expect(eventsOf(first.subject).map((m) => m.event.id)).toEqual([
      first.id,
      second.id,
    ]);
    await relay.stop();
  });

  it('a relay killed between write and publish publishes the event after restart', async () => {
    const env = {
      MONGODB_URI: infra.mongoUri,
      DB_NAME: infra.dbName,
      COLLECTION: 'crashing_organizations',
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      TOPIC: topic,
    };
    // A relay process is running, then dies hard (SIGKILL: no flush, no cleanup).
    const first = spawnRelayProcess('relay', env);
    await first.waitForLine(/^ready$/);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    // A writer commits state + event, and dies before anything could publish it.
    const writer = spawnRelayProcess('write-then-die', env);
    const { eventId, subject } = JSON.parse(
      await writer.waitForLine(/eventId/),
    ) as {
      eventId: string;
      subject: string;
    };
    expect(await writer.exited).toBe('SIGKILL');
    const pending = await db
      .collection('crashing_organizations')
      .findOne({ _id: subject as never });
    expect(pending?.[OUTBOX_FIELD]).toHaveLength(1);
    expect(eventsOf(subject)).toHaveLength(0);

    // A new relay process publishes it, once.
    const second = spawnRelayProcess('relay', env);
    try {
      await second.waitForLine(/^ready$/);
      await eventually(
        () => eventsOf(subject).length >= 1,
        20_000,
        'the event after restart',
      );
      await settle(1_500);
      expect(eventsOf(subject).map((m) => m.event.id)).toEqual([eventId]);
      await eventually(
        async () => {
          const doc = await db
            .collection('crashing_organizations')
            .findOne({ _id: subject as never });
          return (
            doc?.[OUTBOX_FIELD]?.length === 0 && doc.outboxPending === false
          );
        },
        10_000,
        'the outbox to be emptied',
      );
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
  });

  // FerretDB 1.x replaces a document on update without a lock: without the
  // writer's per-document lock, the relay's cleanup of sent events could
  // overwrite a service write that landed in between.
  it('keeps every service write to a document while the relay is cleaning it, and publishes each event once', async () => {
    const organizations = db.collection('busy_organizations');
    const writer = createOutboxWriter();
    const relay = createOutboxRelay({
      kafka,
      collections: [organizations],
      topic,
      logger,
      pollIntervalMs: 5,
      writer,
    });
    relays.push(relay);
    await relay.start();
    const first = committeesMother.organizationRegistered();
    await writer.insert(
      organizations,
      { _id: first.subject, names: [first.data.name] },
      [first],
    );
    const expectedIds = [first.id];
    const names = [first.data.name];
    for (let i = 0; i < 30; i += 1) {
      const next = committeesMother.organizationRegistered({
        subject: first.subject,
        name: `name ${i}`,
      });
      expectedIds.push(next.id);
      names.push(next.data.name);
      const result = await writer.update(
        organizations,
        { _id: first.subject },
        { $push: { names: next.data.name } },
        [next],
      );
      expect(result.matchedCount).toBe(1);
    }
    await eventually(
      () => eventsOf(first.subject).length >= expectedIds.length,
      30_000,
      'every event',
    );
    await relay.flush();
    const doc = await organizations.findOne({ _id: first.subject as never });
    expect(doc?.names).toEqual(names);
    expect(doc?.outbox).toEqual([]);
    expect(eventsOf(first.subject).map((m) => m.event.id)).toEqual(expectedIds);
  });

  // A bulk import writes thousands of documents at once; the relay settles them
  // in batches, and a document that gains an event meanwhile keeps it.
  it('drains a bulk insert of many documents, keeping events written meanwhile, each published once', async () => {
    const imported = db.collection('imported_organizations');
    const writer = createOutboxWriter();
    const registered = Array.from({ length: 300 }, () =>
      committeesMother.organizationRegistered(),
    );
    await imported.insertMany(
      registered.map((event) =>
        newDocWithOutbox({ _id: event.subject, revision: 0 }, [event]),
      ) as unknown as Document[],
    );
    const relay = createOutboxRelay({
      kafka,
      collections: [imported],
      topic,
      logger,
      pollIntervalMs: 5,
      writer,
    });
    relays.push(relay);
    await relay.start();
    const renamed = [];
    for (const first of registered.slice(0, 30)) {
      const next = committeesMother.organizationRegistered({
        subject: first.subject,
        name: 'renamed',
      });
      renamed.push(next);
      await writer.update(
        imported,
        { _id: first.subject },
        { $inc: { revision: 1 } },
        [next],
      );
    }
    const expected = [...registered, ...renamed].map((e) => e.id);
    const seen = () =>
      registered.flatMap((e) => eventsOf(e.subject).map((m) => m.event.id));
    await eventually(
      () => seen().length >= expected.length,
      60_000,
      'every event',
    );
    await relay.flush();
    expect(seen().sort()).toEqual([...expected].sort());
    expect(await imported.countDocuments({ outboxPending: true })).toBe(0);
    expect(
      await imported.countDocuments({ [OUTBOX_FIELD]: { $size: 0 } }),
    ).toBe(300);
    expect(await imported.countDocuments({ revision: 1 })).toBe(30);
  }, 90_000);

  // Imports write hundreds of new documents in one insertMany: the writer
  // wakes the relay for them as for any write, so they do not wait for a poll.
  it('publishes a bulk insert through the writer at once, and reports the documents a unique index refused while writing the others', async () => {
    const bulk = db.collection('bulk_organizations');
    const writer = createOutboxWriter();
    const taken = committeesMother.organizationRegistered();
    await bulk.insertOne({ _id: taken.subject } as unknown as Document);
    const relay = createOutboxRelay({
      kafka,
      collections: [bulk],
      topic,
      logger,
      // Only a wake-up can publish within the test's wait.
      pollIntervalMs: 600_000,
      writer,
    });
    relays.push(relay);
    await relay.start();
    const fresh = Array.from({ length: 20 }, () =>
      committeesMother.organizationRegistered(),
    );
    const items = [...fresh.slice(0, 10), taken, ...fresh.slice(10)].map(
      (event) => ({ doc: { _id: event.subject }, events: [event] }),
    );
    const refused = await writer.insertMany(bulk, items);
    expect([...refused]).toEqual([10]);
    await eventually(
      () => fresh.every((e) => eventsOf(e.subject).length === 1),
      20_000,
      'the bulk-inserted events',
    );
    expect(eventsOf(taken.subject)).toEqual([]);
    expect(await bulk.countDocuments({})).toBe(21);
    await relay.stop();
  });

  // Leases need an atomic findAndModify. FerretDB 1.x reads then replaces a
  // document without a lock, so there the relay must run without them (one relay
  // per collection); on MongoDB it claims documents with leases.
  it('claims documents with leases only where single-document updates are atomic', async () => {
    const relay = createOutboxRelay({
      kafka,
      collections: [db.collection('lease_probe')],
      topic,
      logger,
    });
    relays.push(relay);
    await relay.start();
    expect(relay.readiness().detail.leases).toBe(!onFerretDb);
    await relay.stop();
  });
});
