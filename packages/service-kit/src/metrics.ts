import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection } from 'mongoose';
import {
  Counter,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

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
    collectDefaultMetrics() {
      if (defaultsCollected) return;
      defaultsCollected = true;
      collectDefaultMetrics({
        register: registry,
        prefix: 'conecta_subgraph_',
      });
    },
  };
}
