import { spawnPipelineProcess } from '../processes/child';
import { sleep } from '../stack';
import { openWorld, rowFrom, seconds } from '../world';
import type { Scenario } from '../world';

/** How long the writer keeps changing aggregates under both relays. */
const WRITING_MS = 20_000;

/**
 * Two relays publish one collection at the same time, as two replicas of a
 * service would: one in this process next to the writer (sharing its
 * per-document lock), one in a process of its own. The writer keeps
 * appending events to the same aggregates while both claim, send and clean
 * them. Duplicates are allowed (the consumer drops them); an event removed
 * from an outbox without being sent, or left in one without its pending
 * marker, is not.
 */
export const twoRelays: Scenario = {
  id: 'two-relays',
  fault: 'two relays on one collection',
  async run(context) {
    const world = await openWorld(context, 'two_relays');
    const other = spawnPipelineProcess('relay', world.names, context.logLevel);
    try {
      const consumer = await world.startConsumer('message');
      const mine = await world.startRelay();
      await other.ready;
      const writing = world.writer.keepWriting(0);
      await sleep(WRITING_MS);
      await writing.stop();
      const caughtUpIn = await world.caughtUp(180_000);
      const figures = await world.tally();
      return rowFrom(figures, [
        `${figures.produced} events written in ${seconds(WRITING_MS)} under two relays; this process's relay sent ${mine.stats.published}, ${consumer.stats.handled} deliveries in all (duplicates dropped by the consumer); caught up in ${seconds(caughtUpIn)}`,
      ]);
    } finally {
      await other.stop().catch(() => undefined);
      await world.close();
    }
  },
};
