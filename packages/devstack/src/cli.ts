#!/usr/bin/env node
import { BANNER_EXAMPLES } from './examples';
import { parseArgs } from 'node:util';
import { MissingToolError, ServerStartError } from './errors';
import { say } from './report';
import { ensureInfra, infraStatus, resetInfra, stopInfra } from './stack';
import { startSystem } from './system';
import type { ServerStatus } from './stack';

const USAGE = `usage: conecta-devstack <command>

  up      start Kafka and MongoDB (reuses running ones; first run provisions)
  start   up, then every subgraph and the gateway, and the demo data (npm start);
          options --scale N, --seed N, --no-demo; Ctrl-C stops them
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

/** A certifying body of the demo data, for the certifier example (a placeholder without one). */
async function firstCertifyingBody(
  gatewayUrl: string,
  token: string,
): Promise<string> {
  try {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        query:
          '{ standards(filter: { status: PUBLISHED }, first: 1) { nodes { certifyingBodies { certifyingBody { id } } } } }',
      }),
    });
    const body = (await response.json()) as {
      data?: {
        standards: {
          nodes: { certifyingBodies: { certifyingBody: { id: string } }[] }[];
        };
      };
    };
    return (
      body.data?.standards.nodes[0]?.certifyingBodies[0]?.certifyingBody.id ??
      '<CERTIFYING_BODY_ID>'
    );
  } catch {
    return '<CERTIFYING_BODY_ID>';
  }
}

/** Runs the whole system in the foreground until Ctrl-C or a process dies. */
async function runSystem(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '2013' },
      'no-demo': { type: 'boolean', default: false },
    },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!Number.isInteger(scale) || scale < 1 || !Number.isInteger(seed)) {
    process.stderr.write(
      'usage: conecta-devstack start [--scale N (1+)] [--seed N] [--no-demo]\n',
    );
    return 64;
  }
  const system = await startSystem(process.env, {
    demo: values['no-demo'] ? false : { seed, scale },
  });
  const bodyId = await firstCertifyingBody(system.gatewayUrl, system.token);
  const universityToken = await system.issueToken({
    sub: 'observatorio@udg',
    roles: ['university'],
  });
  const curl = (query: string, token?: string) =>
    `curl -s ${system.gatewayUrl} -H 'content-type: application/json'${token ? ` -H "authorization: Bearer $${token}"` : ''} \\\n    -d '${JSON.stringify({ query })}'`;
  process.stdout.write(
    [
      '',
      `Conecta is up: ${system.gatewayUrl}`,
      '',
      'Development tokens (12 h):',
      `  export TOKEN=${system.token}`,
      `  export UNIVERSITY_TOKEN=${universityToken}`,
      '',
      "Universities' dashboard (the token stays in the URL's fragment, never sent to the server):",
      `  ${system.gatewayUrl.replace(/\/graphql$/, '/dashboard/')}#token=${universityToken}`,
      '',
      'University: demand trends and skill gaps in Jalisco over six years:',
      `  ${curl(BANNER_EXAMPLES.university, 'UNIVERSITY_TOKEN')}`,
      '',
      'Partner app (public): published standards with committee, where to certify, training offers, usage:',
      `  ${curl(BANNER_EXAMPLES.partner)}`,
      '',
      "Certifier: its body's certificates expiring within 120 days (its staff and admins):",
      `  ${curl(BANNER_EXAMPLES.certifier.replace('BODY_ID', bodyId), 'TOKEN')}`,
      '',
      'Admin: add a sector to the catalog:',
      `  ${curl(BANNER_EXAMPLES.admin, 'TOKEN')}`,
      '',
      'More, per kind of user: docs/examples.md. Other roles: node gateway/dist/dev-token.js --sub ana --roles certifier --org <ORG_ID>.',
      'Logs: .devstack/logs/<service>.log. Ctrl-C stops the services; `npm run infra:down` stops Kafka and MongoDB.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('stopping the gateway and the services…');
  await system.stop();
  return 0;
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
    case 'start':
      return runSystem(process.argv.slice(3));
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
