import { sleep } from '../stack';
import { openWorld, rowFrom, seconds } from '../world';
import type { Scenario } from '../world';

const BACKLOG = 900;

/**
 * FerretDB dies (SIGKILL) while the consumer works through a backlog and
 * stays away for the outage: the consumer pauses its partitions and retries
 * (an infrastructure failure is never dead-lettered), the relay backs off,
 * and when the database is back both go on; later writes flow as usual.
 */
export const databaseDown: Scenario = {
  id: 'database-down',
  fault: 'database down during consumption',
  async run(context) {
    const world = await openWorld(context, 'database_down');
    try {
      await world.startRelay();
      await world.writer.writeMany(BACKLOG);
      // The whole backlog is on Kafka before anything consumes it.
      await world.relayed(120_000);
      const consumer = await world.startConsumer('batch');
      // Kill the database a third of the way through.
      const deadline = Date.now() + 120_000;
      while (consumer.stats.handled < BACKLOG / 3) {
        if (Date.now() > deadline)
          throw new Error(
            `the consumer applied only ${consumer.stats.handled} events in 120 s`,
          );
        await sleep(20);
      }
      const appliedBefore = consumer.stats.handled;
      context.say(
        `  killing FerretDB after ${appliedBefore} of ${BACKLOG} events applied, for ${seconds(context.outageMs)}…`,
      );
      await context.stack.stopDatabase();
      const downAt = Date.now();
      await sleep(context.outageMs);
      const waiting = consumer.readiness().detail.state;
      const duringOutage = { ...consumer.stats };
      context.say(
        `  consumer state "${String(waiting)}", ${duringOutage.infrastructureRetries} retries, ${duringOutage.deadLettered} dead-lettered; starting FerretDB again…`,
      );
      await context.stack.startDatabase();
      const downFor = Date.now() - downAt;
      await world.writer.writeMany(60);

      const caughtUpIn = await world.caughtUp(context.outageMs + 300_000);
      const figures = await world.tally();
      if (waiting !== 'waiting-on-infrastructure')
        figures.details.push(
          `the consumer was "${String(waiting)}" during the outage, not waiting-on-infrastructure`,
        );
      if (duringOutage.deadLettered > 0 || figures.deadLettered > 0)
        figures.details.push(
          `${figures.deadLettered} events dead-lettered because of the outage`,
        );
      return rowFrom(
        figures,
        [
          `FerretDB down ${seconds(downFor)} after ${appliedBefore} of ${BACKLOG} events applied; the consumer waited (${duringOutage.infrastructureRetries} retries, state ${String(waiting)}), 0 dead-lettered expected, ${figures.deadLettered} seen; caught up ${seconds(caughtUpIn)} after restart`,
        ],
        `dead-lettered: ${figures.deadLettered} (0 expected)`,
      );
    } finally {
      await world.close();
    }
  },
};
