import { isolatedInfra } from '@conecta/devstack';
import { Kafka, logLevel } from 'kafkajs';
import {
  createKafka,
  ensureTopics,
  topicFor,
  watchDataChanges,
  type ServiceName,
} from '../src';
import { eventually, rawProducer, testLogger } from './support/observe';

// The gateway's response cache drops what a service's data may have changed
// by: its own events (its topic's end) and its consumers' progress (their
// groups' commits). Both on the real broker.
describe('watchDataChanges', () => {
  const infra = isolatedInfra('events_data_changes');
  afterAll(() => infra.cleanup(), 60_000);

  it('reports a service when its topic grows or one of its consumer groups commits, and nothing else', async () => {
    const kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'data-changes-test',
      logger: testLogger(),
    });
    const committeesTopic = topicFor('committees', infra.topicPrefix);
    await ensureTopics(kafka, [committeesTopic]);
    const reports: ServiceName[][] = [];
    const watcher = watchDataChanges(kafka, {
      topicPrefix: infra.topicPrefix,
      intervalMs: 100,
      // A new group is noticed at the next listing: soon, for the test.
      listRefreshMs: 1_000,
      onChange: (services) => reports.push([...services]),
    });
    const producer = await rawProducer(infra.kafkaBrokers);
    const admin = new Kafka({
      brokers: infra.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await watcher.start();
      // What happened before it could see is unknown: everything, once.
      expect(reports).toEqual([
        ['committees', 'standards', 'certification', 'training', 'outcomes'],
      ]);
      // Current once a read that began within 2 s has answered (the first one,
      // on a quiet machine).
      await eventually(
        () => watcher.isCurrent(),
        10_000,
        'the watcher to be current',
      );

      reports.length = 0;
      await producer.send({
        topic: committeesTopic,
        messages: [{ key: 'org-1', value: '{}' }],
      });
      await eventually(
        () => reports.find((r) => r.includes('committees')),
        10_000,
        'committees reported after its topic grew',
      );
      expect(reports.flat()).toEqual(['committees']);

      // training's projection of committees' events applied and committed.
      reports.length = 0;
      await admin.setOffsets({
        groupId: `${infra.topicPrefix}training`,
        topic: committeesTopic,
        partitions: [0, 1, 2].map((partition) => ({
          partition,
          offset: '0',
        })),
      });
      await eventually(
        () => reports.find((r) => r.includes('training')),
        10_000,
        'training reported after its group committed',
      );
      // Only training: a new group's offsets may be seen in two reads (the
      // group, then its commits), and a second report costs a cache nothing.
      expect(new Set(reports.flat())).toEqual(new Set(['training']));
    } finally {
      await watcher.stop();
      await producer.disconnect();
      await admin.disconnect();
    }
    expect(watcher.isCurrent()).toBe(false);
  });
});
