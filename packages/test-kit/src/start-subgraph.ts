import { Kafka, logLevel } from 'kafkajs';
import { createLogger, type Logger } from '@conecta/service-kit';
import { isolatedInfra, type IsolatedInfra } from '@conecta/devstack';
import { eventually } from './eventually';
import { createTestClient, type TestClient } from './graphql-client';

/** The identity secret test subgraphs share with their test client. */
export const TEST_IDENTITY_SECRET =
  'test-identity-secret-with-at-least-32-characters';

/**
 * The environment a subgraph under test runs with: its name, a free port,
 * `infra`'s database and topics, the test identity secret, no logs. Also for
 * starting a service again on the same `infra` (a redeploy).
 */
export function subgraphTestEnv(
  name: string,
  infra: IsolatedInfra,
): Record<string, string> {
  return {
    SERVICE_NAME: name,
    PORT: '0',
    MONGODB_URI: infra.mongoUri,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    IDENTITY_SECRET: TEST_IDENTITY_SECRET,
    LOG_LEVEL: 'silent',
  };
}

/** What a service's `create…Service(config, logger)` returns, as far as tests need. */
interface Startable {
  start(port: number): Promise<string>;
  stop(): Promise<void>;
  /** Where /ready and /metrics are (service-kit's operator port). */
  operatorUrl?(): string | undefined;
}

/** An event as another service publishes it: the JSON envelope, keyed by subject, on its source's topic. */
export interface PublishableEvent {
  source: string;
  subject: string;
}

export interface StartedSubgraph<S extends Startable> {
  infra: IsolatedInfra;
  service: S;
  url: string;
  /** `http://host:port` of the operator endpoints: `${operatorUrl}/ready`, `/metrics`. */
  operatorUrl: string;
  /** Calls the subgraph as the gateway would (signed identity). */
  client: TestClient;
  /** Publishes other services' events exactly as their relays do. */
  publish(...events: PublishableEvent[]): Promise<void>;
  /** Polls `check` until it returns something truthy (projections are fed asynchronously); default 45 s. */
  eventually<T>(
    check: () => Promise<T | null | undefined | false>,
    timeoutMs?: number,
  ): Promise<T>;
  /** Stops the service and drops its database. */
  stop(): Promise<void>;
}

/**
 * A subgraph under test: its own database and topic prefix on the real local
 * servers (isolatedInfra), started in-process on a free port, with a signed
 * client, a publisher of other services' events and a poller.
 *
 * @param config parses the environment the way the service does, e.g.
 *   `(env) => loadConfig(trainingConfig, env)`; base variables are filled in here
 * @param env extra variables for the service (its own config)
 */
export async function startSubgraph<C, S extends Startable>({
  name,
  label,
  config,
  create,
  env = {},
}: {
  name: string;
  label: string;
  config: (env: Record<string, string>) => C;
  create: (config: C, logger: Logger) => S;
  env?: Record<string, string>;
}): Promise<StartedSubgraph<S>> {
  const infra = isolatedInfra(label);
  const service = create(
    config({ ...subgraphTestEnv(name, infra), ...env }),
    createLogger({ name: `${name}-test`, level: 'silent' }),
  );
  const url = await service.start(0);
  const operatorUrl = service.operatorUrl?.();
  if (!operatorUrl)
    throw new Error(
      `${name} started without an operator port (/ready, /metrics)`,
    );
  const kafka = new Kafka({
    clientId: `${name}-test-publisher`,
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  return {
    infra,
    service,
    url,
    operatorUrl,
    client: createTestClient({
      url,
      secret: TEST_IDENTITY_SECRET,
      service: name,
    }),
    async publish(...events) {
      const producer = kafka.producer();
      await producer.connect();
      try {
        for (const event of events) {
          await producer.send({
            topic: `${infra.topicPrefix}conecta.${event.source}.events`,
            messages: [{ key: event.subject, value: JSON.stringify(event) }],
          });
        }
      } finally {
        await producer.disconnect();
      }
    },
    eventually: (check, timeoutMs) => eventually(check, { timeoutMs }),
    async stop() {
      await service.stop();
      await infra.cleanup();
    },
  };
}
