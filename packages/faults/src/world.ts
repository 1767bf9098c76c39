import type { EventConsumer, KafkaClient, OutboxRelay } from '@conecta/events';
import type { Collection, MongoClient } from 'mongodb';
import type { Logger } from 'pino';
import {
  collections,
  connectMongo,
  createWriter,
  kafkaFor,
  lagProbe,
  namesFor,
  readModelConsumer,
  relayFor,
  tally,
  waitCaughtUp,
} from './pipeline';
import type {
  ConsumeMode,
  SectorDoc,
  SectorView,
  Tally,
  WorldNames,
  Writer,
} from './pipeline';
import type { PrivateStack } from './stack';

/** What a scenario gets from the runner. */
export interface ScenarioContext {
  readonly stack: PrivateStack;
  /** How long an outage lasts (FAULTS_OUTAGE_MS; the figure, 2 minutes, by default). */
  readonly outageMs: number;
  readonly logger: Logger;
  /** The log level child processes use (FAULTS_LOG_LEVEL). */
  readonly logLevel: string;
  /** Prints a progress line. */
  say(line: string): void;
}

/** One line of the table. */
export interface Row {
  produced: number;
  lost: number;
  appliedTwice: number;
  halfDone: number;
  /** Figures outside the four columns that the scenario expects, e.g. "dead-lettered: 1 (1 expected)". */
  expected?: string;
  /** Every figure that is not as expected, for the report under the table. */
  problems: string[];
  notes: string[];
}

/** A fault the suite inflicts. */
export interface Scenario {
  readonly id: string;
  /** The row's label. */
  readonly fault: string;
  run(context: ScenarioContext): Promise<Row>;
}

/**
 * One scenario's pipeline on the private stack: its own database (aggregates
 * with outbox, read model), topic, DLQ and group; a writer, and the real relay
 * and consumer when the scenario runs them in this process.
 */
export interface World {
  readonly names: WorldNames;
  readonly client: MongoClient;
  readonly sectors: Collection<SectorDoc>;
  readonly views: Collection<SectorView>;
  readonly kafka: KafkaClient;
  readonly writer: Writer;
  /** Starts a relay in this process (the writer's, so writes wake it). */
  startRelay(): Promise<OutboxRelay>;
  /** Starts the read-model consumer in this process. */
  startConsumer(mode?: ConsumeMode): Promise<EventConsumer>;
  /** Waits for outbox backlog 0 and lag 0 (see `waitCaughtUp`). */
  caughtUp(deadlineMs: number): Promise<number>;
  /** Waits for outbox backlog 0 only: everything written is on Kafka. */
  relayed(deadlineMs: number): Promise<number>;
  tally(): Promise<Tally>;
  /** Stops what it started, drops the database. */
  close(): Promise<void>;
}

export async function openWorld(
  context: ScenarioContext,
  scenario: string,
): Promise<World> {
  const names = namesFor(scenario, context.stack);
  const client = await connectMongo(names.mongoUri);
  const { sectors, views } = collections(client.db(names.dbName));
  const kafka = kafkaFor(names, `faults-${scenario}`, context.logger);
  const writer = createWriter(sectors);
  const lag = lagProbe(names, views, kafka, context.logger);
  const running: Array<{ stop(): Promise<void> }> = [];
  return {
    names,
    client,
    sectors,
    views,
    kafka,
    writer,
    async startRelay() {
      const relay = relayFor(
        names,
        sectors,
        kafka,
        context.logger,
        writer.outbox,
      );
      await relay.start();
      running.push(relay);
      return relay;
    },
    async startConsumer(mode = 'message') {
      const consumer = readModelConsumer(
        names,
        views,
        kafka,
        context.logger,
        mode,
      );
      await consumer.start();
      running.push(consumer);
      return consumer;
    },
    caughtUp: (deadlineMs) =>
      waitCaughtUp({ sectors, lag, deadlineMs, say: context.say }),
    relayed: (deadlineMs) =>
      waitCaughtUp({
        sectors,
        lag: () => Promise.resolve(0),
        deadlineMs,
        say: context.say,
      }),
    tally: () =>
      tally({
        produced: writer.produced,
        sectors,
        views,
        kafka,
        dlqTopic: names.dlqTopic,
      }),
    async close() {
      for (const part of running.reverse())
        await part.stop().catch(() => undefined);
      await client
        .db(names.dbName)
        .dropDatabase()
        .catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** The row of a pipeline scenario from its tally: every cell must be 0. */
export function rowFrom(
  figures: Tally,
  notes: string[],
  expected?: string,
): Row {
  return {
    produced: figures.produced,
    lost: figures.lost,
    appliedTwice: figures.appliedTwice,
    halfDone: figures.halfDone,
    ...(expected ? { expected } : {}),
    problems: figures.details,
    notes,
  };
}

/** Seconds, one decimal, for progress lines and notes. */
export const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;
