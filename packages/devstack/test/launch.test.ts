import { Kafka, logLevel } from 'kafkajs';

import { launchKafka } from '../src';
import type { KafkaHandle } from '../src';

describe('launchKafka', () => {
  let broker: KafkaHandle;

  beforeAll(async () => {
    // Ports of its own: apart from the shared broker's, and from the brokers the
    // events (29192) and service-kit (29292) tests stop and start, which may run
    // at the same time.
    broker = await launchKafka({
      name: 'devstack-test',
      port: 29392,
      controllerPort: 29393,
    });
  });

  afterAll(async () => {
    await broker?.destroy();
  });

  it("a launched broker can be stopped and started again and keeps its topics' data", async () => {
    const kafka = new Kafka({
      clientId: 'devstack-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
    // Create the topic and wait for its leaders: a produce to a topic that is
    // still being auto-created on a broker that just started can be refused.
    const setup = kafka.admin();
    await setup.connect();
    await setup.createTopics({
      topics: [{ topic: 'survives-restart' }],
      waitForLeaders: true,
    });
    await setup.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'survives-restart',
      messages: [
        { key: 'k1', value: 'first' },
        { key: 'k2', value: 'second' },
      ],
    });
    await producer.disconnect();

    await broker.stop();
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow();

    await broker.start();
    // A client with kafkajs's default retries: a broker that just restarted
    // on a busy machine answers "coordinator not available" for a while.
    const reader = new Kafka({
      clientId: 'devstack-test-reader',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
    const consumer = reader.consumer({ groupId: 'survives-restart-reader' });
    await consumer.connect();
    await consumer.subscribe({
      topic: 'survives-restart',
      fromBeginning: true,
    });
    // Delivery is at least once: a consumer that restarts on a busy broker may
    // read a message again, so the test waits for both values, not two messages.
    const seen = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      // A consumer that gives up fails the test at once, with its reason.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.add(String(message.value));
            if (seen.size === 2) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect([...seen].sort()).toEqual(['first', 'second']);
  });
});
