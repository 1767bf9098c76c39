import { Kafka, logLevel } from 'kafkajs';
import { openWorld, rowFrom } from '../world';
import type { Scenario } from '../world';

const EVENTS = 120;

/**
 * Every event is delivered three times: once by the relay, once more
 * because the same envelopes are published again (a relay that crashed after
 * its send and before removing them does exactly this), and once more
 * because the group's offsets are reset to the beginning (a rebalance or a
 * restore of old offsets). Each must change the read model once.
 */
export const duplicateDelivery: Scenario = {
  id: 'duplicate-delivery',
  fault: 'duplicate delivery',
  async run(context) {
    const world = await openWorld(context, 'duplicates');
    const kafka = new Kafka({
      clientId: 'faults-duplicates',
      brokers: world.names.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    const admin = kafka.admin();
    try {
      await world.startRelay();
      let consumer = await world.startConsumer('message');
      await world.writer.writeMany(EVENTS);
      await world.caughtUp(120_000);

      // The same envelopes again, as the relay sends them.
      await producer.connect();
      await producer.send({
        topic: world.names.topic,
        acks: -1,
        messages: world.writer.produced.map((event) => ({
          key: event.subject,
          value: JSON.stringify(event),
          headers: {
            'event-id': event.id,
            'event-type': event.type,
            'event-version': String(event.version),
          },
        })),
      });
      await world.caughtUp(120_000);
      const handledOnce = consumer.stats.handled;

      // Then the whole topic again: the group's offsets back to the beginning.
      await consumer.stop();
      await admin.connect();
      await admin.resetOffsets({
        groupId: world.names.groupId,
        topic: world.names.topic,
        earliest: true,
      });
      consumer = await world.startConsumer('message');
      await world.caughtUp(120_000);
      const deliveries = handledOnce + consumer.stats.handled;

      const figures = await world.tally();
      // Relay + republish, then the whole topic (both copies) again after the reset.
      if (deliveries < EVENTS * 4)
        figures.details.push(
          `only ${deliveries} deliveries of ${EVENTS} events, 4 each expected`,
        );
      return rowFrom(figures, [
        `${deliveries} deliveries of ${EVENTS} events: each sent by the relay, published again, and both copies read again after the group's offsets were reset to the beginning`,
      ]);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await world.close();
    }
  },
};
