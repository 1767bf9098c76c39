import type { Logger } from 'pino';

/** One thing to stop, e.g. `{ name: 'http', stop: server.stop }`. */
export interface ShutdownStep {
  name: string;
  stop: () => Promise<void>;
}

export interface ShutdownOptions {
  /** Budget for all steps together; defaults to 15 s (under Kubernetes' 30 s grace). */
  timeoutMs?: number;
  /** Signals that start the shutdown; defaults to SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** How the process ends after a signal; defaults to `process.exit` (tests inject). */
  exit?: (code: number) => void;
}

/**
 * Registers signal handlers that run `steps` IN ORDER, logging each, then exit
 * 0 — or 1 if a step failed or the whole run exceeded `timeoutMs`. A failing
 * step does not stop the later ones: the database still gets disconnected.
 * A second signal during shutdown exits 1 at once.
 *
 * The order a service passes, each step needing the ones after it (the order
 * of `createSubgraphService`'s `shutdownSteps` and of the README):
 * 1. stop accepting connections and drain in-flight requests (`server.stop`):
 *    no new writes after this;
 * 2. flush the outbox (`relay.stop`: publishes what those writes produced,
 *    then disconnects its Kafka producer);
 * 3. stop consumers;
 * 4. disconnect MongoDB (`mongo.stop`).
 *
 * @returns runs the same steps without exiting (once; later calls share the
 *   run) and rejects if a step failed or the timeout hit. It also removes the
 *   signal handlers when done.
 */
export function onShutdown(
  logger: Logger,
  steps: readonly ShutdownStep[],
  {
    timeoutMs = 15_000,
    signals = ['SIGTERM', 'SIGINT'],
    exit = (code) => process.exit(code),
  }: ShutdownOptions = {},
): () => Promise<void> {
  const log = logger.child({ component: 'shutdown' });
  let running: Promise<void> | undefined;

  async function runSteps(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of steps) {
      const startedAt = Date.now();
      log.info({ step: step.name }, 'stopping');
      try {
        await step.stop();
        log.info(
          { step: step.name, durationMs: Date.now() - startedAt },
          'stopped',
        );
      } catch (error) {
        failures.push(error);
        log.error({ step: step.name, err: error }, 'shutdown step failed');
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, 'some shutdown steps failed');
    }
  }

  function run(): Promise<void> {
    running ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`shutdown timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
        // The timer alone must not keep the process alive.
        timer.unref();
      });
      try {
        await Promise.race([runSteps(), timeout]);
        log.info('shutdown complete');
      } finally {
        clearTimeout(timer);
        for (const signal of signals) process.off(signal, onSignal);
      }
    })();
    return running;
  }

  function onSignal(signal: NodeJS.Signals): void {
    if (running) {
      log.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    log.info({ signal }, 'shutting down');
    run().then(
      () => exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  }

  for (const signal of signals) process.on(signal, onSignal);
  return run;
}
