import autocannon from 'autocannon';
import { startSystem } from '@conecta/devstack';
import { signIdentity } from '@conecta/service-kit';
import { companyRfc } from '@conecta/test-kit';

// `npm run bench`: every built subgraph and the gateway as real processes on
// 127.0.0.1 (infra from devstack), load from autocannon, bounded in requests
// and time. Prints figures; asserts nothing about time.
const PORT_OFFSET = 30_000;
const DURATION_S = 5;
const CONNECTIONS = 10;
// Bounded even on a fast machine: at most this many requests per run.
const MAX_REQUESTS = 20_000;
const ORGANIZATIONS = 50;
// Same development secret devstack's startSystem gives every process.
const DEV_IDENTITY_SECRET = 'dev-only-identity-secret-change-me-0123456789';

interface Figures {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ]!;
}

async function load(
  name: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Figures> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // autocannon ignores `duration` once `amount` is set: stop it at the
    // deadline ourselves, so the run is bounded in both.
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION_S,
        amount: MAX_REQUESTS,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        setupClient: (client) => {
          client.on('response', (_status: number, _bytes: number, ms: number) =>
            latencies.push(ms),
          );
        },
      },
      (err, done) => {
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve(done);
      },
    );
    const deadline = setTimeout(() => instance.stop(), DURATION_S * 1_000);
  });
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: result.requests.total,
    rps: Math.round(result.requests.total / (result.duration || DURATION_S)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
  };
}

async function graphql(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: unknown[];
  };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Requests the gateway has sent to each subgraph so far (from /metrics). */
async function subgraphCalls(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const calls: Record<string, number> = {};
  for (const match of text.matchAll(
    /^conecta_gateway_subgraph_requests_total\{subgraph="([^"]+)",outcome="[^"]+"\} (\d+)/gm,
  ))
    calls[match[1]!] = (calls[match[1]!] ?? 0) + Number(match[2]);
  return calls;
}

async function main(): Promise<void> {
  // The bench measures throughput, not the per-IP limit.
  process.env['RATE_LIMIT_PER_IP'] = '0';
  const system = await startSystem(
    { ...process.env, LOG_LEVEL: 'warn' },
    { portOffset: PORT_OFFSET },
  );
  try {
    const gatewayUrl = system.gatewayUrl.replace('localhost', '127.0.0.1');
    const base = gatewayUrl.replace(/\/graphql$/, '');
    const committeesUrl = `http://127.0.0.1:${4001 + PORT_OFFSET}/graphql`;

    process.stdout.write(`seeding ${ORGANIZATIONS} organizations…\n`);
    for (let i = 0; i < ORGANIZATIONS; i += 1)
      await graphql(
        gatewayUrl,
        system.token,
        `
          mutation ($i: RegisterOrganizationInput!) {
            registerOrganization(input: $i) {
              id
            }
          }
        `,
        {
          i: {
            name: `Empresa de prueba ${i + 1}`,
            kind: 'COMPANY',
            state: 'MX-JAL',
            taxId: companyRfc(),
          },
        },
      );

    // Batching: subgraph requests per query must not grow with the list size.
    // Before the load runs, so no in-flight request skews the counters.
    process.stdout.write('subgraph requests per query, by list size:\n');
    const totals: number[] = [];
    for (const n of [1, 10, ORGANIZATIONS]) {
      const before = await subgraphCalls(base);
      await graphql(
        gatewayUrl,
        system.token,
        `
          query ($n: Int!) {
            organizations(first: $n) {
              nodes {
                id
                committees {
                  id
                }
                certifyingBody {
                  id
                }
              }
            }
          }
        `,
        { n },
      );
      const after = await subgraphCalls(base);
      const delta = Object.fromEntries(
        Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]),
      );
      const total = Object.values(delta).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `  N=${String(n).padStart(3)}: ${total} (${JSON.stringify(delta)})\n`,
      );
      totals.push(total);
    }
    process.stdout.write(
      `batching: ${totals.every((t) => t === totals[0]) ? 'OK, constant' : 'GROWS with N'}\n`,
    );

    const simple = { query: 'query Sectors { sectors { code name } }' };
    const federated = {
      query:
        'query OrganizationsWithBodies { organizations(first: 20) { totalCount nodes { id name committees { id } certifyingBody { id } } } }',
    };
    const auth = { authorization: `Bearer ${system.token}` };
    // The subgraph directly, as the gateway calls it: signed identity, fresh per run.
    const direct = signIdentity(
      { subject: 'bench', roles: ['admin'], issuedAt: Date.now() },
      process.env['IDENTITY_SECRET'] || DEV_IDENTITY_SECRET,
    );

    const results: Figures[] = [];
    results.push(
      await load(
        'simple query, committees directly',
        committeesUrl,
        simple,
        direct,
      ),
    );
    results.push(
      await load('simple query, through the gateway', gatewayUrl, simple, auth),
    );
    results.push(
      await load(
        'federated: 20 organizations + committees + certifying bodies',
        gatewayUrl,
        federated,
        auth,
      ),
    );

    process.stdout.write(
      `\n${'operation'.padEnd(64)} ${'requests'.padStart(8)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'non-2xx'.padStart(7)}\n`,
    );
    for (const r of results)
      process.stdout.write(
        `${r.name.padEnd(64)} ${String(r.requests).padStart(8)} ${String(r.rps).padStart(7)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.non2xx).padStart(7)}\n`,
      );
    const [viaDirect, viaGateway] = results;
    process.stdout.write(
      `gateway overhead on the simple query: p50 +${(viaGateway!.p50 - viaDirect!.p50).toFixed(1)} ms, throughput ×${(viaGateway!.rps / viaDirect!.rps).toFixed(2)}\n`,
    );
  } catch (err) {
    process.stderr.write(
      `bench: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    throw err;
  } finally {
    process.stdout.write('stopping the system…\n');
    await system.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
    process.exit(1);
  },
);
