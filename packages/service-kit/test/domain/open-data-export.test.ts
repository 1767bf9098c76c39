import { createLogger } from '../../src/logger';
import { createOpenDataExport } from '../../src/open-data';

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
