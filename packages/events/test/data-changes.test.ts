import { isolatedInfra } from '@conecta/devstack';
import { Kafka, logLevel, type Producer } from 'kafkajs';
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
  const client = () =>
    createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'data-changes-test',
      logger: testLogger(),
    });
  /** A watcher of this test's prefix polling every 100 ms, and what it reported. */
  const watching = (
    options: { listRefreshMs?: number; idleAfterMs?: number } = {},
  ) => {
    const kafka = client();
    const reports: ServiceName[][] = [];
    const watcher = watchDataChanges(kafka, {
      topicPrefix: infra.topicPrefix,
      intervalMs: 100,
      ...options,
      onChange: (services) => reports.push([...services]),
    });
    return { kafka, reports, watcher };
  };
  /** One empty event on `topic`, as a service's relay would publish it. */
  const publish = (producer: Producer, topic: string, key: string) =>
    producer.send({ topic, messages: [{ key, value: '{}' }] });
  /** An operator's admin client (moves groups' offsets). */
  const operator = async () => {
    const admin = new Kafka({
      brokers: infra.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    return admin;
  };

  it('reports a service when its topic grows or one of its consumer groups commits, and nothing else', async () => {
    // A new group is noticed at the next listing: soon, for the test.
    const { kafka, reports, watcher } = watching({ listRefreshMs: 1_000 });
    const committeesTopic = topicFor('committees', infra.topicPrefix);
    await ensureTopics(kafka, [committeesTopic]);
    const producer = await rawProducer(infra.kafkaBrokers);
    const admin = await operator();
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
      await publish(producer, committeesTopic, 'org-1');
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

  it('notices a service topic created after it started', async () => {
    const { kafka, reports, watcher } = watching({ listRefreshMs: 1_000 });
    const outcomesTopic = topicFor('outcomes', infra.topicPrefix);
    const producer = await rawProducer(infra.kafkaBrokers);
    try {
      await watcher.start();
      reports.length = 0;
      // Watched from the next listing on: its first event is a change.
      await ensureTopics(kafka, [outcomesTopic]);
      await publish(producer, outcomesTopic, 'provider-1');
      await eventually(
        () => reports.find((r) => r.includes('outcomes')),
        10_000,
        'outcomes reported after its new topic grew',
      );
      expect(new Set(reports.flat())).toEqual(new Set(['outcomes']));
    } finally {
      await watcher.stop();
      await producer.disconnect();
    }
  });

  it('reports a caught-up group whose offsets an operator moves, though no topic moved', async () => {
    const { kafka, reports, watcher } = watching();
    // certification's projection of standards, caught up: its commits are
    // at the end of every partition.
    const standardsTopic = topicFor('standards', infra.topicPrefix);
    const groupId = `${infra.topicPrefix}certification`;
    await ensureTopics(kafka, [standardsTopic]);
    const producer = await rawProducer(infra.kafkaBrokers);
    const admin = await operator();
    try {
      await producer.send({
        topic: standardsTopic,
        messages: ['std-1', 'std-2', 'std-3'].map((key) => ({
          key,
          value: '{}',
        })),
      });
      const ends = await admin.fetchTopicOffsets(standardsTopic);
      await admin.setOffsets({
        groupId,
        topic: standardsTopic,
        partitions: ends.map(({ partition, high }) => ({
          partition,
          offset: high,
        })),
      });
      await watcher.start();
      reports.length = 0;
      // Rewound to replay everything (a rebuild): nothing is published, the
      // group alone moves. It is read again within a bounded time.
      await admin.setOffsets({
        groupId,
        topic: standardsTopic,
        partitions: ends.map(({ partition }) => ({ partition, offset: '0' })),
      });
      await eventually(
        () => reports.find((r) => r.includes('certification')),
        10_000,
        'certification reported after its group was rewound',
      );
      expect(reports.flat()).toEqual(['certification']);
    } finally {
      await watcher.stop();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  // The gateway's cache asks before each lookup (issue 18: an idle gateway
  // reads nothing); what changed during the pause is reported before fresh()
  // answers, so the lookup that follows sees it.
  it('with idleAfterMs, pauses when nobody asks, and fresh() reads the offsets before it answers', async () => {
    const { kafka, reports, watcher } = watching({ idleAfterMs: 300 });
    const committeesTopic = topicFor('committees', infra.topicPrefix);
    await ensureTopics(kafka, [committeesTopic]);
    const producer = await rawProducer(infra.kafkaBrokers);
    try {
      await watcher.start();
      expect(await watcher.fresh()).toBe(true);
      // Nobody asks: the polls stop, so what was read grows old.
      await eventually(
        () => !watcher.isCurrent(),
        10_000,
        'the watcher to pause',
      );
      reports.length = 0;
      await publish(producer, committeesTopic, 'org-2');
      expect(reports).toEqual([]);
      expect(await watcher.fresh()).toBe(true);
      expect(reports.flat()).toContain('committees');
      // Asked again at once: answered from the polls that resumed.
      expect(await watcher.fresh()).toBe(true);
    } finally {
      await watcher.stop();
      await producer.disconnect();
    }
  });

  // kafkajs 2.2.4 re-arms a timer every millisecond on each connection that
  // has had an answer, for as long as it lives (with a negative delay, which
  // nothing else here uses): most of what an idle watcher cost in CPU.
  it('leaves no kafkajs timer spinning between its polls', async () => {
    const { watcher } = watching();
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    try {
      await watcher.start();
      setTimeoutSpy.mockClear();
      const delays = () =>
        setTimeoutSpy.mock.calls.map(([, ms]) => (ms === undefined ? 0 : ms));
      // Five polls (each arms the next one's timer)...
      await eventually(
        () => delays().filter((ms) => ms === 100).length >= 5,
        10_000,
        'five polls',
      );
      // ...and no spinning timer: the bug arms hundreds in that time, per
      // connection; the one already armed when a connection is quietened
      // fires once more.
      expect(delays().filter((ms) => ms < 0).length).toBeLessThan(5);
    } finally {
      setTimeoutSpy.mockRestore();
      await watcher.stop();
    }
  });
});
