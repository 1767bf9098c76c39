import { startSystem } from '@conecta/devstack';

// `npm start` end to end: devstack's startSystem runs every built subgraph and the
// gateway as real processes (ports shifted so a developer's own `npm start` can run).
describe('npm start', () => {
  it('serves the gateway with every subgraph behind it and issues a working admin token', async () => {
    const system = await startSystem(
      { ...process.env, LOG_LEVEL: 'warn' },
      { portOffset: 20_000 },
    );
    try {
      expect(system.gatewayUrl).toBe('http://localhost:24000/graphql');
      const ready = await fetch(
        system.gatewayUrl.replace(/\/graphql$/, '/ready'),
      );
      expect(ready.status).toBe(200);

      const response = await fetch(system.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${system.token}`,
        },
        body: JSON.stringify({
          query: '{ sectors { code } organizations(first: 1) { totalCount } }',
        }),
      });
      const body = (await response.json()) as {
        data?: { organizations?: { totalCount: number } };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(typeof body.data?.organizations?.totalCount).toBe('number');
    } finally {
      await system.stop();
    }
  });
});
