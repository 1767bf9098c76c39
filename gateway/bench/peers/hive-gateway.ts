import { readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Loaded by a name TypeScript does not follow, and typed here: graphql-yoga's
// declarations (under both packages) augment graphql's GraphQLErrorExtensions
// with an `http.headers` record that clashes with Apollo Server's HeaderMap in
// the gateway's own code, type-checked in the same program.
interface HiveGateway {
  createGatewayRuntime(config: {
    supergraph: string;
    unifiedGraphHandler: unknown;
    logging: string;
  }): RequestListener & { dispose(): void | Promise<void> };
}
interface HiveRouterRuntime {
  unifiedGraphHandler: unknown;
}
// Not dependencies of the repo: the bench installs them from bench/peers' own
// lockfile into devstack's cache and names that folder in PEERS_DIR
// (side-by-side.ts, ensurePeers).
const load = <T>(name: string): T => {
  const dir = process.env['PEERS_DIR'];
  if (!dir) throw new Error('PEERS_DIR is required (see side-by-side.ts)');
  return createRequire(join(dir, 'package.json'))(name) as T;
};

// The side-by-side bench's fastest peer: Hive Gateway's runtime with Hive
// Router's query planner (`@graphql-hive/router-runtime`), as its docs set it
// up programmatically, on a static supergraph (SUPERGRAPH_FILE: the committed
// one with the bench's subgraph URLs). Default settings otherwise, except the
// log level (LOG_LEVEL, `warn` in the bench, as for Conecta's processes).
// /health is only for devstack's launchService.
async function main(): Promise<void> {
  const { createGatewayRuntime } = load<HiveGateway>('@graphql-hive/gateway');
  const { unifiedGraphHandler } = load<HiveRouterRuntime>(
    '@graphql-hive/router-runtime',
  );
  const file = process.env['SUPERGRAPH_FILE'];
  if (!file) throw new Error('SUPERGRAPH_FILE is required');
  const supergraph = readFileSync(file, 'utf8');
  const level = process.env['LOG_LEVEL'];
  const gateway = createGatewayRuntime({
    supergraph,
    unifiedGraphHandler,
    logging:
      level === 'debug' ||
      level === 'info' ||
      level === 'warn' ||
      level === 'error'
        ? level
        : 'warn',
  });
  const httpServer = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    void gateway(req, res);
  });
  httpServer.listen(Number(process.env['PORT'] ?? 4200), '127.0.0.1');
  process.once('SIGTERM', () => {
    httpServer.close();
    void Promise.resolve(gateway.dispose()).then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`hive peer: ${String(err)}\n`);
  process.exit(1);
});
