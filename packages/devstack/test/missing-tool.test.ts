import { rmSync } from 'node:fs';

import { envWithoutExternalServers, runCli, tempDir } from './helpers';

describe('provisioning without the tools', () => {
  const home = tempDir('no-tools-home');
  const cache = tempDir('no-tools-cache');
  const emptyBin = tempDir('no-tools-bin');

  afterAll(() => {
    for (const dir of [home, cache, emptyBin])
      rmSync(dir, { recursive: true, force: true });
  });

  it('reports every missing tool by name, with the alternatives, and exits non-zero', async () => {
    const result = await runCli(['up'], {
      ...envWithoutExternalServers(),
      PATH: emptyBin,
      DEVSTACK_HOME: home,
      DEVSTACK_CACHE_DIR: cache,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`java` is not on PATH');
    expect(result.stderr).toContain('`mvn` is not on PATH');
    expect(result.stderr).toContain('`go` is not on PATH');
    expect(result.stderr).toContain('KAFKA_BROKERS / MONGODB_URI');
    expect(result.stderr).toContain('docker compose up');
    // One message, not a stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('needs no tool for a server given by its environment variable', async () => {
    const result = await runCli(['up'], {
      ...envWithoutExternalServers(),
      PATH: emptyBin,
      DEVSTACK_HOME: home,
      DEVSTACK_CACHE_DIR: cache,
      MONGODB_URI: process.env.MONGODB_URI,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`java` is not on PATH');
    expect(result.stderr).not.toContain('`go`');
  });
});
