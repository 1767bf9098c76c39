/**
 * A batch-mode consumer in its own process, so a test can kill it hard
 * mid-batch. Run with `node --import tsx`. It projects sectors into
 * VIEWS with `applyOnce`, counting applications in the same update
 * (`timesApplied`). With KILL_AFTER=n it SIGKILLs itself right after applying
 * its n-th event, inside a chunk whose offsets are not committed yet. Prints
 * "ready" once started, and "handled <n>" when stopped with SIGTERM.
 * Settings: MONGODB_URI, DB_NAME, VIEWS, KAFKA_BROKERS, TOPIC, DLQ_TOPIC, GROUP_ID.
 */
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { applyOnce, createEventConsumer, createKafka } from '../../src';
import type { EventEnvelope } from '../../src';
import type { SectorView } from './observe';

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const client = await MongoClient.connect(env.MONGODB_URI);
  const views = client.db(env.DB_NAME).collection<SectorView>(env.VIEWS);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const killAfter = Number(env.KILL_AFTER ?? 'Infinity');
  let applied = 0;
  const consumer = createEventConsumer({
    kafka: createKafka({
      brokers: env.KAFKA_BROKERS.split(','),
      clientId: 'consumer-process',
      logger,
    }),
    groupId: env.GROUP_ID,
    topics: [env.TOPIC],
    dlqTopic: env.DLQ_TOPIC,
    logger,
    // The member a SIGKILL leaves behind expires soon, so the next one gets its partitions.
    sessionTimeoutMs: 6_000,
    batch: {
      types: ['committees.SectorRegistered'],
      maxEvents: 50,
      handle: async (events) => {
        for (const event of events as EventEnvelope<{ name: string }>[]) {
          await applyOnce(
            views,
            { _id: event.subject },
            { $set: { name: event.data.name }, $inc: { timesApplied: 1 } },
            event.id,
            { upsert: true },
          );
          applied += 1;
          // The crash this test is about: effects written, offsets not committed.
          if (applied === killAfter) process.kill(process.pid, 'SIGKILL');
        }
      },
    },
  });
  await consumer.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void consumer
      .stop()
      .then(() => client.close())
      .then(
        () =>
          new Promise((resolve) =>
            process.stdout.write(
              `handled ${consumer.stats.handled}\n`,
              resolve,
            ),
          ),
      )
      .then(() => process.exit(0));
  });
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
