import { isolatedInfra } from '@conecta/devstack';
import type { IsolatedInfra } from '@conecta/devstack';
import { createLogger } from '../src/index';
import type { SubgraphService } from '../src/index';
import { createGadgetService, gadgetEnv } from './fixtures/gadget-service';
import { signedFor } from './fixtures/identity-mother';

// A real subgraph (createSubgraphService) on the devstack MongoDB-wire server
// and Kafka: the command counts come from the driver's command monitoring.
let infra: IsolatedInfra;
let service: SubgraphService<unknown>;
let url: string;

type Counts = Record<string, number>;

/** The gadget fixture runs as the committees subgraph. */
const SERVICE = 'committees';

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedFor(body, undefined, SERVICE),
    },
    body,
  });
  const answer = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: unknown[];
  };
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

async function metricsText(): Promise<string> {
  const response = await fetch(`${service.operatorUrl()}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** `conecta_subgraph_mongo_commands_total` of one scope, by command name. */
async function commands(scope: 'request' | 'background'): Promise<Counts> {
  const counts: Counts = {};
  for (const [, labels, value] of (await metricsText()).matchAll(
    /^conecta_subgraph_mongo_commands_total\{([^}]*)\} (\d+)/gm,
  )) {
    const command = /command="([^"]+)"/.exec(labels!)?.[1];
    if (command && labels!.includes(`scope="${scope}"`))
      counts[command] = Number(value);
  }
  return counts;
}

function delta(before: Counts, after: Counts): Counts {
  return Object.fromEntries(
    Object.keys(after)
      .map((k) => [k, after[k]! - (before[k] ?? 0)] as const)
      .filter(([, d]) => d !== 0),
  );
}

/** The commands one GraphQL request sent (nothing else runs in request scope). */
async function commandsOf(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Counts> {
  const before = await commands('request');
  await graphql(query, variables);
  return delta(before, await commands('request'));
}

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

beforeAll(async () => {
  infra = isolatedInfra('service_kit_metrics');
  service = createGadgetService(
    gadgetEnv(infra),
    createLogger({ name: 'metrics-test', level: 'silent' }),
  );
  url = await service.start(0);
  for (const id of ids(10, 'g'))
    await graphql(
      'mutation ($id: ID!, $name: String!) { addGadget(id: $id, name: $name) { id } }',
      { id, name: `Gadget ${id}` },
    );
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

describe('MongoDB commands per request (GET /metrics)', () => {
  it('counts one find for a list of 1 and for a list of 10 loaded through a DataLoader', async () => {
    const query = 'query ($ids: [ID!]!) { gadgets(ids: $ids) { id name } }';
    expect(await commandsOf(query, { ids: ids(1, 'g') })).toEqual({ find: 1 });
    expect(await commandsOf(query, { ids: ids(10, 'g') })).toEqual({
      find: 1,
    });
  });

  it('counts entity references the gateway resolves in one _entities call as one find', async () => {
    const query =
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Gadget { name } } }';
    const representations = ids(10, 'g').map((id) => ({
      __typename: 'Gadget',
      id,
    }));
    expect(await commandsOf(query, { r: representations })).toEqual({
      find: 1,
    });
  });

  it('counts a write with its events as the request’s own insert, and the outbox relay that publishes it as background', async () => {
    const publishedBefore = service.relay.stats.published;
    const backgroundBefore = await commands('background');
    expect(
      await commandsOf(
        'mutation { addGadget(id: "g-new", name: "Nuevo") { id } }',
      ),
    ).toEqual({ insert: 1 });
    // The write woke the relay from inside the request; its find/update
    // cycle still counts as background.
    const deadline = Date.now() + 30_000;
    while (service.relay.stats.published === publishedBefore) {
      if (Date.now() > deadline) throw new Error('relay did not publish');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const requestBefore = await commands('request');
    const background = delta(backgroundBefore, await commands('background'));
    expect(background['find']).toBeGreaterThan(0);
    expect(background['update']).toBeGreaterThan(0);
    // Relay polling keeps running; none of it lands in request scope.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(delta(requestBefore, await commands('request'))).toEqual({});
  });

  it('serves Prometheus text with the service label, a per-request histogram, and no handshakes or pings', async () => {
    await fetch(`${service.operatorUrl()}/ready`); // pings MongoDB
    const text = await metricsText();
    expect(text).toMatch(
      /^conecta_subgraph_mongo_commands_total\{command="find",scope="request",service="committees"\} \d+/m,
    );
    expect(text).toMatch(
      /^conecta_subgraph_mongo_commands_per_request_bucket\{le="1",service="committees"\} \d+/m,
    );
    expect(text).toMatch(
      /^conecta_subgraph_graphql_requests_total\{service="committees"\} \d+/m,
    );
    expect(text).not.toMatch(/command="(ping|hello|isMaster|ismaster)"/);
    // Process metrics only when runSubgraph runs a real process.
    expect(text).not.toMatch(/conecta_subgraph_process_cpu/);
  });
});
