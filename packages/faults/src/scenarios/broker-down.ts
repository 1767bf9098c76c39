import { sleep } from '../stack';
import { openWorld, rowFrom, seconds } from '../world';
import type { Scenario } from '../world';

/**
 * Kafka stops for the outage while a writer keeps writing: every write
 * succeeds (the events wait in their aggregates' outboxes), and when the
 * broker is back the relay delivers them and the consumer applies each once.
 */
export const brokerDown: Scenario = {
  id: 'broker-down',
  fault: 'broker down during writes',
  async run(context) {
    const world = await openWorld(context, 'broker_down');
    try {
      const relay = await world.startRelay();
      await world.startConsumer('message');
      await world.writer.writeMany(60);
      await world.caughtUp(120_000);

      const writing = world.writer.keepWriting(50);
      await sleep(1_000);
      context.say(
        `  stopping Kafka for ${seconds(context.outageMs)} while writes go on…`,
      );
      await context.stack.stopKafka();
      const downAt = Date.now();
      const before = world.writer.produced.length;
      await sleep(context.outageMs);
      const writtenWhileDown = world.writer.produced.length - before;
      const relayReadyWhileDown = relay.readiness().ok;
      context.say(
        `  ${writtenWhileDown} events written with Kafka down; starting it again…`,
      );
      await context.stack.startKafka();
      const downFor = Date.now() - downAt;
      await sleep(2_000);
      await writing.stop();

      const caughtUpIn = await world.caughtUp(context.outageMs + 300_000);
      const figures = await world.tally();
      const notes = [
        `Kafka down ${seconds(downFor)}; ${writtenWhileDown} events written meanwhile, all held in their outboxes; caught up ${seconds(caughtUpIn)} after the writes stopped`,
      ];
      if (relayReadyWhileDown)
        figures.details.push('the relay reported ready while Kafka was down');
      if (writtenWhileDown === 0)
        figures.details.push('no write succeeded while Kafka was down');
      return rowFrom(figures, notes);
    } finally {
      await world.close();
    }
  },
};
