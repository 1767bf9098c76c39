import {
  createKafka,
  createOutboxRelay,
  createOutboxWriter,
  createServiceConsumer,
  OUTBOX_PENDING_FIELD,
  pingKafka,
  topicFor,
  type EventConsumer,
  type KafkaClient,
  type OutboxRelay,
  type OutboxWriter,
  type ServiceConsumerSpec,
  type ServiceName,
} from '@conecta/events';
import type { BaseContext } from '@apollo/server';
import express, { type RequestHandler } from 'express';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { kafkaOptionsFrom, type Config } from './config';
import type { MessageCatalogue } from './errors';
import {
  IDEMPOTENCY_COLLECTION,
  createIdempotencyStore,
  type IdempotencyEntry,
} from './idempotency';
import { createLogger, type Logger } from './logger';
import { createSubgraphMetrics, type SubgraphMetrics } from './metrics';
import { createMongo } from './mongo';
import {
  ReadinessProblem,
  withTimeout,
  type ReadinessChecks,
} from './readiness';
import { createSubgraphServer, type RequestContextArgs } from './server';
import {
  createOpenDataExport,
  createOpenDataTrigger,
  openDataRouter,
  type OpenDataExport,
} from './open-data';
import type { GeneratedFile } from './open-data-format';
import { onShutdown, type ShutdownStep } from './shutdown';
import { startTracing } from './tracing';

/** What a service's `build` receives: its connections, nothing opened yet. */
export interface SubgraphServiceDeps {
  /** The service's own MongoDB connection (connected by `start`). */
  connection: Connection;
  kafka: KafkaClient;
  /** KAFKA_TOPIC_PREFIX, for consumers' topics, groups and DLQ. */
  topicPrefix: string;
  /**
   * The one way stores write state with events: `outbox.insert` / `outbox.update`
   * (one document write each, serialised per document with the relay, which
   * they wake).
   */
  outbox: OutboxWriter;
  logger: Logger;
}

/** The parts a service declares; the runtime wires, starts and stops them. */
export interface SubgraphServiceParts<TStores, TContext extends BaseContext> {
  stores: TStores;
  /** Collections whose documents carry outbox events; the relay publishes them to `conecta.<service>.events`. */
  outboxCollections: Collection<Document>[];
  /**
   * Consumers of other services' events (projections). A spec (`{ sources,
   * handlers }`) is built with `createServiceConsumer` under the service's
   * name, with its Kafka client, topic prefix and logger. Default none.
   */
  consumers?: readonly (EventConsumer | ServiceConsumerSpec)[];
  /** codegen's `Resolvers<Context>`. */
  resolvers: object;
  /** The per-request context: identity, requestId, logger plus the service's own (DataLoaders here). */
  context: (base: RequestContextArgs) => TContext;
  /** Runs once MongoDB is connected, before consumers and traffic (e.g. create indexes). */
  prepare?: () => Promise<void>;
  /**
   * The service's own readiness checks beside MongoDB, Kafka, the outbox and
   * the consumers (e.g. `{ critical: false, check }`: work started in the
   * background that only degrades `/ready` until it is done). Default none.
   */
  readiness?: ReadinessChecks;
  /** Plain HTTP routes on the public port beside `/graphql` (an express Router). Default none. */
  routes?: RequestHandler;
  /** The service's slice of the open-data export (issue 17). Default none. */
  openData?: OpenDataSlice;
}

/**
 * A service's open-data files. The runtime keeps them in memory
 * (`createOpenDataExport`), serves them under `/open-data/<name>`
 * (`openDataRouter`), starts building them after `prepare` without holding
 * readiness (503 with Retry-After until the first build), then builds them
 * again whenever the service's topic or one of its consumer groups moves
 * (`createOpenDataTrigger`), and stops that first on shutdown (no rebuild
 * reads a closing database).
 */
export interface OpenDataSlice {
  /** The files from the service's data (its `domain/` writes them). */
  build: () => Promise<readonly GeneratedFile[]>;
  /** Their names: the only ones served. */
  files: readonly string[];
  /** The least time between two rebuilds (a burst of changes costs one). */
  minIntervalMs: number;
}

export interface SubgraphServiceOptions<TStores, TContext extends BaseContext> {
  name: ServiceName;
  config: Config;
  logger: Logger;
  /** The service's schema.graphql. */
  schemaPath: string;
  /**
   * The service's Spanish error messages by reason code (its
   * `domain/messages.ts`); errors answer in the caller's `Accept-Language`,
   * Spanish by default. Defaults to none (service-kit's generic messages).
   */
  messages?: MessageCatalogue;
  build: (deps: SubgraphServiceDeps) => SubgraphServiceParts<TStores, TContext>;
}

export interface SubgraphService<TStores> {
  stores: TStores;
  relay: OutboxRelay;
  /** Served at GET /metrics on the operator port: GraphQL requests and the MongoDB commands they send. */
  metrics: SubgraphMetrics;
  /** `http://host:port` of `/health`, `/ready` and `/metrics`, once started. */
  operatorUrl(): string | undefined;
  consumers: EventConsumer[];
  /** The open-data export when the service declared a slice (tests wait on its rebuilds). */
  openData: OpenDataExport | undefined;
  /** The stated shutdown order, for `onShutdown`. */
  shutdownSteps: ShutdownStep[];
  /**
   * Connects MongoDB, prepares, starts the relay and consumers, listens on
   * `port` and on OPERATOR_PORT (default: `port` + 1000, a free one when
   * `port` is 0); resolves to the GraphQL URL.
   */
  start(port: number): Promise<string>;
  /** Runs `shutdownSteps` in order. */
  stop(): Promise<void>;
}

/**
 * The one way a subgraph is put together: MongoDB connection, Kafka client,
 * outbox relay, consumers and the HTTP server. `/ready` is 503 only when
 * MongoDB fails (the API cannot be served); Kafka, the relay or a consumer
 * failing makes it 200 `degraded`, with details. `/metrics` carries the event
 * pipeline's metrics. Nothing is opened until `start`.
 *
 * Shutdown order: stop accepting and drain HTTP (no new writes) → flush the
 * outbox (publish what those writes produced) → stop consumers → disconnect
 * MongoDB.
 */
export function createSubgraphService<TStores, TContext extends BaseContext>({
  name,
  config,
  logger,
  schemaPath,
  messages,
  build,
}: SubgraphServiceOptions<TStores, TContext>): SubgraphService<TStores> {
  const metrics = createSubgraphMetrics({ service: name });
  const mongo = createMongo({
    uri: config.MONGODB_URI,
    logger,
    // The driver's command monitoring feeds the per-request command counts.
    connectOptions: { monitorCommands: true },
  });
  metrics.observeMongo(mongo.connection);
  const kafka = createKafka(
    kafkaOptionsFrom(config, config.SERVICE_NAME, logger),
  );
  const outbox = createOutboxWriter();
  const parts = build({
    connection: mongo.connection,
    kafka,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    outbox,
    logger,
  });
  declareOutboxIndexes(mongo.connection, parts.outboxCollections);
  const outboxRelay = createOutboxRelay({
    kafka,
    collections: parts.outboxCollections,
    topic: topicFor(name, config.KAFKA_TOPIC_PREFIX),
    logger,
    writer: backgroundWriter(outbox, metrics),
  });
  const consumers = (parts.consumers ?? []).map((consumer) =>
    'sources' in consumer
      ? createServiceConsumer({
          ...consumer,
          service: name,
          kafka,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          logger,
        })
      : consumer,
  );
  const openData = parts.openData
    ? publishOpenData(parts.openData, {
        service: name,
        kafka,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        logger,
      })
    : undefined;
  const routes = [parts.routes, openData?.routes].filter(
    (r): r is RequestHandler => r !== undefined,
  );
  // Idempotency keys live in the service's own database, next to the
  // changes they protect.
  const idempotency = createIdempotencyStore({
    collection: mongo.connection.collection(
      IDEMPOTENCY_COLLECTION,
    ) as unknown as Collection<IdempotencyEntry>,
    ttlMs: config.IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000,
    logger,
  });

  const http = createSubgraphServer<TContext>({
    name,
    schemaPath,
    resolvers: parts.resolvers,
    logger,
    identity: {
      secret: config.IDENTITY_SECRET,
      allowUnsigned: config.ALLOW_UNSIGNED_IDENTITY,
    },
    limits: { maxDepth: config.MAX_DEPTH, maxCost: config.MAX_COST },
    context: parts.context,
    metrics,
    idempotency,
    ...(messages ? { messages } : {}),
    ...(routes.length > 0
      ? {
          routes:
            routes.length === 1 ? routes[0] : express.Router().use(routes),
        }
      : {}),
    readiness: {
      // The one critical check: without its database the service cannot serve its API.
      mongo: () => mongo.readiness(),
      // The rest only degrade it: writes go on and their events wait in the
      // outbox; consumers' read models lag. /ready stays 200, "degraded".
      kafka: { critical: false, check: () => pingKafka(kafka) },
      outbox: { critical: false, check: () => outboxReadiness(outboxRelay) },
      ...(consumers.length > 0 && {
        consumers: {
          critical: false,
          check: () => consumersReadiness(consumers),
        },
      }),
      ...parts.readiness,
    },
  });
  metrics.observeEvents({ relay: outboxRelay, consumers });

  const shutdownSteps: ShutdownStep[] = [
    // First: no rebuild of the open-data export reads a closing database.
    ...(openData ? [openData.shutdownStep] : []),
    { name: 'http server', stop: () => http.stop() },
    { name: 'outbox relay', stop: () => outboxRelay.stop() },
    ...consumers.map((consumer, i) => ({
      name: `consumer ${i + 1}`,
      stop: () => consumer.stop(),
    })),
    { name: 'idempotency sweep', stop: () => idempotency.stop() },
    { name: 'mongodb', stop: () => mongo.stop() },
  ];

  return {
    stores: parts.stores,
    relay: outboxRelay,
    metrics,
    consumers,
    openData: openData?.exported,
    shutdownSteps,
    async start(port) {
      await mongo.start();
      await parts.prepare?.();
      // The export's first build starts now, then it follows every change.
      await openData?.start();
      await idempotency.start();
      await outboxRelay.start();
      for (const consumer of consumers) await consumer.start();
      return http.start(port, config.OPERATOR_PORT);
    },
    operatorUrl: () => http.operatorUrl(),
    async stop() {
      for (const step of shutdownSteps) await step.stop();
    },
  };
}

/**
 * Declares the relay's marker index (`{ outboxPending: 1 }`, which the relay
 * creates at start) in the schema of each mongoose model whose collection is
 * an outbox, so a service's `syncIndexes()` at start keeps it. Without it the
 * sync dropped the index and the relay built it again over the whole
 * collection at every start (0.9 s for certification's 213,663 certificates
 * at scale 100, the relay's claims unindexed meanwhile).
 */
function declareOutboxIndexes(
  connection: Connection,
  collections: readonly Collection<Document>[],
): void {
  const outboxes = new Set(collections.map((c) => c.collectionName));
  const marker = { [OUTBOX_PENDING_FIELD]: 1 } as const;
  for (const model of Object.values(connection.models)) {
    if (!outboxes.has(model.collection.collectionName)) continue;
    const declared = model.schema
      .indexes()
      .some(([fields]) => JSON.stringify(fields) === JSON.stringify(marker));
    if (!declared) model.schema.index(marker);
  }
}

/**
 * A declared open-data slice, wired: the export, its trigger, its routes, and
 * the shutdown step that stops the trigger, then the export.
 */
function publishOpenData(
  slice: OpenDataSlice,
  {
    service,
    kafka,
    topicPrefix,
    logger,
  }: {
    service: ServiceName;
    kafka: KafkaClient;
    topicPrefix: string;
    logger: Logger;
  },
) {
  const exported = createOpenDataExport({
    build: slice.build,
    minIntervalMs: slice.minIntervalMs,
    logger,
  });
  const trigger = createOpenDataTrigger({
    kafka,
    topicPrefix,
    service,
    refresh: () => exported.refresh(),
  });
  const shutdownStep: ShutdownStep = {
    name: 'open data export',
    stop: async () => {
      await trigger.stop();
      await exported.stop();
    },
  };
  return {
    exported,
    routes: openDataRouter(exported, slice.files),
    async start(): Promise<void> {
      // Not awaited: a large export (outcomes' at scale 10 takes about 30 s)
      // must not hold readiness; until the first build is done its files
      // answer 503 with Retry-After (openDataRouter), and stop() waits for it.
      void exported.start();
      await trigger.start();
    },
    shutdownStep,
  };
}

// A consumer's lag costs admin requests to Kafka: bounded inside the
// readiness timeout (2 s), so a Kafka outage still shows each consumer's state.
const LAG_TIMEOUT_MS = 1_000;

/** The relay's health: running and its last cycle published (or had nothing to). */
function outboxReadiness(relay: OutboxRelay): unknown {
  const { ok, detail } = relay.readiness();
  const summary = {
    running: detail.running,
    pendingDocuments: detail.pendingDocuments,
    consecutiveFailures: detail.consecutiveFailures,
    refusedDocuments: detail.refusedDocuments,
    lastError: detail.lastError,
    lastPublishedAt: detail.lastPublishedAt,
    ...(detail.sendingForMs !== undefined
      ? { sendingForMs: detail.sendingForMs }
      : {}),
  };
  if (!detail.running)
    throw new ReadinessProblem('outbox relay not running', summary);
  if (!ok)
    throw new ReadinessProblem(
      Number(detail.consecutiveFailures) > 0
        ? `outbox relay failing (${String(detail.consecutiveFailures)} cycles in a row): ${String(detail.lastError)}`
        : detail.sendingForMs !== undefined
          ? `outbox relay: a send to Kafka unanswered for ${String(detail.sendingForMs)} ms`
          : `outbox relay: Kafka refused the events of ${String(detail.refusedDocuments)} document(s) for good; they wait in their documents`,
      summary,
    );
  return summary;
}

/**
 * Every consumer's state (joining, consuming, waiting on infrastructure,
 * crashed, stopped) with its lag per partition and in total; not healthy
 * unless every one is consuming.
 */
async function consumersReadiness(
  consumers: EventConsumer[],
): Promise<unknown> {
  const details = await Promise.all(
    consumers.map(async (c) => ({
      ...c.readiness().detail,
      ...(await withTimeout(c.lag(), LAG_TIMEOUT_MS).then(
        ({ total, partitions }) => ({
          lag: total,
          partitions: partitions.map(({ topic, partition, lag }) => ({
            topic,
            partition,
            lag,
          })),
        }),
        () => ({ lag: null }),
      )),
    })),
  );
  const failing = consumers.filter((c) => !c.readiness().ok);
  if (failing.length > 0)
    throw new ReadinessProblem(
      `consumer not healthy: ${failing.map((c) => `${c.groupId} ${String(c.readiness().detail.state)}`).join(', ')}`,
      details,
    );
  return details;
}

/**
 * The outbox writer as the relay sees it: a write wakes the relay from inside
 * a GraphQL request, and the lock the relay waits for may be released by one;
 * both would run the relay's commands in that request's async context. Running
 * them outside any request keeps its polling out of the per-request counts.
 */
function backgroundWriter(
  writer: OutboxWriter,
  metrics: SubgraphMetrics,
): OutboxWriter {
  return {
    insert: (...args) => writer.insert(...args),
    insertMany: (...args) => writer.insertMany(...args),
    update: (...args) => writer.update(...args),
    exclusive: (collection, id, task) =>
      writer.exclusive(collection, id, () => metrics.outsideRequest(task)),
    onWritten: (listener) =>
      writer.onWritten(() => metrics.outsideRequest(listener)),
  };
}

/**
 * A subgraph's `main()`: reads the config (every bad variable reported, exit 1),
 * creates the logger, builds the service, registers the shutdown order on
 * SIGTERM/SIGINT and listens on PORT.
 */
export function runSubgraph<C extends Config>(
  readConfig: () => C,
  create: (
    config: C,
    logger: Logger,
  ) => Pick<SubgraphService<unknown>, 'start' | 'shutdownSteps'> &
    Partial<Pick<SubgraphService<unknown>, 'metrics'>>,
): void {
  const config = readConfig();
  const logger = createLogger({
    name: config.SERVICE_NAME,
    level: config.LOG_LEVEL,
  });
  // Before anything is built: the exporter the OTEL_* variables configure.
  const tracing = startTracing({ serviceName: config.SERVICE_NAME });
  const service = create(config, logger);
  // Process metrics only in a real process: tests build many services in one.
  service.metrics?.collectDefaultMetrics();
  onShutdown(logger, [
    ...service.shutdownSteps,
    // Last: the spans of everything the steps before did are sent.
    { name: 'tracing', stop: () => tracing.shutdown() },
  ]);
  service.start(config.PORT).then(
    (url) => logger.info({ url }, `${config.SERVICE_NAME} subgraph ready`),
    (err: unknown) => {
      logger.fatal({ err }, `${config.SERVICE_NAME} subgraph failed to start`);
      process.exit(1);
    },
  );
}
