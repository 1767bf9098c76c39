import { rmSync } from 'node:fs';

import { ensureInfra, infraStatus } from '../src';
import { envWithoutExternalServers, runCli, tempDir } from './helpers';

describe('the shared infrastructure', () => {
  // The Jest global setup has already run `up`.
  const localEnv = envWithoutExternalServers();

  it('status reports both servers running', async () => {
    const statuses = await infraStatus({ env: localEnv });
    const byName = Object.fromEntries(statuses.map((s) => [s.name, s]));
    expect(byName.kafka).toMatchObject({
      state: 'running',
      address: '127.0.0.1:9092',
    });
    expect(byName.mongo).toMatchObject({
      state: 'running',
      address: 'mongodb://127.0.0.1:27017',
    });
    expect(byName.kafka.pid).toEqual(expect.any(Number));
    expect(byName.mongo.logPath).toMatch(/[/\\]logs[/\\]/);
  });

  it('a second up reuses the running servers', async () => {
    const before = await infraStatus({ env: localEnv });
    const endpoints = await ensureInfra({ env: localEnv });
    const after = await infraStatus({ env: localEnv });
    expect(endpoints).toEqual({
      mongoUri: 'mongodb://127.0.0.1:27017',
      kafkaBrokers: ['127.0.0.1:9092'],
    });
    expect(after.map((s) => s.pid)).toEqual(before.map((s) => s.pid));
  });

  it('status reports servers given by KAFKA_BROKERS and MONGODB_URI as external', async () => {
    const statuses = await infraStatus({
      env: {
        ...localEnv,
        KAFKA_BROKERS: 'kafka.example:9092',
        MONGODB_URI: 'mongodb://db.example',
      },
    });
    expect(statuses.slice(0, 2)).toEqual([
      { name: 'kafka', state: 'external', address: 'kafka.example:9092' },
      { name: 'mongo', state: 'external', address: 'mongodb://db.example' },
    ]);
  });
});

describe('the CLI on its own state folder', () => {
  const home = tempDir('cli-home');
  // Other ports than the shared servers', so this suite never touches them.
  const env = {
    ...envWithoutExternalServers(),
    DEVSTACK_HOME: home,
    DEVSTACK_KAFKA_PORT: '39092',
    DEVSTACK_KAFKA_CONTROLLER_PORT: '39093',
    DEVSTACK_MONGO_PORT: '47017',
    DEVSTACK_POSTGRES_PORT: '47432',
  };

  afterAll(async () => {
    await runCli(['down'], env);
    rmSync(home, { recursive: true, force: true });
  });

  it('two concurrent ups start one set of servers, and down stops them', async () => {
    const [first, second] = await Promise.all([
      runCli(['up'], env),
      runCli(['up'], env),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toContain('KAFKA_BROKERS=127.0.0.1:39092');
    expect(second.stdout).toContain('MONGODB_URI=mongodb://127.0.0.1:47017');
    // Exactly one of them started the servers; the other waited for the lock and reused them.
    expect(
      `${first.stderr}${second.stderr}`.match(/starting Kafka/g),
    ).toHaveLength(1);

    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(
      /^kafka\s+running\s+127\.0\.0\.1:39092\s+pid \d+/m,
    );
    expect(status.stdout).toMatch(
      /^mongo\s+running\s+mongodb:\/\/127\.0\.0\.1:47017\s+pid \d+/m,
    );

    const down = await runCli(['down'], env);
    expect(down.code).toBe(0);
    const stopped = await runCli(['status'], env);
    expect(stopped.stdout).toMatch(/^kafka\s+stopped/m);
    expect(stopped.stdout).toMatch(/^mongo\s+stopped/m);
  });
});
