import { topicOffsets } from '@conecta/events';
import { Kafka, logLevel } from 'kafkajs';
import { spawnPipelineProcess } from '../processes/child';
import { sleep } from '../stack';
import { openWorld, rowFrom, seconds } from '../world';
import type { Scenario } from '../world';

const BACKLOG = 1_500;

/** Messages on `topic`, all partitions. */
async function messagesOn(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({
    clientId: 'faults-sigkill',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const offsets = await topicOffsets(admin, topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
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
      const relay = spawn('relay');
      await relay.ready;
      const pending = () =>
        world.sectors.countDocuments({ outboxPending: true });

      // The relay: killed with part of the backlog out.
      const atRelayKill = await until(
        pending,
        (n) => n <= aggregates * 0.7,
        120_000,
        'the relay to publish part of the backlog',
      );
      await relay.kill();
      const leftByRelay = await pending();
      context.say(
        `  relay SIGKILLed with ${leftByRelay} of ${aggregates} aggregates still pending`,
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
      const onTopic = await messagesOn(
        world.names.kafkaBrokers,
        world.names.topic,
      );
      if (leftByRelay === 0 || atRelayKill === aggregates)
        figures.details.push('the relay was not killed mid-backlog');
      return rowFrom(figures, [
        `relay killed with ${leftByRelay}/${aggregates} aggregates pending, consumer killed with ${atConsumerKill}/${aggregates} applied; both restarted and caught up in ${seconds(caughtUpIn)}; ${onTopic} messages on the topic for ${figures.produced} events (${onTopic - figures.produced} sent again after the relay's kill)`,
      ]);
    } finally {
      for (const p of processes) await p.stop().catch(() => undefined);
      await world.close();
    }
  },
};
