import { isolatedInfra, launchKafka } from '@conecta/devstack';
import type { IsolatedInfra, KafkaHandle } from '@conecta/devstack';
import { createEventConsumer, dlqTopicFor, topicFor } from '@conecta/events';
import { createLogger } from '../src/index';
import type { SubgraphService } from '../src/index';
import { createGadgetService, gadgetEnv } from './fixtures/gadget-service';
import { signedFor } from './fixtures/identity-mother';

// A broker of our own (not the shared one) that this file stops and starts.
const BROKER_PORT = 29_292;
const CONTROLLER_PORT = 29_293;

let infra: IsolatedInfra;
let broker: KafkaHandle;
let service: SubgraphService<unknown>;
let url: string;

interface ReadyBody {
  status: string;
  checks: Record<string, string>;
  details?: Record<string, any>;
}

async function ready(): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${service.operatorUrl()}/ready`);
  return { status: response.status, body: (await response.json()) as any };
}

/** The value of one series in /metrics, or undefined when absent. */
async function metric(name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`${service.operatorUrl()}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        l.includes('service="committees"') &&
        l.includes(labels),
    );
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

async function addGadget(id: string): Promise<void> {
  const body = JSON.stringify({
    query: 'mutation ($id: ID!) { addGadget(id: $id, name: "Nuevo") { id } }',
    variables: { id },
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedFor(body, undefined, 'committees'),
    },
    body,
  });
  const answer = (await response.json()) as { errors?: unknown[] };
  expect(answer.errors).toBeUndefined();
}

async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  infra = isolatedInfra('service_kit_event_health');
  broker = await launchKafka({
    name: 'service-kit-health',
    port: BROKER_PORT,
    controllerPort: CONTROLLER_PORT,
  });
  service = createGadgetService(
    gadgetEnv(infra, broker.brokers),
    createLogger({ name: 'event-health-test', level: 'silent' }),
    ({ kafka, topicPrefix, logger }) => [
      createEventConsumer({
        kafka,
        groupId: `${infra.groupIdPrefix}gadgets`,
        topics: [topicFor('standards', topicPrefix)],
        dlqTopic: dlqTopicFor('committees', topicPrefix),
        logger,
        handlers: {},
        // The broker's minimum: after Kafka restarts, the consumer rejoins once
        // its old membership expires (30 s with the default).
        sessionTimeoutMs: 6_000,
      }),
    ],
  );
  url = await service.start(0);
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await broker?.destroy();
  await infra?.cleanup();
}, 120_000);

describe('health and metrics of the event pipeline', () => {
  it('is ready with every check ok, and shows the outbox and each consumer in the details', async () => {
    const { status, body } = await eventually(
      async () => {
        const answer = await ready();
        // The lag is measured in the background: null until its first reading.
        return (
          answer.body.status === 'ready' &&
          typeof answer.body.details?.consumers?.[0]?.lag === 'number' &&
          answer
        );
      },
      60_000,
      'the service to be ready, with its consumer lag measured',
    );
    expect(status).toBe(200);
    expect(body.checks).toEqual({
      mongo: 'ok',
      kafka: 'ok',
      outbox: 'ok',
      consumers: 'ok',
    });
    expect(body.details?.outbox).toMatchObject({
      running: true,
      consecutiveFailures: 0,
    });
    expect(body.details?.consumers[0]).toMatchObject({
      state: 'consuming',
      groupId: `${infra.groupIdPrefix}gadgets`,
      waitingOnInfrastructure: [],
      lag: 0,
    });
  });

  it('serves the event pipeline metrics per service on /metrics', async () => {
    await addGadget('m-1');
    await eventually(
      async () =>
        ((await metric('conecta_outbox_published_events_total')) ?? 0) >= 1,
      30_000,
      'the published event to be counted',
    );
    expect(await metric('conecta_outbox_relay_failures_total')).toBe(0);
    expect(await metric('conecta_outbox_pending_documents')).toEqual(
      expect.any(Number),
    );
    const group = `group="${infra.groupIdPrefix}gadgets"`;
    expect(
      await metric('conecta_consumer_retries_total', 'kind="infrastructure"'),
    ).toBe(0);
    expect(await metric('conecta_consumer_dead_lettered_total', group)).toBe(0);
    expect(await metric('conecta_consumer_waiting_partitions', group)).toBe(0);
    expect(await metric('conecta_consumer_lag', group)).toBe(0);
    expect(
      await metric(
        'conecta_dlq_waiting_messages',
        `topic="${dlqTopicFor('committees', infra.topicPrefix)}"`,
      ),
    ).toBe(0);
  });

  it('with Kafka down it keeps taking writes and says degraded (200) with details, not 503; ready again when Kafka returns', async () => {
    await broker.stop();
    // Writes go on: their events wait in the outbox.
    await addGadget('k-1');
    await addGadget('k-2');

    const degraded = await eventually(
      async () => {
        const answer = await ready();
        return (
          answer.body.checks.outbox !== 'ok' &&
          (answer.body.details?.outbox?.pendingDocuments ?? 0) >= 1 &&
          answer
        );
      },
      90_000,
      'the relay failure to show on /ready',
    );
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.checks.mongo).toBe('ok');
    expect(degraded.body.checks.kafka).toMatch(/^error: /);
    expect(degraded.body.checks.outbox).toMatch(/^error: outbox relay failing/);
    expect(degraded.body.details?.outbox).toMatchObject({
      running: true,
      lastError: expect.any(String),
    });
    expect(
      await metric('conecta_outbox_relay_failures_total'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric('conecta_outbox_pending_documents'),
    ).toBeGreaterThanOrEqual(1);

    await broker.start();
    await eventually(
      async () => {
        const answer = await ready();
        return (
          answer.body.status === 'ready' &&
          answer.body.details?.outbox?.pendingDocuments === 0 &&
          answer
        );
      },
      120_000,
      'the service to be ready with its outbox drained',
    );
    expect(await metric('conecta_outbox_relay_consecutive_failures')).toBe(0);
  }, 300_000);
});
