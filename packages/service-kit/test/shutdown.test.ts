import { createLogger, onShutdown } from '../src/index';
import { logSink } from './fixtures/log-sink';

/** A stand-in for process.exit, and a promise of its first call (a busy machine may take a while). */
function exitSpy() {
  const exit = jest.fn();
  const exited = new Promise<void>((resolve) =>
    exit.mockImplementation(() => resolve()),
  );
  return { exit, exited };
}

function quietLogger() {
  return createLogger({ name: 'shutdown-test', level: 'silent' });
}

describe('onShutdown', () => {
  it('runs the steps in order on SIGTERM, then exits 0', async () => {
    const order: string[] = [];
    const { exit, exited } = exitSpy();
    const step = (name: string) => ({
      name,
      stop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(name);
      },
    });
    onShutdown(
      quietLogger(),
      [step('http'), step('outbox'), step('consumers'), step('mongo')],
      {
        exit,
      },
    );
    process.emit('SIGTERM', 'SIGTERM');
    await exited;
    expect(order).toEqual(['http', 'outbox', 'consumers', 'mongo']);
    expect(exit).toHaveBeenCalledWith(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('keeps going after a failed step, logs it and exits 1', async () => {
    const sink = logSink();
    const logger = createLogger({ name: 'shutdown-test', destination: sink });
    const { exit, exited } = exitSpy();
    const mongoStop = jest.fn(async () => undefined);
    onShutdown(
      logger,
      [
        { name: 'http', stop: () => Promise.reject(new Error('drain failed')) },
        { name: 'mongo', stop: mongoStop },
      ],
      { exit },
    );
    process.emit('SIGINT', 'SIGINT');
    await exited;
    expect(mongoStop).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(1);
    expect(sink.lines()).toContainEqual(
      expect.objectContaining({ step: 'http', msg: 'shutdown step failed' }),
    );
  });

  it('gives up with exit 1 when the steps exceed the timeout', async () => {
    const { exit, exited } = exitSpy();
    onShutdown(
      quietLogger(),
      [{ name: 'stuck', stop: () => new Promise(() => undefined) }],
      {
        exit,
        timeoutMs: 50,
      },
    );
    process.emit('SIGTERM', 'SIGTERM');
    await exited;
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('runs the steps once when called by hand, without exiting', async () => {
    const exit = jest.fn();
    const stop = jest.fn(async () => undefined);
    const shutdown = onShutdown(quietLogger(), [{ name: 'http', stop }], {
      exit,
    });
    await Promise.all([shutdown(), shutdown()]);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
