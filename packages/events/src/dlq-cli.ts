import { pino } from 'pino';
import {
  DlqUsageError,
  listDlq,
  listDlqTopics,
  redriveDlq,
  showDlqEntry,
} from './dlq';
import type { DlqEntry, RedriveSelection } from './dlq';
import { createKafka } from './kafka';
import type { KafkaClient, KafkaSasl } from './kafka';
import { dlqTopicFor } from './topics';

export const DLQ_USAGE = `Usage: npm run dlq -- <command> [options]

  list [--topic T] [--limit N]
      Per DLQ topic: messages, redriven, waiting, and the first N (10)
      entries still waiting (type, reason, error, origin, failedAt).
  show <topic> <partition> <offset>
      One dead-lettered message: every header, its key and value.
  redrive <topic> --all
  redrive <topic> --offset N [--partition P]
      Sends waiting messages back to their original topic (value, key,
      headers minus dlq-*), each once: what was redriven is recorded in
      the consumer group <topic>.redrive, so a second run sends nothing.

<topic> is a DLQ topic (conecta.outcomes.dlq) or a consumer's name (outcomes).

Environment: KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_TOPIC_PREFIX
(default none), KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and
KAFKA_SASL_PASSWORD (all or none), LOG_LEVEL of the Kafka client (error).`;

/** Exit codes: as devstack's CLI. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 64;

/** Where the CLI writes. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

const FLAGS_WITH_VALUE = new Set(['topic', 'limit', 'offset', 'partition']);
const FLAGS_ALONE = new Set(['all', 'help']);

function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '-h') {
      flags.set('help', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [
      string,
      string | undefined,
    ];
    if (FLAGS_ALONE.has(name)) {
      if (inline !== undefined)
        throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (FLAGS_WITH_VALUE.has(name)) {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, flags };
}

function nonNegativeInt(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value))
    throw new UsageError(
      `${what} must be a whole number ≥ 0, got ${value ?? 'nothing'}`,
    );
  return Number(value);
}

function allow(args: ParsedArgs, command: string, allowed: string[]): void {
  for (const name of args.flags.keys())
    if (!allowed.includes(name))
      throw new UsageError(`${command} takes no --${name}`);
}

/** A DLQ topic from what the user typed: a full name, or a consumer's name. */
function dlqTopicOf(arg: string | undefined, prefix: string): string {
  if (!arg) throw new UsageError('a DLQ topic is needed');
  return arg.includes('.') ? arg : dlqTopicFor(arg, prefix);
}

function saslFrom(env: NodeJS.ProcessEnv): KafkaSasl | undefined {
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim();
  const username = env.KAFKA_SASL_USERNAME?.trim();
  const password = env.KAFKA_SASL_PASSWORD;
  const given = [mechanism, username, password].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given < 3)
    throw new UsageError(
      'KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together: set all three or none',
    );
  if (
    mechanism !== 'scram-sha-512' &&
    mechanism !== 'scram-sha-256' &&
    mechanism !== 'plain'
  )
    throw new UsageError(
      `KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain, got ${mechanism}`,
    );
  return { mechanism, username: username!, password: password! };
}

function describeEntry(entry: DlqEntry): string[] {
  const origin = entry.originalTopic
    ? `from ${entry.originalTopic} ${entry.originalPartition ?? '?'}/${entry.originalOffset ?? '?'}`
    : 'origin unknown';
  return [
    `  ${entry.partition}/${entry.offset}  ${entry.type ?? '(no type)'}  reason=${entry.reason ?? '?'}  failedAt=${entry.failedAt ?? '?'}  ${origin}${entry.consumerGroup ? ` (group ${entry.consumerGroup})` : ''}`,
    `      error: ${entry.error ?? '(none)'}`,
  ];
}

async function assertTopicExists(
  kafka: KafkaClient,
  topic: string,
  prefix: string,
): Promise<void> {
  // The topic's own prefix: a DLQ of another prefix may be typed in full.
  const own = /^(.*)conecta\.[^.]+\.dlq$/.exec(topic)?.[1];
  if (own !== undefined && (await listDlqTopics(kafka, own)).includes(topic))
    return;
  const topics = await listDlqTopics(kafka, prefix);
  throw new DlqUsageError(
    `no DLQ topic ${topic} (DLQ topics${prefix ? ` with prefix ${prefix}` : ''}: ${topics.join(', ') || 'none'})`,
  );
}

/**
 * Runs the DLQ CLI on `argv` (without node and script); resolves to the exit
 * code: 0 done, 1 failed, 64 bad usage.
 */
export async function runDlqCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliOutput,
): Promise<number> {
  let kafka: KafkaClient;
  let args: ParsedArgs;
  const prefix = env.KAFKA_TOPIC_PREFIX ?? '';
  try {
    args = parseArgs(argv);
    if (args.flags.has('help') || args.positional.length === 0) {
      (args.flags.has('help') ? io.out : io.err)(DLQ_USAGE);
      return args.flags.has('help') ? EXIT_OK : EXIT_USAGE;
    }
    const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    if (brokers.length === 0) throw new UsageError('KAFKA_BROKERS is empty');
    const sasl = saslFrom(env);
    kafka = createKafka({
      brokers,
      clientId: 'conecta-dlq',
      logger: pino({ level: env.LOG_LEVEL ?? 'error' }, pino.destination(2)),
      retries: 2,
      ...(sasl ? { sasl } : {}),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`dlq: ${error.message}\n\n${DLQ_USAGE}`);
    return EXIT_USAGE;
  }
  const progress = (line: string) => io.out(line);

  try {
    const [command, ...rest] = args.positional;
    switch (command) {
      case 'list': {
        allow(args, 'list', ['topic', 'limit']);
        if (rest.length > 0)
          throw new UsageError(`list takes no argument ${rest[0]}`);
        const limit = args.flags.has('limit')
          ? nonNegativeInt(String(args.flags.get('limit')), '--limit')
          : 10;
        const only = args.flags.get('topic');
        let topics: string[];
        if (only !== undefined) {
          const topic = dlqTopicOf(String(only), prefix);
          await assertTopicExists(kafka, topic, prefix);
          topics = [topic];
        } else {
          topics = await listDlqTopics(kafka, prefix);
        }
        if (topics.length === 0) {
          io.out(`no DLQ topics${prefix ? ` with prefix ${prefix}` : ''}`);
          return EXIT_OK;
        }
        for (const topic of topics) {
          const listing = await listDlq(kafka, topic, { limit });
          io.out(
            `${topic}: ${listing.messages} dead-lettered, ${listing.redriven} redriven, ${listing.waiting} waiting`,
          );
          for (const entry of listing.entries)
            for (const line of describeEntry(entry)) io.out(line);
          if (listing.waiting > listing.entries.length)
            io.out(
              `  … ${listing.waiting - listing.entries.length} more waiting (--limit)`,
            );
        }
        return EXIT_OK;
      }
      case 'show': {
        allow(args, 'show', []);
        if (rest.length !== 3)
          throw new UsageError('show needs <topic> <partition> <offset>');
        const topic = dlqTopicOf(rest[0], prefix);
        const partition = nonNegativeInt(rest[1], '<partition>');
        const offset = nonNegativeInt(rest[2], '<offset>');
        await assertTopicExists(kafka, topic, prefix);
        const entry = await showDlqEntry(kafka, topic, partition, offset);
        io.out(
          `${topic} ${partition}/${offset}${entry.redriven ? ' (redriven)' : ' (waiting)'}`,
        );
        io.out(`key: ${entry.key ?? '(none)'}`);
        io.out('headers:');
        for (const [name, value] of Object.entries(entry.headers))
          io.out(`  ${name}: ${value}`);
        io.out('value:');
        let value = entry.value ?? '(none)';
        try {
          value = JSON.stringify(JSON.parse(value), null, 2);
        } catch {
          // Not JSON (maybe why it was dead-lettered): shown as it is.
        }
        io.out(value);
        return EXIT_OK;
      }
      case 'redrive': {
        allow(args, 'redrive', ['all', 'offset', 'partition']);
        if (rest.length !== 1)
          throw new UsageError('redrive needs exactly one <topic>');
        const topic = dlqTopicOf(rest[0], prefix);
        const all = args.flags.has('all');
        const offset = args.flags.get('offset');
        if (all === (offset !== undefined))
          throw new UsageError('redrive needs either --all or --offset N');
        if (all && args.flags.has('partition'))
          throw new UsageError('--partition goes with --offset, not --all');
        const partition = args.flags.get('partition');
        const selection: RedriveSelection = all
          ? { all: true }
          : {
              offset: nonNegativeInt(String(offset), '--offset'),
              ...(partition !== undefined
                ? {
                    partition: nonNegativeInt(String(partition), '--partition'),
                  }
                : {}),
            };
        await assertTopicExists(kafka, topic, prefix);
        const result = await redriveDlq(kafka, topic, selection, {
          progress,
        });
        io.out(
          `done: ${result.redriven.length} redriven now${result.alreadyRedriven > 0 ? `, ${result.alreadyRedriven} already redriven before` : ''}`,
        );
        return EXIT_OK;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`dlq: ${error.message}\n\n${DLQ_USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof DlqUsageError) {
      io.err(`dlq: ${error.message}`);
      return EXIT_USAGE;
    }
    io.err(
      `dlq: failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT_FAILED;
  }
}

/** The `npm run dlq` entry point (bin/conecta-dlq.js). */
export function main(): void {
  runDlqCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`dlq: ${String(error)}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
