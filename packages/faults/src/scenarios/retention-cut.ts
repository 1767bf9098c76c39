import { TOPIC_RETENTION, topicOffsets } from '@conecta/events';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { lagProbe, readModelConsumer, tally } from '../pipeline';
import type { SectorView } from '../pipeline';
import { openWorld, rowFrom } from '../world';
import type { Scenario } from '../world';

const BEFORE_CUT = 90;
const AFTER_CUT = 60;

/**
 * The design (events README, Topics; outcomes README, Rebuild) promises two
 * things: topics are created to keep their history forever, and a rebuild
 * refuses a history Kafka no longer holds whole rather than report done
 * without it. This checks both around a real cut: the topic as the relay
 * created it keeps everything; then an operator sets `retention.ms` to 5 s
 * and the old records go (`deleteTopicRecords` up to the end, which is what
 * the broker's retention pass does — it runs only every 5 minutes by
 * default). The serving read model, which had read them, keeps every event,
 * and new events still flow; a replay from the beginning sees only what is
 * left, and the low watermarks (what outcomes' rebuild checks first) show
 * the cut on every partition that lost records.
 */
export const retentionCut: Scenario = {
  id: 'retention-cut',
  fault: 'retention cut',
  async run(context) {
    const world = await openWorld(context, 'retention');
    const admin = new Kafka({
      clientId: 'faults-retention',
      brokers: world.names.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await world.startRelay();
      await world.startConsumer('message');
      await world.writer.writeMany(BEFORE_CUT);
      await world.caughtUp(120_000);
      await admin.connect();

      const topic = world.names.topic;
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configNames: TOPIC_RETENTION.map((entry) => entry.name),
          },
        ],
      });
      const configured = Object.fromEntries(
        described.resources[0]!.configEntries.map((e) => [
          e.configName,
          e.configValue,
        ]),
      );

      // The cut.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'retention.ms', value: '5000' }],
          },
        ],
      });
      const ends = await topicOffsets(admin, topic);
      await admin.deleteTopicRecords({
        topic,
        partitions: ends.map((p) => ({
          partition: p.partition,
          offset: p.high,
        })),
      });
      const cutPartitions = ends.filter((p) => Number(p.high) > 0).length;

      await world.writer.writeMany(AFTER_CUT);
      await world.caughtUp(120_000);
      const figures = await world.tally();

      // What a replay from the beginning would see now, and whether the check a rebuild runs first sees the cut.
      const starts = await topicOffsets(admin, topic);
      const truncated = starts.filter((p) => Number(p.low) > 0).length;
      const replayNames = {
        ...world.names,
        groupId: `${world.names.groupId}-replay`,
      };
      const replayViews = world.client
        .db(world.names.dbName)
        .collection<SectorView>('sector_views_replay');
      const replay = readModelConsumer(
        replayNames,
        replayViews,
        world.kafka,
        context.logger,
        'message',
      );
      await replay.start();
      try {
        const lag = lagProbe(
          replayNames,
          replayViews,
          world.kafka,
          context.logger,
        );
        const deadline = Date.now() + 120_000;
        while ((await lag()) > 0) {
          if (Date.now() > deadline)
            throw new Error('the replay did not catch up in 120 s');
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        await replay.stop();
      }
      const replayed = await tally({
        produced: world.writer.produced,
        sectors: world.sectors,
        views: replayViews,
        kafka: world.kafka,
        dlqTopic: world.names.dlqTopic,
      });
      const seenByReplay = replayed.produced - replayed.lost;

      const keepsForever =
        configured['retention.ms'] === '-1' &&
        configured['retention.bytes'] === '-1';
      if (!keepsForever)
        figures.details.push(
          `the relay created the topic with retention.ms ${configured['retention.ms']} and retention.bytes ${configured['retention.bytes']}, not -1 (forever)`,
        );
      // A replay that misses events must be one the rebuild's check refuses.
      if (seenByReplay < figures.produced && truncated !== cutPartitions)
        figures.details.push(
          `a replay misses ${figures.produced - seenByReplay} events but only ${truncated} of ${cutPartitions} cut partitions show it in their low watermark`,
        );
      if (replayed.appliedTwice > 0)
        figures.details.push(
          `the replay applied ${replayed.appliedTwice} events twice`,
        );
      return rowFrom(
        figures,
        [
          `topic created with retention.ms ${configured['retention.ms']}, retention.bytes ${configured['retention.bytes']}; cut to 5 s after ${BEFORE_CUT} events were consumed and their records deleted; ${AFTER_CUT} more written after the cut`,
          `serving read model complete; a replay from the beginning sees ${seenByReplay} of ${figures.produced}, and ${truncated} of ${cutPartitions} cut partitions start above offset 0, so a rebuild refuses (outcomes: HISTORY_TRUNCATED) instead of reporting done without them`,
        ],
        `replay sees ${seenByReplay}/${figures.produced}: refused, ${truncated} partitions truncated`,
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
      await world.close();
    }
  },
};
