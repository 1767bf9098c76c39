import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer, IHeaders, Producer } from 'kafkajs';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { createMissingTopics } from '../../src/kafka';

/** Test logger: silent unless TEST_LOG_LEVEL is set (e.g. `debug` when a test misbehaves). */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/**
 * A plain kafkajs producer, connected: puts on a topic exactly what a test
 * wants there (duplicates, poison, other versions), past the outbox.
 */
export async function rawProducer(brokers: string[]): Promise<Producer> {
  const producer = new Kafka({
    clientId: 'raw-producer',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  return producer;
}

/** The read model the consumer tests project sectors into. */
export interface SectorView {
  _id: string;
  name: string;
  timesApplied: number;
  appliedEventIds?: string[];
}

/** A message as it really reached Kafka. */
export interface ObservedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** An independent kafkajs consumer that records everything on `topics`, from the beginning. */
export interface TopicObserver {
  readonly messages: ObservedMessage[];
  /** Resolves once `count` messages were seen; rejects after `timeoutMs`. */
  waitForCount(count: number, timeoutMs?: number): Promise<ObservedMessage[]>;
  stop(): Promise<void>;
}

function headersToStrings(
  headers: IHeaders | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value)
      ? value.map(String).join(',')
      : value.toString();
  }
  return out;
}

export async function observeTopics(
  brokers: string[],
  topics: string[],
  groupId: string,
): Promise<TopicObserver> {
  const kafka = new Kafka({
    clientId: 'test-observer',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({ groupId });
  const messages: ObservedMessage[] = [];
  // As the services do: created if missing, and only once their partitions
  // have leaders (subscribing before that fails on a busy broker).
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createMissingTopics(admin, topics);
  } finally {
    await admin.disconnect();
  }
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: headersToStrings(message.headers),
      });
    },
  });
  return {
    messages,
    async waitForCount(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `saw ${messages.length} of ${count} messages on ${topics.join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return messages;
    },
    stop: () => consumer.disconnect(),
  };
}

/** Polls `check` until it returns a truthy value; rejects after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves after `ms`: to prove nothing more arrives. */
export const settle = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether MONGODB_URI points at FerretDB, decided synchronously so a test can
 * pick what to expect at load time (FerretDB 1.x updates are read-then-replace
 * without a lock, so tests of concurrent writers to one document cannot hold there).
 */
export function mongoIsFerretDb(): boolean {
  const uri = process.env.MONGODB_URI;
  if (!uri) return false;
  const script = `
    const { MongoClient } = require('mongodb');
    MongoClient.connect(process.argv[1], { serverSelectionTimeoutMS: 5000 })
      .then(async (c) => {
        const info = await c.db('admin').command({ buildInfo: 1 });
        process.stdout.write(String('ferretdbVersion' in info));
        await c.close();
      })
      .catch(() => process.stdout.write('false'));`;
  return (
    execFileSync(process.execPath, ['-e', script, uri], {
      cwd: __dirname,
      encoding: 'utf8',
    }) === 'true'
  );
}
