import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

// The side-by-side bench's stock peer: ApolloServer + ApolloGateway with
// default settings on a static supergraph (SUPERGRAPH_FILE: the committed one
// with the bench's subgraph URLs), served as Apollo documents it with
// Express. No auth, no limits, no cache, no logging: what a team gets before
// adding any of them. /health is only for devstack's launchService.
async function main(): Promise<void> {
  const file = process.env['SUPERGRAPH_FILE'];
  if (!file) throw new Error('SUPERGRAPH_FILE is required');
  const app = express();
  const httpServer = createServer(app);
  const server = new ApolloServer({
    gateway: new ApolloGateway({ supergraphSdl: readFileSync(file, 'utf8') }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await server.start();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/graphql', express.json(), expressMiddleware(server));
  httpServer.listen(Number(process.env['PORT'] ?? 4100), '127.0.0.1');
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`apollo peer: ${String(err)}\n`);
  process.exit(1);
});
