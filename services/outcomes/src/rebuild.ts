import pino from 'pino';
import { createLogger } from '@conecta/service-kit';
import { readRebuildConfig } from './env';
import { REBUILD_EXIT, runRebuild } from './replay';

/**
 * `npm run outcomes:rebuild` (node dist/rebuild.js): replays every topic from
 * the beginning into a new generation of the read models and switches the
 * pointer to it once caught up, printing progress to stdout (logs go to
 * stderr). Exit codes: 0 done, 1 failed, 2 refused (the service is
 * running), 3 refused (a source topic no longer holds its whole history),
 * 130 interrupted. Config: the service's variables (env.ts).
 */
function main(): void {
  const config = readRebuildConfig();
  const logger = createLogger({
    name: config.SERVICE_NAME,
    level: config.LOG_LEVEL,
    destination: pino.destination(2),
  });
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => stop.abort());
  runRebuild({
    config,
    logger,
    print: (line) => process.stdout.write(`${line}\n`),
    signal: stop.signal,
  }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      logger.fatal({ err }, 'outcomes rebuild failed');
      process.exit(REBUILD_EXIT.FAILED);
    },
  );
}

main();
