import {
  companyRfc,
  isolatedInfra,
  launchService,
  mongoUriWithDatabase,
  readEvents,
  type IsolatedInfra,
  type LaunchedService,
} from '@conecta/test-kit';
import { createLogger } from '@conecta/service-kit';
import { issueToken } from '../src/auth';
import { parseGatewayConfig } from '../src/env';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { SUBGRAPHS, urlVariable } from '../src/subgraphs';

// End to end: every subgraph as a real process on real MongoDB (each its own
// database) and Kafka, the real gateway in front, a client that only speaks to
// the gateway.
const IDENTITY_SECRET = 'e2e-identity-secret-with-at-least-32-chars';
const JWT_SECRET = 'e2e-jwt-secret-with-at-least-32-characters';

let infra: IsolatedInfra;
let subgraphs: Map<string, LaunchedService>;
let gateway: GatewayServer;
let gatewayUrl: string;

async function post(
  body: unknown,
  token?: string,
): Promise<{ data?: any; errors?: any[] }> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  infra = isolatedInfra('gateway-e2e');
  const launched = await Promise.all(
    SUBGRAPHS.map((s) =>
      launchService({
        name: s.name,
        script: require.resolve(`@conecta/${s.name}/dist/index.js`),
        env: {
          SERVICE_NAME: s.name,
          MONGODB_URI: mongoUriWithDatabase(
            infra.mongoUri,
            `${infra.dbName}_${s.name}`,
          ),
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: infra.topicPrefix,
          IDENTITY_SECRET,
          LOG_LEVEL: 'warn',
        },
      }),
    ),
  );
  subgraphs = new Map(SUBGRAPHS.map((s, i) => [s.name, launched[i]!]));
  const urls = Object.fromEntries(
    SUBGRAPHS.map((s) => [
      urlVariable(s.name),
      subgraphs.get(s.name)!.graphqlUrl,
    ]),
  );
  const config = parseGatewayConfig({
    PORT: '0',
    IDENTITY_SECRET,
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    ...urls,
  });
  gateway = createGatewayServer(
    config,
    createLogger({ name: 'gateway-test', level: 'silent' }),
  );
  gatewayUrl = await gateway.start(0);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(
    [...(subgraphs?.values() ?? [])].map((service) => service.stop()),
  );
  await infra?.cleanup();
});

const jwt = { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' };

describe('the gateway in front of committees', () => {
  it('creates an organization through the gateway, reads it back, and its event reaches Kafka', async () => {
    const token = await issueToken({ sub: 'admin-1', roles: ['admin'] }, jwt);
    const taxId = companyRfc();
    const created = await post(
      {
        query: `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id taxId } }`,
        variables: {
          input: {
            name: 'Clúster de Tecnologías de Información de Jalisco',
            kind: 'INDUSTRY_CLUSTER',
            state: 'MX-JAL',
            taxId,
          },
        },
      },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data.registerOrganization.id as string;

    const read = await post({
      query: `query ($id: ID!) { organization(id: $id) { name kind stateName taxId } }`,
      variables: { id },
    });
    expect(read.data.organization).toEqual({
      name: 'Clúster de Tecnologías de Información de Jalisco',
      kind: 'INDUSTRY_CLUSTER',
      stateName: 'Jalisco',
      taxId,
    });

    // An independent consumer, not the service's own code, sees the fact on Kafka.
    const [message] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.committees.events`,
      until: (m) => m.key === id,
    });
    expect(message?.event).toMatchObject({
      type: 'committees.OrganizationRegistered',
      subject: id,
      data: { taxId },
    });
  });

  it('forwards the caller identity: an anonymous caller is asked to authenticate before registering', async () => {
    const res = await post({
      query: `mutation { registerOrganization(input: { name: "Anónimo", kind: COMPANY, state: "MX-JAL", taxId: "${companyRfc()}" }) { id } }`,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('forwards the caller identity: a university cannot register organizations', async () => {
    const token = await issueToken(
      { sub: 'rector-1', roles: ['university'] },
      jwt,
    );
    const res = await post(
      {
        query: `mutation { registerOrganization(input: { name: "Universidad", kind: UNIVERSITY, state: "MX-JAL", taxId: "${companyRfc()}" }) { id } }`,
      },
      token,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses an invalid bearer token with UNAUTHENTICATED', async () => {
    const res = await post({ query: '{ sectors { code } }' }, 'not-a-jwt');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a subgraph called directly, without the gateway signature, refuses the request', async () => {
    const response = await fetch(subgraphs.get('committees')!.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sectors { code } }' }),
    });
    const body = (await response.json()) as {
      errors?: { extensions?: { code?: string } }[];
    };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reports ready when the supergraph is loaded and every subgraph answers', async () => {
    const response = await fetch(gatewayUrl.replace(/\/graphql$/, '/ready'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      checks: { supergraph: 'ok', committees: 'ok' },
    });
  });
});
