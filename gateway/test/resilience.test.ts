import { startTestSystem, type OwnTestSystem } from './support/system';

// A real subgraph process stopped mid-test: the gateway answers with the data
// of the subgraphs still up and an error naming the one that is down.
let system: OwnTestSystem;

beforeAll(async () => {
  system = await startTestSystem('gateway-resilience', {
    services: ['committees', 'standards'],
    // No response cache: what is under test is each call to a stopped
    // subgraph, not an answer the cache kept from before it stopped.
    gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '2000', RESPONSE_CACHE_TTL_MS: '0' },
  });
}, 120_000);

afterAll(async () => {
  await system?.stop();
}, 60_000);

const QUERY = '{ sectors { code } standardByCode(code: "EC9999") { id } }';

async function ask(): Promise<{ status: number; body: any }> {
  const response = await fetch(system.gatewayUrl, {
    method: 'POST',
    // An English-speaking client: the API answers Spanish by default.
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
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

    await system.subgraphs.get('standards')!.stop();

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

    const ready = await fetch(`${system.operatorUrl}/ready`);
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
