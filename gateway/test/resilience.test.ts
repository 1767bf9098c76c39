import {
  isolatedInfra,
  launchService,
  mongoUriWithDatabase,
  type IsolatedInfra,
  type LaunchedService,
} from '@conecta/test-kit';
import { createLogger } from '@conecta/service-kit';
import { parseGatewayConfig } from '../src/env';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { urlVariable } from '../src/subgraphs';

// A real subgraph process stopped mid-test: the gateway answers with the data
// of the subgraphs still up and an error naming the one that is down.
const IDENTITY_SECRET = 'resilience-identity-secret-with-32-chars!';
const LAUNCHED = ['committees', 'standards'] as const;

let infra: IsolatedInfra;
const services = new Map<string, LaunchedService>();
let gateway: GatewayServer;
let gatewayUrl: string;

beforeAll(async () => {
  infra = isolatedInfra('gateway-resilience');
  for (const name of LAUNCHED)
    services.set(
      name,
      await launchService({
        name,
        script: require.resolve(`@conecta/${name}/dist/index.js`),
        env: {
          SERVICE_NAME: name,
          MONGODB_URI: mongoUriWithDatabase(
            infra.mongoUri,
            `${infra.dbName}_${name}`,
          ),
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: infra.topicPrefix,
          IDENTITY_SECRET,
          LOG_LEVEL: 'warn',
        },
      }),
    );
  gateway = createGatewayServer(
    parseGatewayConfig({
      IDENTITY_SECRET,
      JWT_SECRET: 'resilience-jwt-secret-with-32-characters!!',
      SUBGRAPH_TIMEOUT_MS: '2000',
      ...Object.fromEntries(
        LAUNCHED.map((n) => [urlVariable(n), services.get(n)!.graphqlUrl]),
      ),
    }),
    createLogger({ name: 'gateway-test', level: 'silent' }),
  );
  gatewayUrl = await gateway.start(0);
});

afterAll(async () => {
  await gateway?.stop();
  for (const service of services.values()) await service.stop();
  await infra?.cleanup();
});

const QUERY = '{ sectors { code } standardByCode(code: "EC9999") { id } }';

async function ask(): Promise<{ status: number; body: any }> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: response.status, body: await response.json() };
}

describe('a subgraph that goes down', () => {
  it('yields partial data and an error naming the stopped service, then /ready says which', async () => {
    const before = await ask();
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data).toEqual({
      sectors: expect.any(Array),
      standardByCode: null,
    });

    await services.get('standards')!.stop();

    const after = await ask();
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual({
      sectors: before.body.data.sectors,
      standardByCode: null,
    });
    expect(after.body.errors).toEqual([
      expect.objectContaining({
        message: 'The standards service is unavailable',
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          reason: 'UNREACHABLE',
          serviceName: 'standards',
        },
      }),
    ]);

    const ready = await fetch(gatewayUrl.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not_ready',
      checks: {
        supergraph: 'ok',
        committees: 'ok',
        standards: expect.stringMatching(/^error/),
      },
    });
  });
});
