import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphClient } from '../../../packages/demo/src/graph-client';

// The demo loader's client against a real HTTP server that closes the
// connection of the first `drops` requests without answering, as a gateway
// does when it closes an idle keep-alive connection the client reuses (seen
// at scale 100: the load stopped on `UND_ERR_SOCKET` after a busy stretch).

const ADMIN = { sub: 'demo-admin', roles: ['admin'] };
let server: Server;
let url: string;
let drops = 0;
let seen: Array<{ key: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      seen.push({ key: typeof key === 'string' ? key : undefined, body });
      if (seen.length <= drops) {
        req.socket.destroy();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { answered: seen.length } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  seen = [];
});

const client = () => createGraphClient(url, async () => 'token');

it('sends a mutation again with the same Idempotency-Key when the connection closed before an answer', async () => {
  drops = 1;
  const answer = await client()(
    ADMIN,
    'mutation { publish(id: "s-1") { id } }',
    {},
    { idempotencyKey: 'k-1' },
  );
  expect(answer).toEqual({ answered: 2 });
  expect(seen.map((r) => r.key)).toEqual(['k-1', 'k-1']);
  expect(seen[1]!.body).toBe(seen[0]!.body);
});

it('sends a query again, and gives up after three attempts naming the call and the reason', async () => {
  drops = 1;
  await expect(client()(ADMIN, 'query { standards { id } }')).resolves.toEqual({
    answered: 2,
  });
  seen = [];
  drops = 10;
  await expect(client()(ADMIN, 'query { standards { id } }')).rejects.toThrow(
    'standards: no answer from the gateway (UND_ERR_SOCKET)',
  );
  expect(seen).toHaveLength(3);
});

it('never sends a mutation without a key twice: it may have run', async () => {
  drops = 1;
  await expect(
    client()(ADMIN, 'mutation { publish(id: "s-1") { id } }'),
  ).rejects.toThrow('publish: no answer from the gateway (UND_ERR_SOCKET)');
  expect(seen).toHaveLength(1);
});
