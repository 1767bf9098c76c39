import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
