import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDemoData, type DemoSummary } from '@conecta/demo';
import { mongoUriWithDatabase } from './isolated';
import { say } from './report';
import { launchService, type LaunchedService } from './service-process';
import { findRepoRoot, readSettings } from './settings';
import { ensureInfra } from './stack';

// Development-only secrets, used when the environment gives none: `npm start` must
// work on a fresh clone. Production refuses to start without real ones.
const DEV_IDENTITY_SECRET = 'dev-only-identity-secret-change-me-0123456789';
const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';

/** Who a development token is for (see the gateway's dev-token.js). */
interface DevTokenClaims {
  sub: string;
  roles: string[];
  org?: string;
}

/** A workspace that `npm start` runs: its package.json has `"conecta": { "port": N }`. */
interface App {
  name: string;
  dir: string;
  port: number;
  script: string;
}

function readApp(dir: string): App | undefined {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name: string;
    main?: string;
    conecta?: { port?: number };
  };
  if (!manifest.conecta?.port || !manifest.main) return undefined;
  return {
    name: manifest.name.replace(/^@conecta\//, ''),
    dir,
    port: manifest.conecta.port,
    script: join(dir, manifest.main),
  };
}

/** Every subgraph under services/, by port (committees 4001 … outcomes 4005). */
function discoverSubgraphs(root: string): App[] {
  const servicesDir = join(root, 'services');
  return readdirSync(servicesDir)
    .map((name) => readApp(join(servicesDir, name)))
    .filter((app): app is App => app !== undefined)
    .sort((a, b) => a.port - b.port);
}

export interface RunningSystem {
  gatewayUrl: string;
  /** A development admin token (12 h). */
  token: string;
  /** Issues a development token for any claims (signed with the gateway's JWT_SECRET). */
  issueToken(claims: {
    sub: string;
    roles: string[];
    org?: string;
  }): Promise<string>;
  /** What the demo loader did (undefined when `demo: false`). */
  demo?: DemoSummary;
  /** Stops the gateway first (no new requests), then every subgraph. */
  stop(): Promise<void>;
}

/**
 * `npm start`: real infrastructure (unless MONGODB_URI / KAFKA_BROKERS are set),
 * every subgraph on its own port and database, then the gateway on 4000. Each
 * process logs to `.devstack/logs/<name>.log`. Expects a prior `npm run build`.
 */
export async function startSystem(
  env: NodeJS.ProcessEnv = process.env,
  {
    portOffset = 0,
    prefix = '',
    demo = { seed: 2013, scale: 1 },
  }: {
    /** Added to every port, so tests can run beside a developer's `npm start`. Default 0. */
    portOffset?: number;
    /** Prefix of every database and topic, so tests do not touch the developer's data. Default none. */
    prefix?: string;
    /** Load the national demo dataset through the gateway (skipped if present). Default seed 2013, scale 1. */
    demo?: { seed: number; scale: number } | false;
  } = {},
): Promise<RunningSystem> {
  const root = findRepoRoot();
  const { paths } = readSettings(env);
  const infra = await ensureInfra({ env });
  const identitySecret = env.IDENTITY_SECRET || DEV_IDENTITY_SECRET;
  const jwtSecret = env.JWT_SECRET || DEV_JWT_SECRET;
  const logLevel = env.LOG_LEVEL || 'info';
  const running: LaunchedService[] = [];
  const stopAll = async () => {
    for (const service of running.reverse()) await service.stop();
  };

  try {
    const subgraphs = discoverSubgraphs(root);
    // Side by side: each waits mostly on its own module loading and Kafka
    // joins, so together they are ready in about the slowest one's time.
    const launches = await Promise.allSettled(
      subgraphs.map(async (app) => {
        const startedAt = Date.now();
        const port = app.port + portOffset;
        say(`starting ${app.name} on port ${port}…`);
        const launched = await launchService({
          name: app.name,
          script: app.script,
          port,
          logFile: join(paths.logs, `${app.name}.log`),
          env: {
            SERVICE_NAME: app.name,
            MONGODB_URI: mongoUriWithDatabase(
              infra.mongoUri,
              `${prefix}conecta_${app.name}`,
            ),
            KAFKA_TOPIC_PREFIX: prefix,
            KAFKA_BROKERS: infra.kafkaBrokers.join(','),
            IDENTITY_SECRET: identitySecret,
            LOG_LEVEL: logLevel,
          },
        });
        say(`${app.name} ready in ${Date.now() - startedAt} ms`);
        return launched;
      }),
    );
    for (const launch of launches)
      if (launch.status === 'fulfilled') running.push(launch.value);
    const failed = launches.find((l) => l.status === 'rejected');
    if (failed) throw failed.reason;

    const gateway = readApp(join(root, 'gateway'));
    if (!gateway)
      throw new Error('gateway/package.json lacks "main" or "conecta.port"');
    const gatewayEnv = {
      IDENTITY_SECRET: identitySecret,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: logLevel,
      // Partner API keys live in the gateway's own database.
      MONGODB_URI: mongoUriWithDatabase(
        infra.mongoUri,
        `${prefix}conecta_gateway`,
      ),
      // The response cache learns from Kafka's offsets what changed.
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      // Locally every request comes from 127.0.0.1, the demo loader's thousands
      // included: no per-IP limit unless asked for.
      RATE_LIMIT_PER_IP: env.RATE_LIMIT_PER_IP || '0',
      ...Object.fromEntries(
        running.map((s, i) => [
          `${subgraphs[i]!.name.toUpperCase()}_URL`,
          s.graphqlUrl,
        ]),
      ),
    };
    say(`starting the gateway on port ${gateway.port + portOffset}…`);
    const launched = await launchService({
      name: 'gateway',
      script: gateway.script,
      port: gateway.port + portOffset,
      logFile: join(paths.logs, 'gateway.log'),
      env: gatewayEnv,
    });
    running.push(launched);

    // Development tokens, signed in this process by the gateway's own issuer
    // and configuration (its built dist/auth.js and dist/env.js, as dev-token.js
    // uses them). Not by spawning dev-token.js: the demo acts as hundreds of
    // people, and a process each cost about a second apiece on 2 cores.
    const gatewayModule = (file: string): Promise<unknown> =>
      import(pathToFileURL(join(gateway.dir, 'dist', file)).href);
    const { issueToken: signToken } = (await gatewayModule('auth.js')) as {
      issueToken(
        claims: DevTokenClaims,
        jwt: { secret: string; issuer: string; audience: string },
      ): Promise<string>;
    };
    const { parseGatewayConfig } = (await gatewayModule('env.js')) as {
      parseGatewayConfig(env: NodeJS.ProcessEnv): {
        JWT_ISSUER: string;
        JWT_AUDIENCE: string;
      };
    };
    const gatewayConfig = parseGatewayConfig({ ...process.env, ...gatewayEnv });
    const issueToken = (claims: DevTokenClaims) =>
      signToken(claims, {
        secret: jwtSecret,
        issuer: gatewayConfig.JWT_ISSUER,
        audience: gatewayConfig.JWT_AUDIENCE,
      });
    const gatewayUrl = launched.graphqlUrl.replace('127.0.0.1', 'localhost');
    let summary: DemoSummary | undefined;
    if (demo) {
      const startedAt = Date.now();
      say(
        `loading the national demo dataset (seed ${demo.seed}, scale ${demo.scale}) through the gateway…`,
      );
      // Ctrl-C while loading stops between two mutations, so everything sent
      // is recorded and the next `npm start` resumes the load (demo README).
      const interrupt = new AbortController();
      const stopLoading = () => interrupt.abort();
      process.once('SIGINT', stopLoading);
      process.once('SIGTERM', stopLoading);
      try {
        summary = await loadDemoData({
          gatewayUrl: launched.graphqlUrl,
          issueToken,
          ...demo,
          // Seconds since the load began on every line: where a slow load
          // spends its time shows in the progress itself.
          log: (line) =>
            say(
              `demo +${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${line}`,
            ),
          progress: {
            mongoUri: mongoUriWithDatabase(
              infra.mongoUri,
              `${prefix}conecta_demo`,
            ),
          },
          signal: interrupt.signal,
        });
      } finally {
        process.off('SIGINT', stopLoading);
        process.off('SIGTERM', stopLoading);
      }
      say(
        `demo data ready in ${Math.round((Date.now() - startedAt) / 1000)} s`,
      );
    }
    return {
      gatewayUrl,
      demo: summary,
      token: await issueToken({ sub: 'dev-admin', roles: ['admin'] }),
      issueToken,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
