import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createKafka, ensureTopics } from '@conecta/events';
import { createLogger } from '@conecta/service-kit';

/** A message as it sits on the topic, with its envelope parsed. */
export interface ObservedEvent {
  key: string | null;
  partition: number;
  offset: string;
  /** The JSON envelope (not validated: tests assert on what was really sent). */
  event: any;
}

export interface ReadEventsOptions {
  brokers: string[];
  topic: string;
  /** Stop once a message satisfies this; returns the matching messages. */
  until: (message: ObservedEvent) => boolean;
  /** How many matches to wait for (default 1). */
  count?: number;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
}

/**
 * Reads a topic from the beginning with an independent consumer (its own group,
 * not the service's code) until `count` messages match `until`. This is how tests
 * prove an event really reached Kafka.
 */
export async function readEvents({
  brokers,
  topic,
  until,
  count = 1,
  timeoutMs = 30_000,
}: ReadEventsOptions): Promise<ObservedEvent[]> {
  const kafka = new Kafka({
    clientId: 'test-observer',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `test-observer-${randomUUID()}` });
  const matches: ObservedEvent[] = [];
  try {
    // The topic may not exist yet (the service has not published): create it
    // the way the services do, so subscribing does not race the first publish.
    await ensureTopics(
      createKafka({
        brokers,
        clientId: 'test-observer',
        logger: createLogger({ name: 'test-observer', level: 'silent' }),
      }),
      [topic],
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `readEvents: ${matches.length}/${count} matching events on ${topic} after ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            const observed: ObservedEvent = {
              key: message.key?.toString() ?? null,
              partition,
              offset: message.offset,
              event: JSON.parse(message.value?.toString() ?? 'null'),
            };
            if (until(observed)) matches.push(observed);
            if (matches.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return matches;
  } finally {
    await consumer.disconnect();
  }
}
