/**
 * A relay (or a writer) in its own process, so a test can SIGKILL it like a
 * crashing pod. Run with `node --import tsx`. Modes (argv[2]):
 * - `write-then-die`: writes an aggregate with a pending event, then kills itself
 *   with SIGKILL before any relay could publish it (prints the event id first);
 * - `relay`: runs a relay until SIGTERM (prints "ready" once started).
 * Settings come from the environment: MONGODB_URI, DB_NAME, COLLECTION, KAFKA_BROKERS, TOPIC.
 */
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import {
  OrganizationRegisteredV1,
  createKafka,
  createOutboxRelay,
  newDocWithOutbox,
  newEvent,
} from '../../src';
import { committeesMother } from '../fixtures/committeesMother';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const client = await MongoClient.connect(env.MONGODB_URI);
  const collection = client.db(env.DB_NAME).collection(env.COLLECTION);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  if (process.argv[2] === 'write-then-die') {
    const data = committeesMother.organizationData();
    const event = newEvent(OrganizationRegisteredV1, {
      subject: data.id,
      data,
    });
    await collection.insertOne(
      newDocWithOutbox({ _id: data.id as unknown as never, ...data }, [event]),
    );
    await new Promise((resolve) =>
      process.stdout.write(
        `${JSON.stringify({ eventId: event.id, subject: data.id })}\n`,
        resolve,
      ),
    );
    // The crash this test is about: the state write is durable, the publish never happens.
    process.kill(process.pid, 'SIGKILL');
    return;
  }

  const kafka = createKafka({
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: 'relay-process',
    logger,
  });
  const relay = createOutboxRelay({
    kafka,
    collections: [collection],
    topic: env.TOPIC,
    logger,
    pollIntervalMs: 100,
  });
  await relay.start();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void relay
      .stop()
      .then(() => client.close())
      .then(() => process.exit(0));
  });
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
