import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventConsumer, OutboxRelay } from '@conecta/events';
import type { Connection } from 'mongoose';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import { withTimeout } from './readiness';

/** Where a MongoDB command came from. */
export type CommandScope = 'request' | 'background';

// Not the service's queries: connection handshakes and heartbeats, auth, and
// readiness pings. Counted nowhere, so the figures are the service's own work.
const NOT_QUERIES: ReadonlySet<string> = new Set([
  'hello',
  'ismaster',
  'ping',
  'buildinfo',
  'saslstart',
  'saslcontinue',
  'authenticate',
  'getnonce',
  'endsessions',
]);

// Command names are the driver's (find, aggregate, insert, update, getMore…);
// a bounded label set all the same, in case something sends odd ones.
const MAX_COMMAND_LABELS = 50;

// Commands per GraphQL request: a batched request costs a handful; a list that
// costs one per item (N+1) lands in the top buckets.
const PER_REQUEST_BUCKETS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

/** One GraphQL request's tally, kept in AsyncLocalStorage while it runs. */
interface RequestTally {
  commands: number;
}

export interface SubgraphMetrics {
  /** The service's own Prometheus registry (no global state), served at GET /metrics. */
  registry: Registry;
  /**
   * Counts the MongoDB commands `connection` sends, by command name and scope.
   * The connection must be opened with `monitorCommands: true`.
   */
  observeMongo(connection: Connection): void;
  /**
   * Runs `fn` as one GraphQL request: MongoDB commands issued while it runs
   * (resolvers, DataLoaders, `__resolveReference`) count with
   * `scope="request"`, and `conecta_subgraph_mongo_commands_per_request`
   * observes their number once the response is finished.
   */
  inRequest<T>(
    response: { once(event: 'finish', listener: () => void): unknown },
    fn: () => T,
  ): T;
  /**
   * Runs `fn` outside any request, even when called from one: background
   * work a request merely wakes (the outbox relay) counts as `background`.
   */
  outsideRequest<T>(fn: () => T): T;
  /**
   * The event pipeline's metrics, read from the relay and the consumers at
   * each scrape (see {@link registerEventMetrics}).
   */
  observeEvents(parts: {
    relay: OutboxRelay;
    consumers: EventConsumer[];
  }): void;
  /** Adds Node's process metrics (`conecta_subgraph_` prefix); only real processes call it. */
  collectDefaultMetrics(): void;
}

/**
 * A subgraph's Prometheus metrics: its GraphQL requests and the MongoDB
 * commands it sends (the driver's command monitoring), with
 * `scope="request"` for those issued while a GraphQL request is in flight
 * (tracked with AsyncLocalStorage) and `scope="background"` for the rest
 * (outbox relay, event consumers, index creation). Every series carries a
 * `service` label.
 */
export function createSubgraphMetrics({
  service,
}: {
  service: string;
}): SubgraphMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const inFlight = new AsyncLocalStorage<RequestTally>();
  const commands = new Counter({
    name: 'conecta_subgraph_mongo_commands_total',
    help: 'MongoDB commands sent, by command name and scope (request: while a GraphQL request is in flight; background: outbox relay, consumers). Handshakes, heartbeats and pings are not counted.',
    labelNames: ['command', 'scope'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'conecta_subgraph_graphql_requests_total',
    help: 'GraphQL requests answered (HTTP POST /graphql).',
    registers: [registry],
  });
  const perRequest = new Histogram({
    name: 'conecta_subgraph_mongo_commands_per_request',
    help: 'MongoDB commands one GraphQL request sent.',
    buckets: PER_REQUEST_BUCKETS,
    registers: [registry],
  });
  const seen = new Set<string>();
  let defaultsCollected = false;

  const commandLabel = (name: string): string => {
    if (seen.has(name)) return name;
    if (seen.size >= MAX_COMMAND_LABELS) return 'other';
    seen.add(name);
    return name;
  };

  return {
    registry,
    observeMongo(connection) {
      connection.on('commandStarted', (event: { commandName?: unknown }) => {
        const name =
          typeof event.commandName === 'string' ? event.commandName : '';
        if (name === '' || NOT_QUERIES.has(name.toLowerCase())) return;
        // commandStarted is emitted synchronously by the driver, in the
        // async context of the code that sent the command.
        const tally = inFlight.getStore();
        if (tally) tally.commands += 1;
        commands.inc({
          command: commandLabel(name),
          scope: tally ? 'request' : 'background',
        });
      });
    },
    inRequest(response, fn) {
      const tally: RequestTally = { commands: 0 };
      response.once('finish', () => {
        requests.inc();
        perRequest.observe(tally.commands);
      });
      return inFlight.run(tally, fn);
    },
    outsideRequest(fn) {
      return inFlight.exit(fn);
    },
    observeEvents(parts) {
      registerEventMetrics(registry, parts);
    },
    collectDefaultMetrics() {
      if (defaultsCollected) return;
      defaultsCollected = true;
      collectDefaultMetrics({
        register: registry,
        prefix: 'conecta_subgraph_',
        eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS,
      });
    },
  };
}

/**
 * How often Node's default metrics sample the event loop's delay (prom-client's
 * `eventLoopMonitoringPrecision`, 10 ms by default). A sample is a timer
 * wake-up: every 10 ms it cost a process about 3.7 ms of CPU a second doing
 * nothing else (the gateway's whole idle figure in issue 18's bench); every
 * 100 ms about 0.4. Ten samples a second still catch any block of the loop
 * longer than 100 ms and give the lag's percentiles over a scrape interval.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

// Lag and DLQ sizes cost admin requests to Kafka at each scrape: bounded, so
// a Kafka outage leaves those series out instead of hanging the scrape.
const KAFKA_SCRAPE_TIMEOUT_MS = 2_000;

/**
 * The event pipeline in Prometheus form, per service (the registry's
 * `service` label):
 *
 * | metric | labels | what |
 * | --- | --- | --- |
 * | `conecta_outbox_pending_documents` | | documents with events not yet published (refreshed every ~5 s) |
 * | `conecta_outbox_published_events_total` | | events the relay sent |
 * | `conecta_outbox_relay_failures_total` | | relay cycles that failed (Kafka refused or was down) |
 * | `conecta_outbox_relay_consecutive_failures` | | failures in a row; 0 when healthy |
 * | `conecta_consumer_lag` | `group`, `topic`, `partition` | messages not yet committed by the group |
 * | `conecta_consumer_events_total` | `group`, `outcome` (`handled`/`skipped`) | events consumed |
 * | `conecta_consumer_retries_total` | `group`, `kind` (`infrastructure`/`deterministic`) | handler retries |
 * | `conecta_consumer_dead_lettered_total` | `group`, `reason` (`invalid`/`handler`) | messages written to the DLQ |
 * | `conecta_consumer_waiting_partitions` | `group` | partitions paused on an infrastructure failure |
 * | `conecta_dlq_messages` | `topic` | messages on the DLQ topic (all time) |
 * | `conecta_dlq_waiting_messages` | `topic` | of those, not redriven yet |
 */
export function registerEventMetrics(
  registry: Registry,
  { relay, consumers }: { relay: OutboxRelay; consumers: EventConsumer[] },
): void {
  const registers = [registry];
  new Gauge({
    name: 'conecta_outbox_pending_documents',
    help: 'Documents whose outbox holds events not yet published to Kafka (the relay counts them every ~5 s).',
    registers,
    collect() {
      const pending = relay.stats.pendingDocuments;
      if (pending !== null) this.set(pending);
    },
  });
  new Counter({
    name: 'conecta_outbox_published_events_total',
    help: 'Events the outbox relay sent to Kafka (a re-sent duplicate counts again).',
    registers,
    collect() {
      this.reset();
      this.inc({}, relay.stats.published);
    },
  });
  new Counter({
    name: 'conecta_outbox_relay_failures_total',
    help: 'Outbox relay cycles that failed (Kafka down or refusing); their events stay in their documents.',
    registers,
    collect() {
      this.reset();
      this.inc({}, relay.stats.failedCycles);
    },
  });
  new Gauge({
    name: 'conecta_outbox_refused_documents',
    help: 'Documents whose events Kafka refused for good (e.g. over its size limit): kept pending and retried with backoff while the others go on.',
    registers,
    collect() {
      this.set(relay.stats.refusedDocuments);
    },
  });
  new Gauge({
    name: 'conecta_outbox_relay_consecutive_failures',
    help: 'Outbox relay cycles failed in a row; 0 when the last one succeeded.',
    registers,
    collect() {
      this.set(relay.stats.consecutiveFailures);
    },
  });
  if (consumers.length === 0) return;
  new Gauge({
    name: 'conecta_consumer_lag',
    help: 'Messages of a partition not yet committed by the consumer group (high watermark minus committed offset).',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      this.reset();
      await Promise.all(
        consumers.map(async (consumer) => {
          const lag = await withTimeout(
            consumer.lag(),
            KAFKA_SCRAPE_TIMEOUT_MS,
          ).catch(() => undefined);
          for (const p of lag?.partitions ?? [])
            this.set(
              {
                group: consumer.groupId,
                topic: p.topic,
                partition: String(p.partition),
              },
              p.lag,
            );
        }),
      );
    },
  });
  new Counter({
    name: 'conecta_consumer_events_total',
    help: 'Events consumed: handled (applied) or skipped (a type the consumer does not handle).',
    labelNames: ['group', 'outcome'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of consumers) {
        this.inc({ group: c.groupId, outcome: 'handled' }, c.stats.handled);
        this.inc({ group: c.groupId, outcome: 'skipped' }, c.stats.skipped);
      }
    },
  });
  new Counter({
    name: 'conecta_consumer_retries_total',
    help: 'Handler retries: while waiting out an infrastructure failure (never dead-lettered), or after a deterministic failure (dead-lettered when they run out).',
    labelNames: ['group', 'kind'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of consumers) {
        this.inc(
          { group: c.groupId, kind: 'infrastructure' },
          c.stats.infrastructureRetries,
        );
        this.inc({ group: c.groupId, kind: 'deterministic' }, c.stats.retried);
      }
    },
  });
  new Counter({
    name: 'conecta_consumer_dead_lettered_total',
    help: 'Messages the consumer wrote to its DLQ topic, by reason (invalid: failed validation; handler: kept failing).',
    labelNames: ['group', 'reason'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of consumers)
        for (const reason of ['invalid', 'handler'] as const)
          this.inc(
            { group: c.groupId, reason },
            c.stats.deadLetteredByReason[reason],
          );
    },
  });
  new Gauge({
    name: 'conecta_consumer_waiting_partitions',
    help: 'Partitions paused while an infrastructure failure (database unreachable, timeouts) lasts.',
    labelNames: ['group'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of consumers) {
        const waiting = c.readiness().detail.waitingOnInfrastructure;
        this.set(
          { group: c.groupId },
          Array.isArray(waiting) ? waiting.length : 0,
        );
      }
    },
  });
  // Several consumers of a service may share one DLQ topic: one series per topic.
  const byDlq = new Map(consumers.map((c) => [c.dlqTopic, c]));
  // Both DLQ gauges are collected in one scrape: one round of requests for both.
  let last: { at: number; backlogs: ReturnType<typeof readBacklogs> } | null =
    null;
  const readBacklogs = () =>
    Promise.all(
      [...byDlq.values()].map((c) =>
        withTimeout(c.dlqBacklog(), KAFKA_SCRAPE_TIMEOUT_MS).catch(
          () => undefined,
        ),
      ),
    );
  const backlogs = () => {
    if (!last || Date.now() - last.at > 1_000)
      last = { at: Date.now(), backlogs: readBacklogs() };
    return last.backlogs;
  };
  new Gauge({
    name: 'conecta_dlq_messages',
    help: 'Messages on the DLQ topic, all time (topics keep their messages forever).',
    labelNames: ['topic'] as const,
    registers,
    async collect() {
      this.reset();
      for (const backlog of await backlogs())
        if (backlog) this.set({ topic: backlog.topic }, backlog.messages);
    },
  });
  new Gauge({
    name: 'conecta_dlq_waiting_messages',
    help: 'Messages on the DLQ topic not redriven yet (npm run dlq -- redrive).',
    labelNames: ['topic'] as const,
    registers,
    async collect() {
      this.reset();
      for (const backlog of await backlogs())
        if (backlog) this.set({ topic: backlog.topic }, backlog.waiting);
    },
  });
}
