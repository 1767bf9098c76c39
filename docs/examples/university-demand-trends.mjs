#!/usr/bin/env node
// A university's view of industry demand in its state, from the Conecta graph:
// requested training headcount per quarter, with its growth. Plain Node 20+
// (built-in fetch), no dependencies.
//
//   CONECTA_API_KEY=cnk_… node university-demand-trends.mjs
//   CONECTA_TOKEN=eyJ… CONECTA_STATE=MX-NLE node university-demand-trends.mjs
//
// Environment:
//   CONECTA_URL          the gateway (default http://localhost:4000/graphql)
//   CONECTA_API_KEY      a partner app's API key (x-api-key), or
//   CONECTA_TOKEN        a person's bearer token; neither: public view
//   CONECTA_STATE        ISO 3166-2:MX state code (default MX-JAL)
//   CONECTA_FROM         first day (default: January 1st, three years ago)
//   CONECTA_TO           last day (default: today)
//   CONECTA_GRANULARITY  MONTH, QUARTER (default) or YEAR

// The operation, as registered for allow-list mode (docs/limits.md); the
// repository's docs test validates it against the schema.
const QUERY = /* GraphQL */ `
  query UniversityDemandTrends($filter: OutcomeFilter!) {
    demandTrends(filter: $filter) {
      period
      requestedHeadcount {
        value
        suppressed
      }
      requests {
        value
        suppressed
      }
      growthRate
    }
  }
`;

const env = process.env;
const url = env.CONECTA_URL ?? 'http://localhost:4000/graphql';
const today = new Date().toISOString().slice(0, 10);
const filter = {
  state: env.CONECTA_STATE ?? 'MX-JAL',
  from: env.CONECTA_FROM ?? `${new Date().getUTCFullYear() - 3}-01-01`,
  to: env.CONECTA_TO ?? today,
  granularity: env.CONECTA_GRANULARITY ?? 'QUARTER',
};

function credentials() {
  if (env.CONECTA_API_KEY && env.CONECTA_TOKEN)
    throw new Error('Set CONECTA_API_KEY or CONECTA_TOKEN, not both');
  if (env.CONECTA_API_KEY) return { 'x-api-key': env.CONECTA_API_KEY };
  if (env.CONECTA_TOKEN)
    return { authorization: `Bearer ${env.CONECTA_TOKEN}` };
  return {};
}

/** Sends one operation; throws with every error's code and message. */
async function graphql(query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentials() },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  if (response.status === 429) {
    const wait = response.headers.get('retry-after');
    throw new Error(`Rate limited: try again in ${wait} s`);
  }
  const body = await response.json();
  if (body.errors?.length)
    throw new Error(
      body.errors
        .map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`)
        .join('\n'),
    );
  return body.data;
}

// Small counts (under 5 by default) are withheld so no small group can be
// singled out; NOT_RECORDED means the source does not record it.
const count = ({ value, suppressed }) =>
  value ?? (suppressed === 'BELOW_THRESHOLD' ? 'few' : '—');

const growth = (rate) =>
  rate === null ? '' : `${rate >= 0 ? '+' : ''}${(rate * 100).toFixed(0)}%`;

async function main() {
  const { demandTrends } = await graphql(QUERY, { filter });
  console.log(
    `Demand for training in ${filter.state}, ${filter.from} to ${filter.to} (${filter.granularity.toLowerCase()})\n`,
  );
  const rows = [
    ['period', 'people requested', 'requests', 'growth'],
    ...demandTrends.map((point) => [
      point.period,
      String(count(point.requestedHeadcount)),
      String(count(point.requests)),
      growth(point.growthRate),
    ]),
  ];
  const widths = rows[0].map((_, i) =>
    Math.max(...rows.map((row) => row[i].length)),
  );
  for (const [i, row] of rows.entries()) {
    console.log(
      row
        .map((cell, c) =>
          c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  const total = demandTrends.reduce(
    (sum, point) => sum + (point.requestedHeadcount.value ?? 0),
    0,
  );
  console.log(`\n${total} people requested in shown periods`);
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
