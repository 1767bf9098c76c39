#!/usr/bin/env node
import { MissingToolError, ServerStartError } from './errors';
import { say } from './report';
import { ensureInfra, infraStatus, resetInfra, stopInfra } from './stack';
import type { ServerStatus } from './stack';

const USAGE = `usage: conecta-devstack <command>

  up      start Kafka and MongoDB (reuses running ones; first run provisions)
  down    stop the servers devstack started
  status  show each server: running / stopped / external, address, pid, log
  reset   down, then delete their data and logs (keeps the download cache)

Environment: KAFKA_BROKERS, MONGODB_URI (use your own servers), DEVSTACK_HOME,
DEVSTACK_CACHE_DIR, DEVSTACK_READY_TIMEOUT_MS, DEVSTACK_KAFKA_PORT,
DEVSTACK_KAFKA_CONTROLLER_PORT, DEVSTACK_MONGO_PORT. See the package README.`;

function formatStatus(statuses: ServerStatus[]): string {
  const rows = statuses.map((s) => [
    s.name,
    s.state,
    s.address,
    s.pid === undefined ? '-' : `pid ${s.pid}`,
    s.engine ?? '',
    s.logPath ?? '',
  ]);
  const widths = rows[0].map((_, col) =>
    Math.max(...rows.map((row) => row[col].length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      const { mongoUri, kafkaBrokers } = await ensureInfra();
      process.stdout.write(
        `MONGODB_URI=${mongoUri}\nKAFKA_BROKERS=${kafkaBrokers.join(',')}\n`,
      );
      return 0;
    }
    case 'down':
      await stopInfra();
      say('stopped');
      return 0;
    case 'status':
      process.stdout.write(`${formatStatus(await infraStatus())}\n`);
      return 0;
    case 'reset':
      await resetInfra();
      say('stopped and deleted data and logs (download cache kept)');
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`${USAGE}\n`);
      return 64; // EX_USAGE
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof MissingToolError || err instanceof ServerStartError) {
      say(err.message);
      process.exitCode = err instanceof MissingToolError ? 2 : 1;
    } else {
      say(
        `failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      process.exitCode = 1;
    }
  },
);
