import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isolatedInfra } from '@conecta/devstack';
import type { Producer } from 'kafkajs';
import {
  DLQ_HEADERS,
  createEventConsumer,
  createKafka,
  dlqTopicFor,
  listDlq,
  redriveDlq,
  topicFor,
} from '../src';
import type { EventConsumer, EventEnvelope, KafkaClient } from '../src';
import { runDlqCli } from '../src/dlq-cli';
import { committeesMother } from './fixtures/committeesMother';
import {
  eventually,
  observeTopics,
  rawProducer,
  settle,
  testLogger,
} from './support/observe';
import type { TopicObserver } from './support/observe';

/** Runs the CLI in this process, capturing what it prints. */
async function cli(
  env: NodeJS.ProcessEnv,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDlqCli(argv, env, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the dead-letter topic: list, show, redrive', () => {
  const infra = isolatedInfra('events_dlq');
  const topic = topicFor('committees', infra.topicPrefix);
  const dlqTopic = dlqTopicFor('outcomes', infra.topicPrefix);
  const env = {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
  };
  const logger = testLogger();
  let kafka: KafkaClient;
  let producer: Producer;
  let consumer: EventConsumer | undefined;
  let observer: TopicObserver | undefined;

  beforeAll(async () => {
    kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'dlq-test',
      logger,
    });
    producer = await rawProducer(infra.kafkaBrokers);
  });

  afterAll(async () => {
    await consumer?.stop();
    await observer?.stop();
    await producer?.disconnect();
    await infra.cleanup();
  });

  it('a poison event lands in the DLQ, list and show describe it, and redrive sends it back to its topic once however often it runs', async () => {
    // The handler refuses organizations until it is fixed; applied ids are counted.
    let broken = true;
    const applied = new Map<string, number>();
    consumer = createEventConsumer({
      kafka,
      groupId: `${infra.groupIdPrefix}outcomes`,
      topics: [topic],
      dlqTopic,
      logger,
      retry: { retries: 1, initialDelayMs: 10, maxDelayMs: 20 },
      handlers: {
        'committees.OrganizationRegistered': async (event) => {
          if (broken) throw new Error('organization rejected by a bug');
          applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
        },
        'committees.SectorRegistered': async (event) => {
          applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
        },
      },
    });
    await consumer.start();
    const first = committeesMother.organizationRegistered();
    const second = committeesMother.organizationRegistered();
    const good = committeesMother.sectorRegistered();
    await producer.send({
      topic,
      messages: [first, second, good].map((event) => ({
        key: event.subject,
        value: JSON.stringify(event),
        headers: { 'event-id': event.id, 'event-type': event.type },
      })),
    });
    await eventually(
      () => consumer!.stats.deadLettered === 2 && applied.has(good.id),
      30_000,
      'two events dead-lettered and the good one applied',
    );

    // list: counts, and each entry's type, reason, error and origin.
    const listing = await listDlq(kafka, dlqTopic);
    expect(listing).toMatchObject({ messages: 2, redriven: 0, waiting: 2 });
    expect(listing.entries.map((e) => JSON.parse(e.value!).id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    for (const entry of listing.entries) {
      expect(entry).toMatchObject({
        type: 'committees.OrganizationRegistered',
        reason: 'handler',
        error: 'organization rejected by a bug',
        originalTopic: topic,
        consumerGroup: `${infra.groupIdPrefix}outcomes`,
        redriven: false,
      });
      expect(entry.originalOffset).toEqual(expect.any(Number));
      expect(Date.parse(entry.failedAt!)).not.toBeNaN();
    }
    const entryOf = (id: string) =>
      listing.entries.find((e) => JSON.parse(e.value!).id === id)!;

    const listed = await cli(env, 'list', '--topic', dlqTopic);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(
      `${dlqTopic}: 2 dead-lettered, 0 redriven, 2 waiting`,
    );
    expect(listed.out).toContain('committees.OrganizationRegistered');
    expect(listed.out).toContain('error: organization rejected by a bug');
    expect(listed.out).toContain(`from ${topic} `);

    const { partition, offset } = entryOf(first.id);
    const shown = await cli(
      env,
      'show',
      'outcomes', // a consumer's name stands for its DLQ topic
      String(partition),
      String(offset),
    );
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`${DLQ_HEADERS.reason}: handler`);
    expect(shown.out).toContain(`"id": "${first.id}"`);

    // Fixed: redrive one by offset, twice; then everything, twice.
    broken = false;
    observer = await observeTopics(
      infra.kafkaBrokers,
      [topic],
      `${infra.groupIdPrefix}redrive-observer`,
    );
    const once = await cli(
      env,
      'redrive',
      dlqTopic,
      '--offset',
      String(offset),
      '--partition',
      String(partition),
    );
    expect(once.code).toBe(0);
    expect(once.out).toMatch(/\[1\/1\] .*committees\.OrganizationRegistered/);
    const again = await cli(
      env,
      'redrive',
      dlqTopic,
      '--offset',
      String(offset),
      '--partition',
      String(partition),
    );
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already redriven/);

    const all = await redriveDlq(kafka, dlqTopic, { all: true });
    expect(all.redriven.map((e) => JSON.parse(e.value!).id)).toEqual([
      second.id,
    ]);
    const allAgain = await redriveDlq(kafka, dlqTopic, { all: true });
    expect(allAgain.redriven).toEqual([]);

    // On the original topic: each event once more (3 originals + 2 redriven), no more.
    await observer.waitForCount(5, 30_000);
    await settle(1_500);
    const seen = observer.messages.map((m) => ({
      event: JSON.parse(m.value!) as EventEnvelope,
      headers: m.headers,
    }));
    expect(seen).toHaveLength(5);
    const redriven = seen.slice(3);
    expect(redriven.map((m) => m.event.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    for (const { headers, event } of redriven) {
      expect(Object.keys(headers).filter((h) => h.startsWith('dlq-'))).toEqual(
        [],
      );
      expect(headers).toEqual({
        'event-id': event.id,
        'event-type': event.type,
      });
    }
    // The same key: the redriven event lands on its aggregate's partition.
    for (const id of [first.id, second.id]) {
      const copies = observer.messages.filter(
        (m) => JSON.parse(m.value!).id === id,
      );
      expect(new Set(copies.map((m) => m.partition)).size).toBe(1);
    }

    // The fixed consumer applies each redriven event once; the DLQ is drained.
    await eventually(
      () => applied.get(first.id) === 1 && applied.get(second.id) === 1,
      30_000,
      'the redriven events to be applied',
    );
    expect(consumer.stats.deadLettered).toBe(2);
    expect(await consumer.dlqBacklog()).toMatchObject({
      messages: 2,
      redriven: 2,
      waiting: 0,
    });
    const after = await cli(env, 'list', '--topic', dlqTopic);
    expect(after.out).toContain(
      `${dlqTopic}: 2 dead-lettered, 2 redriven, 0 waiting`,
    );
  }, 180_000);

  it('refuses bad arguments with a clear message and exit code 64, from its own process too', async () => {
    const noSelection = await cli(env, 'redrive', dlqTopic);
    expect(noSelection).toMatchObject({ code: 64 });
    expect(noSelection.err).toMatch(/either --all or --offset N/);
    const both = await cli(env, 'redrive', dlqTopic, '--all', '--offset', '1');
    expect(both.err).toMatch(/either --all or --offset N/);
    expect((await cli(env, 'show', dlqTopic, '0')).err).toMatch(
      /show needs <topic> <partition> <offset>/,
    );
    expect((await cli(env, 'show', dlqTopic, '0', 'x')).err).toMatch(
      /<offset> must be a whole number/,
    );
    expect((await cli(env, 'list', '--bogus')).err).toMatch(
      /unknown option --bogus/,
    );
    const missing = await cli(env, 'redrive', 'nobody', '--all');
    expect(missing.code).toBe(64);
    expect(missing.err).toMatch(
      new RegExp(
        `no DLQ topic ${infra.topicPrefix.replace('.', '\\.')}conecta\\.nobody\\.dlq`,
      ),
    );
    const beyond = await cli(env, 'show', dlqTopic, '0', '9999');
    expect(beyond.code).toBe(64);
    expect(beyond.err).toMatch(/holds offsets|not 9999/);

    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'support', 'dlq-cli-process.ts'),
        'list',
        '--topic',
        dlqTopic,
        '--limit',
        '0',
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^${dlqTopic.replace(/\./g, '\\.')}: \\d+ dead-lettered`),
    );
    const usage = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'support', 'dlq-cli-process.ts')],
      { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(usage.status).toBe(64);
    expect(usage.stderr).toMatch(/Usage: npm run dlq -- <command>/);
  }, 120_000);
});
