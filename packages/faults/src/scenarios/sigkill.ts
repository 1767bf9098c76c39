import { topicOffsets } from '@conecta/events';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { spawnPipelineProcess } from '../processes/child';
import { sleep } from '../stack';
import { openWorld, rowFrom, seconds } from '../world';
import type { Scenario } from '../world';

/** 500 aggregates × 3 events (the writer's pattern). */
const BACKLOG = 1_500;

const EVENTS_PER_AGGREGATE = 3;
const RELAY_KILLS = 4;

function admin(brokers: string[]): Admin {
  return new Kafka({
    clientId: 'faults-sigkill',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
}

/** Messages on `topic`, all partitions. */
async function messagesOn(client: Admin, topic: string): Promise<number> {
  const offsets = await topicOffsets(client, topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** Polls `value` every 20 ms until `done` holds for it; throws after `ms`. */
async function until<T>(
  value: () => Promise<T>,
  done: (v: T) => boolean,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await value();
    if (done(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (last: ${String(v)})`);
    await sleep(20);
  }
}

/**
 * The relay and the consumer run as processes of their own and are
 * SIGKILLed in the middle of their work — the relay with part of a backlog
 * published (sent events not yet removed from their outboxes are sent
 * again), the consumer with part of it applied (a chunk of 50 whose offsets
 * are not committed comes again) — then started again.
 */
export const sigkill: Scenario = {
  id: 'sigkill',
  fault: 'relay and consumer killed (SIGKILL) mid-batch',
  async run(context) {
    const world = await openWorld(context, 'sigkill');
    const processes: Array<ReturnType<typeof spawnPipelineProcess>> = [];
    const spawn = (role: 'relay' | 'consumer') => {
      const started = spawnPipelineProcess(role, world.names, context.logLevel);
      processes.push(started);
      return started;
    };
    try {
      await world.writer.writeMany(BACKLOG);
      const aggregates = await world.sectors.countDocuments();
      const consumer = spawn('consumer');
      await consumer.ready;
      const firstRelay = spawn('relay');
      await firstRelay.ready;
      const pending = () =>
        world.sectors.countDocuments({ outboxPending: true });

      // The relay: killed between a send and the cleanup of what it sent,
      // when it can be seen there (more events on the topic than settled),
      // else once 10 % more of the backlog is out; then started again and
      // killed again, RELAY_KILLS times. The cleanup is requested within a
      // millisecond of Kafka's ack and the database completes it even when
      // the relay dies, so a kill rarely leaves sent events in an outbox: the
      // note says how many were sent twice (the duplicate-delivery scenario
      // sends every event again on purpose).
      const offsets = admin(world.names.kafkaBrokers);
      await offsets.connect();
      let inFlightKills = 0;
      // Kills that found aggregates still pending: the fault was inflicted.
      let midBacklogKills = 0;
      let relay = firstRelay;
      let leftByRelay = aggregates;
      for (let kill = 1; kill <= RELAY_KILLS; kill += 1) {
        const from = await pending();
        const deadline = Date.now() + 120_000;
        for (;;) {
          const onTopicNow = await messagesOn(offsets, world.names.topic);
          // Read after the topic: events on it that are still pending now were sent and not yet cleaned up.
          const left = await pending();
          if (onTopicNow > (aggregates - left) * EVENTS_PER_AGGREGATE) {
            inFlightKills += 1;
            break;
          }
          if (left <= from - aggregates * 0.1 || left === 0) break;
          if (Date.now() > deadline)
            throw new Error('the relay published nothing in 120 s');
        }
        await relay.kill();
        leftByRelay = await pending();
        if (leftByRelay > 0) midBacklogKills += 1;
        if (kill < RELAY_KILLS) {
          relay = spawn('relay');
          await relay.ready;
        }
      }
      await offsets.disconnect();
      context.say(
        `  relay SIGKILLed ${RELAY_KILLS} times (${inFlightKills} with a batch on the topic and not yet cleaned up), ${leftByRelay} of ${aggregates} aggregates still pending`,
      );

      // The consumer: killed with part of what was published applied.
      const applied = () => world.views.countDocuments();
      const atConsumerKill = await until(
        applied,
        (n) => n >= (aggregates - leftByRelay) / 3,
        120_000,
        'the consumer to apply part of the events',
      );
      await consumer.kill();
      context.say(
        `  consumer SIGKILLed with ${atConsumerKill} of ${aggregates} aggregates applied`,
      );

      const restartedAt = Date.now();
      await spawn('relay').ready;
      await spawn('consumer').ready;
      await world.caughtUp(300_000);
      const caughtUpIn = Date.now() - restartedAt;
      const figures = await world.tally();
      const probe = admin(world.names.kafkaBrokers);
      await probe.connect();
      const onTopic = await messagesOn(probe, world.names.topic).finally(() =>
        probe.disconnect(),
      );
      // On a quiet machine the relay may drain the rest before the last
      // kill: what counts is that kills did land mid-backlog.
      if (midBacklogKills === 0)
        figures.details.push('the relay was never killed mid-backlog');
      return rowFrom(figures, [
        `relay killed ${RELAY_KILLS} times (${midBacklogKills} with aggregates still pending; the last with ${leftByRelay}/${aggregates}), consumer killed with ${atConsumerKill}/${aggregates} applied; both restarted and caught up in ${seconds(caughtUpIn)}; ${onTopic} messages on the topic for ${figures.produced} events (${onTopic - figures.produced} sent again after a kill)`,
      ]);
    } finally {
      for (const p of processes) await p.stop().catch(() => undefined);
      await world.close();
    }
  },
};
