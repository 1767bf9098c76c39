import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { isAlive } from './processes';
import { say } from './report';

/**
 * Takes an exclusive lock file (created with O_EXCL, holding our pid) so two
 * concurrent `up`s — two Jest processes, say — do not both provision or start
 * servers. A lock whose holder has died is stale and is taken over.
 * Waits up to `timeoutMs` (default 30 min: the holder may be provisioning).
 * Returns the release function.
 */
export async function acquireLock(
  file: string,
  timeoutMs = 30 * 60_000,
): Promise<() => Promise<void>> {
  await mkdir(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(
      (await readFile(file, 'utf8').catch(() => '')).trim(),
    );
    if (!Number.isInteger(holder) || holder <= 0) {
      // Written but not yet filled by its holder, or garbage: give it a moment.
      await sleep(200);
      const again = Number(
        (await readFile(file, 'utf8').catch(() => '')).trim(),
      );
      if (!Number.isInteger(again) || again <= 0)
        await rm(file, { force: true });
      continue;
    }
    if (!isAlive(holder)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for devstack lock ${file} held by pid ${holder}`,
      );
    }
    if (!announced) {
      say(`waiting for another devstack (pid ${holder}) to finish…`);
      announced = true;
    }
    await sleep(250);
  }
}
