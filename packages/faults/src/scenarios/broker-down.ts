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
      // When the relay's readiness shows the outage (what /ready reports).
      let reportedAfter: number | undefined;
      while (Date.now() - downAt < context.outageMs) {
        if (reportedAfter === undefined && !relay.readiness().ok)
          reportedAfter = Date.now() - downAt;
        await sleep(250);
      }
      const writtenWhileDown = world.writer.produced.length - before;
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
        `Kafka down ${seconds(downFor)}; ${writtenWhileDown} events written meanwhile, held in their outboxes; the relay's readiness showed the outage ${reportedAfter === undefined ? 'not within the outage' : `after ${seconds(reportedAfter)}`}; caught up ${seconds(caughtUpIn)} after the writes stopped`,
      ];
      if (writtenWhileDown === 0)
        figures.details.push('no write succeeded while Kafka was down');
      return rowFrom(figures, notes);
    } finally {
      await world.close();
    }
  },
};
