import devstackSetup from '@conecta/devstack/jest-global-setup';
import {
  SHARED_RUNNING,
  SHARED_SUBGRAPH_ENV,
  SHARED_SYSTEM_ENV,
  startSubgraphs,
  type RunningSubgraphs,
  type SharedSubgraphs,
} from './subgraphs';

// Issue 11: the gateway tests that can share one system do. Jest runs this
// once per run of the `system` project (jest.config.js), before any of its
// test files: the shared Kafka and MongoDB-wire server (devstack), then the
// six subgraphs as real processes; each test file puts its own in-process
// gateway in front of them (support/system.ts, sharedTestSystem).
// global-teardown.ts stops them.

// eslint-disable-next-line import-x/no-default-export -- Jest's globalSetup calls the module's default export.
export default async function globalSetup(): Promise<void> {
  await devstackSetup();
  const running = await startSubgraphs('gateway-shared', {
    env: SHARED_SUBGRAPH_ENV,
  });
  (globalThis as Record<symbol, RunningSubgraphs>)[SHARED_RUNNING] = running;
  const shared: SharedSubgraphs = {
    urls: Object.fromEntries(
      [...running.subgraphs].map(([name, { graphqlUrl, baseUrl }]) => [
        name,
        { graphqlUrl, baseUrl },
      ]),
    ),
    kafkaBrokers: running.infra.kafkaBrokers,
    topicPrefix: running.infra.topicPrefix,
    logDir: running.logDir,
  };
  // Test workers start after this and inherit the variable.
  process.env[SHARED_SYSTEM_ENV] = JSON.stringify(shared);
}
