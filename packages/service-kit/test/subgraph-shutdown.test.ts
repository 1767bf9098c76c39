import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isolatedInfra } from '@conecta/devstack';
import type { IsolatedInfra } from '@conecta/devstack';
import {
  createEventConsumer,
  createEventRegistry,
  createKafka,
  defineEvent,
  dlqTopicFor,
  newEvent,
  topicFor,
} from '@conecta/events';
import type { EventConsumer, EventEnvelope } from '@conecta/events';
import type { Collection, Document } from 'mongodb';
import { z } from 'zod';
import {
  createLogger,
  createSubgraphService,
  loadConfig,
  onShutdown,
} from '../src/index';
import type { RequestContextArgs, SubgraphService } from '../src/index';
import { gadgetEnv } from './fixtures/gadget-service';
import { signedFor } from './fixtures/identity-mother';
import { logSink } from './fixtures/log-sink';

// A real subgraph (createSubgraphService on the devstack MongoDB-wire server
// and Kafka) shut down the way runSubgraph does it: onShutdown with the
// service's shutdownSteps. A mutation is still in flight when the shutdown
// starts; its event must be on Kafka once the shutdown has returned.

const gadgetAdded = defineEvent({
  type: 'committees.GadgetAdded',
  version: 1,
  data: z.object({ name: z.string() }),
  description: 'A gadget was stored (service-kit test fixture).',
});
const registry = createEventRegistry([gadgetAdded]);

// Long enough that stop() surely begins while the mutation is in flight,
// far below the 10 s drain grace period.
const MUTATION_DELAY_MS = 500;

const silent = createLogger({ name: 'shutdown-test', level: 'silent' });
let infra: IsolatedInfra;
let service: SubgraphService<unknown>;
let url: string;
/** Resolves when the mutation's resolver has begun. */
let mutationEntered: Promise<void>;
let enterMutation: () => void;
/** The event the in-flight mutation wrote through the outbox. */
let writtenEvent: EventEnvelope | undefined;
let shutDown = false;

function createShutdownService() {
  const config = loadConfig({}, gadgetEnv(infra));
  return createSubgraphService<
    { gadgets: Collection<Document> },
    RequestContextArgs
  >({
    // A real service name: the relay publishes to `<prefix>conecta.committees.events`.
    name: 'committees',
    config,
    logger: silent,
    schemaPath: path.join(__dirname, 'fixtures', 'gadget-schema.graphql'),
    build: ({ connection, kafka, topicPrefix, outbox, logger }) => {
      const gadgets = connection.collection(
        'gadgets',
      ) as unknown as Collection<Document>;
      return {
        stores: { gadgets },
        outboxCollections: [gadgets],
        // One consumer, so its step appears between the relay and MongoDB.
        consumers: [
          createEventConsumer({
            kafka,
            groupId: `${infra.groupIdPrefix}committees`,
            topics: [topicFor('standards', topicPrefix)],
            handlers: {},
            logger,
            dlqTopic: dlqTopicFor('committees', topicPrefix),
          }),
        ],
        resolvers: {
          Query: { gadgets: () => [] },
          Mutation: {
            addGadget: async (
              _: unknown,
              args: { id: string; name: string },
            ) => {
              enterMutation();
              await sleep(MUTATION_DELAY_MS);
              writtenEvent = newEvent(gadgetAdded, {
                subject: args.id,
                data: { name: args.name },
              });
              await outbox.insert(gadgets, { _id: args.id, name: args.name }, [
                writtenEvent,
              ]);
              return { id: args.id, name: args.name };
            },
          },
        },
        context: (base) => base,
      };
    },
  });
}

/** Reads the service's topic from the beginning until `id` shows up, or throws after `timeoutMs`. */
async function eventOnKafka(
  id: string,
  timeoutMs = 30_000,
): Promise<EventEnvelope> {
  const seen: EventEnvelope[] = [];
  const reader: EventConsumer = createEventConsumer({
    kafka: createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'shutdown-test-reader',
      logger: silent,
    }),
    groupId: `${infra.groupIdPrefix}reader`,
    topics: [topicFor('committees', infra.topicPrefix)],
    handlers: {
      'committees.GadgetAdded': async (event) => {
        seen.push(event);
      },
    },
    registry,
    logger: silent,
    dlqTopic: dlqTopicFor('shutdown-test-reader', infra.topicPrefix),
  });
  await reader.start();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = seen.find((event) => event.id === id);
      if (match) return match;
      await sleep(100);
    }
    throw new Error(`event ${id} not on Kafka after ${timeoutMs} ms`);
  } finally {
    await reader.stop();
  }
}

beforeAll(async () => {
  infra = isolatedInfra('service_kit_shutdown');
  mutationEntered = new Promise((resolve) => {
    enterMutation = resolve;
  });
  service = createShutdownService();
  url = await service.start(0);
});

afterAll(async () => {
  // Only when the test failed before its own shutdown: nothing may stay open.
  if (!shutDown) await service?.stop().catch(() => undefined);
  await infra?.cleanup();
});

describe('a subgraph service shutting down', () => {
  it('stops HTTP, flushes the outbox, stops consumers, then disconnects MongoDB, and the event of a request in flight is on Kafka afterwards', async () => {
    expect(service.shutdownSteps.map((step) => step.name)).toEqual([
      'http server',
      'outbox relay',
      'consumer 1',
      'idempotency sweep',
      'mongodb',
    ]);

    const mutation = JSON.stringify({
      query:
        'mutation ($id: ID!, $name: String!) { addGadget(id: $id, name: $name) { id } }',
      variables: { id: 'gadget-1', name: 'Written while stopping' },
    });
    const response = fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedFor(mutation, undefined, 'committees'),
      },
      body: mutation,
    });
    await mutationEntered;

    // What runSubgraph registers on SIGTERM, run by hand (no exit).
    const sink = logSink();
    const exit = jest.fn();
    const shutdown = onShutdown(
      createLogger({ name: 'shutdown-test', destination: sink }),
      service.shutdownSteps,
      { signals: [], exit },
    );
    await shutdown();
    shutDown = true;

    // Drained, not cut: the request in flight finished and was answered.
    const body = (await (await response).json()) as {
      data?: unknown;
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ addGadget: { id: 'gadget-1' } });

    const stepLog = sink
      .lines()
      .filter((line) => line['step'] !== undefined)
      .map((line) => `${String(line['msg'])} ${String(line['step'])}`);
    expect(stepLog).toEqual([
      'stopping http server',
      'stopped http server',
      'stopping outbox relay',
      'stopped outbox relay',
      'stopping consumer 1',
      'stopped consumer 1',
      'stopping idempotency sweep',
      'stopped idempotency sweep',
      'stopping mongodb',
      'stopped mongodb',
    ]);
    expect(exit).not.toHaveBeenCalled();

    expect(writtenEvent).toBeDefined();
    const published = await eventOnKafka(writtenEvent!.id);
    expect(published).toMatchObject({
      type: 'committees.GadgetAdded',
      subject: 'gadget-1',
      data: { name: 'Written while stopping' },
    });
  });
});
