import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';

import { launchService } from '../src';

// A service's log goes to the file devstack names, in a folder that need not
// exist yet: with MONGODB_URI and KAFKA_BROKERS given, devstack starts no
// infrastructure, so nothing else has made `.devstack/logs`.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'devstack-launch-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('launches a service whose log folder does not exist yet, and writes its output there', async () => {
  const script = join(dir, 'service.js');
  writeFileSync(
    script,
    `require('node:http').createServer((_q, r) => r.end('ok')).listen(process.env.PORT, () => console.log('listening on ' + process.env.PORT));`,
  );
  const logFile = join(dir, 'not', 'made', 'yet', 'service.log');
  const service = await launchService({
    name: 'tiny',
    script,
    env: {},
    logFile,
  });
  try {
    expect((await fetch(`${service.baseUrl}/health`)).status).toBe(200);
  } finally {
    await service.stop();
  }
  expect(readFileSync(logFile, 'utf8')).toMatch(/^listening on \d+/);
});

it('refuses to launch a service on a port another process holds, instead of taking that process for it', async () => {
  const other = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port } = other.address() as { port: number };
  const script = join(dir, 'never-started.js');
  writeFileSync(
    script,
    `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'started'))}, '')`,
  );
  try {
    await expect(
      launchService({ name: 'tiny', script, env: {}, port }),
    ).rejects.toThrow(`tiny cannot start: port ${port} is already in use`);
    expect(existsSync(join(dir, 'started'))).toBe(false);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});
