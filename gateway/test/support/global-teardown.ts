import { SHARED_RUNNING, type RunningSubgraphs } from './subgraphs';

/** Stops the shared subgraphs of global-setup.ts and drops their databases. */
// eslint-disable-next-line import-x/no-default-export -- Jest's globalTeardown calls the module's default export.
export default async function globalTeardown(): Promise<void> {
  const running = (globalThis as Record<symbol, RunningSubgraphs | undefined>)[
    SHARED_RUNNING
  ];
  await running?.stop();
}
