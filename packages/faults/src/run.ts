/**
 * The fault suite (issue 13, item 8): `npm run faults`. Starts a private
 * Kafka, FerretDB and PostgreSQL through devstack, runs each fault against a
 * pipeline of its own (outbox → real relay → Kafka → real consumer →
 * read model with `applyOnce`), prints progress while it runs, then a
 * markdown table — each fault × events produced, lost, applied twice, left
 * half done — and exits 1 if any cell is not 0 (or a scenario failed).
 *
 * Environment (read here only):
 * - FAULTS_OUTAGE_MS: how long the broker and the database stay down;
 *   default 120000 (the issue's 2 minutes);
 * - FAULTS_ONLY: comma-separated scenario ids to run (default all);
 * - FAULTS_LOG_LEVEL: pino level of the relays, consumers, subgraph and
 *   gateway, on stderr; default silent.
 */
import { hostname, cpus } from 'node:os';
import { resolve } from 'node:path';
import { faultsLogger } from './pipeline';
import { brokerDown } from './scenarios/broker-down';
import { databaseDown } from './scenarios/database-down';
import { duplicateDelivery } from './scenarios/duplicate-delivery';
import { gatewayTimeout } from './scenarios/gateway-timeout';
import { poisonEvent } from './scenarios/poison-event';
import { retentionCut } from './scenarios/retention-cut';
import { sigkill } from './scenarios/sigkill';
import { twoRelays } from './scenarios/two-relays';
import { startPrivateStack } from './stack';
import type { PrivateStack } from './stack';
import type { Row, Scenario } from './world';
import { seconds } from './world';

/** In the issue's order. */
export const SCENARIOS: readonly Scenario[] = [
  brokerDown,
  databaseDown,
  sigkill,
  duplicateDelivery,
  poisonEvent,
  twoRelays,
  retentionCut,
  gatewayTimeout,
];

const DEFAULT_OUTAGE_MS = 120_000;

interface Result {
  scenario: Scenario;
  row?: Row;
  error?: string;
  durationMs: number;
}

function readOptions(env: NodeJS.ProcessEnv): {
  outageMs: number;
  only: string[] | undefined;
  logLevel: string;
} {
  const raw = env.FAULTS_OUTAGE_MS ?? String(DEFAULT_OUTAGE_MS);
  const outageMs = Number(raw);
  if (!Number.isInteger(outageMs) || outageMs < 1_000)
    throw new Error(
      `FAULTS_OUTAGE_MS must be a whole number of milliseconds, at least 1000; got "${raw}"`,
    );
  const only = env.FAULTS_ONLY?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = (only ?? []).filter(
    (id) => !SCENARIOS.some((s) => s.id === id),
  );
  if (unknown.length > 0)
    throw new Error(
      `FAULTS_ONLY names unknown scenarios: ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`,
    );
  return { outageMs, only, logLevel: env.FAULTS_LOG_LEVEL ?? 'silent' };
}

/** `2 min`, `7 min 4 s`, or `15.0 s` under a minute. */
const minutes = (ms: number): string => {
  if (ms < 60_000) return seconds(ms);
  const whole = Math.floor(ms / 60_000);
  const rest = Math.round((ms % 60_000) / 1_000);
  return rest === 0 ? `${whole} min` : `${whole} min ${rest} s`;
};

function passed(result: Result): boolean {
  const row = result.row;
  return (
    row !== undefined &&
    row.lost === 0 &&
    row.appliedTwice === 0 &&
    row.halfDone === 0 &&
    row.problems.length === 0
  );
}

/** The markdown table, then what each row means and every problem found. */
export function renderTable(results: Result[], outageMs: number): string {
  const lines = [
    `| fault | produced | lost | applied twice | left half done | also checked | result |`,
    `| --- | ---: | ---: | ---: | ---: | --- | --- |`,
  ];
  for (const result of results) {
    const { row } = result;
    const label =
      result.scenario.id === 'broker-down' ||
      result.scenario.id === 'database-down'
        ? `${result.scenario.fault} (${minutes(outageMs)})`
        : result.scenario.fault;
    lines.push(
      row
        ? `| ${label} | ${row.produced} | ${row.lost} | ${row.appliedTwice} | ${row.halfDone} | ${row.expected ?? ''} | ${passed(result) ? 'ok' : '**FAIL**'} |`
        : `| ${label} | — | — | — | — | | **FAIL** |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const options = readOptions(process.env);
  const started = Date.now();
  const say = (line: string) =>
    process.stdout.write(
      `[faults ${seconds(Date.now() - started).padStart(7)}] ${line}\n`,
    );
  const logger = faultsLogger(options.logLevel);
  const scenarios = SCENARIOS.filter(
    (s) => !options.only || options.only.includes(s.id),
  );
  say(
    `fault suite: ${scenarios.length} scenarios, outages of ${minutes(options.outageMs)} (FAULTS_OUTAGE_MS)`,
  );
  // The repository root: this file is packages/faults/src/run.ts.
  const repoRoot = resolve(__dirname, '..', '..', '..');
  let stack: PrivateStack | undefined;
  const results: Result[] = [];
  const stopStack = () => {
    void stack?.destroy().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopStack);
  process.once('SIGTERM', stopStack);
  try {
    stack = await startPrivateStack(repoRoot, say);
    say(
      `private stack ready: Kafka ${stack.kafkaBrokers.join(',')}, ${stack.mongoUri}`,
    );
    for (const scenario of scenarios) {
      const at = Date.now();
      say(`▶ ${scenario.fault}`);
      try {
        const row = await scenario.run({
          stack,
          outageMs: options.outageMs,
          logger,
          logLevel: options.logLevel,
          say,
        });
        const result = { scenario, row, durationMs: Date.now() - at };
        results.push(result);
        say(
          `${passed(result) ? '✔' : '✘'} ${scenario.fault}: produced ${row.produced}, lost ${row.lost}, applied twice ${row.appliedTwice}, left half done ${row.halfDone}${row.expected ? `, ${row.expected}` : ''} (${seconds(result.durationMs)})`,
        );
        for (const problem of row.problems) say(`  ✘ ${problem}`);
      } catch (error) {
        const message =
          error instanceof Error
            ? (error.stack ?? error.message)
            : String(error);
        results.push({ scenario, error: message, durationMs: Date.now() - at });
        say(`✘ ${scenario.fault} failed: ${message}`);
      }
    }
  } finally {
    say('stopping the private stack…');
    await stack?.destroy().catch((error: unknown) => {
      say(`could not stop the private stack: ${String(error)}`);
    });
  }

  const total = Date.now() - started;
  const cpu = cpus();
  process.stdout.write(
    [
      '',
      `Fault suite, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${hostname()} (${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}), outages of ${minutes(options.outageMs)}, ${minutes(total)} in all:`,
      '',
      renderTable(results, options.outageMs),
      '',
      ...results.flatMap((result) => [
        `- **${result.scenario.fault}** (${seconds(result.durationMs)}): ${
          result.row
            ? [
                ...result.row.notes,
                ...result.row.problems.map((p) => `✘ ${p}`),
              ].join('; ')
            : `✘ failed: ${result.error?.split('\n')[0] ?? ''}`
        }`,
      ]),
      '',
    ].join('\n'),
  );
  const failed = results.filter((r) => !passed(r));
  if (failed.length > 0) {
    process.stdout.write(
      `${failed.length} of ${results.length} faults are not all zeros: ${failed.map((r) => r.scenario.id).join(', ')}\n`,
    );
    return 1;
  }
  process.stdout.write(`every cell is 0 (${results.length} faults)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fault suite: ${String(error)}\n`);
    process.exit(2);
  },
);
