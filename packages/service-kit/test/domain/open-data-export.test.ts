import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '../../src/logger';
import {
  OPEN_DATA_BUILD_SPACING,
  createOpenDataExport,
  openDataRouter,
} from '../../src/open-data';

const logger = createLogger({ name: 'open-data-test', level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An export of one file whose body is what `content()` says at build time, counting builds. */
function exportOf(content: () => string, minIntervalMs: number) {
  let builds = 0;
  const exported = createOpenDataExport({
    build: async () => {
      builds += 1;
      return [{ name: 'a.csv', contentType: 'text/csv', body: content() }];
    },
    minIntervalMs,
    logger,
  });
  return { exported, builds: () => builds };
}

describe('the open-data export', () => {
  it('rebuilds a burst of changes once, after the minimum interval', async () => {
    let body = 'x\r\n';
    const { exported, builds } = exportOf(() => body, 300);
    await exported.start();
    const first = exported.file('a.csv')!;
    body = 'y\r\n';
    for (let i = 0; i < 10; i += 1) exported.refresh();
    await sleep(100);
    expect(builds()).toBe(1);
    await sleep(400);
    expect(builds()).toBe(2);
    const second = exported.file('a.csv')!;
    expect(second.body.toString()).toBe('y\r\n');
    expect(second.etag).not.toBe(first.etag);
    await exported.stop();
  });

  it("spaces rebuilds by ten times the last build's duration when that is longer than the minimum interval", async () => {
    jest.useFakeTimers();
    try {
      let builds = 0;
      // A build that takes 200 ms (a large registry); the minimum is 100 ms.
      const exported = createOpenDataExport({
        build: async () => {
          builds += 1;
          await new Promise((r) => setTimeout(r, 200));
          return [{ name: 'a.csv', contentType: 'text/csv', body: 'x\r\n' }];
        },
        minIntervalMs: 100,
        logger,
      });
      const started = exported.start();
      await jest.advanceTimersByTimeAsync(200);
      await started;
      exported.refresh();
      const spacing = OPEN_DATA_BUILD_SPACING * 200;
      await jest.advanceTimersByTimeAsync(spacing - 200 - 1);
      expect(builds).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(builds).toBe(2);
      await jest.advanceTimersByTimeAsync(200);
      await exported.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the ETag and Last-Modified of bytes that did not change', async () => {
    const { exported } = exportOf(() => 'same\r\n', 0);
    await exported.start();
    const first = exported.file('a.csv')!;
    await sleep(1_100);
    exported.refresh();
    await sleep(100);
    expect(exported.builds()).toBe(2);
    expect(exported.file('a.csv')).toBe(first);
    await exported.stop();
  });

  it('keeps serving the last build when a rebuild fails', async () => {
    let fail = false;
    const { exported } = exportOf(() => {
      if (fail) throw new Error('database gone');
      return 'ok\r\n';
    }, 0);
    await exported.start();
    fail = true;
    exported.refresh();
    await sleep(50);
    expect(exported.file('a.csv')!.body.toString()).toBe('ok\r\n');
    await exported.stop();
  });
});

describe('the open-data files while the first build runs', () => {
  it('answer 503 with Retry-After until the first build is done, then 200; stop() waits for the build', async () => {
    let finish!: () => void;
    const building = new Promise<void>((resolve) => (finish = resolve));
    const exported = createOpenDataExport({
      build: async () => {
        await building;
        return [{ name: 'a.csv', contentType: 'text/csv', body: 'x\r\n' }];
      },
      minIntervalMs: 0,
      logger,
    });
    const app = express().use(openDataRouter(exported, ['a.csv']));
    const server = app.listen(0);
    const { port } = server.address() as AddressInfo;
    const get = () => fetch(`http://127.0.0.1:${port}/open-data/a.csv`);
    try {
      // What a service does now (service-kit's openData slice): the first
      // build is started, not awaited, so readiness does not wait for it.
      void exported.start();
      const early = await get();
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('5');
      let stopped = false;
      const stopping = exported.stop().then(() => (stopped = true));
      await sleep(50);
      expect(stopped).toBe(false);
      finish();
      await stopping;
      const late = await get();
      expect(late.status).toBe(200);
      expect(await late.text()).toBe('x\r\n');
    } finally {
      server.close();
    }
  });
});
