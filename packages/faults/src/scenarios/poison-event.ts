import { listDlq } from '@conecta/events';
import { v7 as uuidv7 } from 'uuid';
import { openWorld, rowFrom } from '../world';
import type { Scenario } from '../world';

/**
 * A producer with a bug writes an envelope its contract refuses (an unknown
 * sector kind) between good events. The consumer sends it to the DLQ at
 * once, with the reason, and goes on: every good event is applied.
 */
export const poisonEvent: Scenario = {
  id: 'poison-event',
  fault: 'a poison event',
  async run(context) {
    const world = await openWorld(context, 'poison');
    try {
      await world.startRelay();
      const consumer = await world.startConsumer('message');
      await world.writer.writeMany(30);
      const model = world.writer.produced[0]!;
      const subject = uuidv7();
      const poison = {
        ...model,
        id: uuidv7(),
        subject,
        data: { ...model.data, id: subject, kind: 'NOT_A_SECTOR_KIND' },
      };
      await world.writer.writeRaw(poison as never);
      await world.writer.writeMany(30);
      await world.caughtUp(120_000);

      const figures = await world.tally();
      const dlq = await listDlq(world.kafka, world.names.dlqTopic, {
        limit: 100,
      });
      const entry = dlq.entries[0];
      const poisonInDlq =
        dlq.messages === 1 &&
        entry !== undefined &&
        (JSON.parse(entry.value ?? '{}') as { id?: string }).id === poison.id &&
        entry.reason === 'invalid';
      if (!poisonInDlq)
        figures.details.push(
          `the DLQ holds ${dlq.messages} entries; expected exactly the poison event (reason invalid)`,
        );
      return rowFrom(
        figures,
        [
          `poison dead-lettered (reason ${entry?.reason ?? 'none'}: ${(entry?.error ?? '').slice(0, 80)}); consumer still ${String(consumer.readiness().detail.state)}`,
        ],
        `dead-lettered: ${dlq.messages} (1 expected)`,
      );
    } finally {
      await world.close();
    }
  },
};
