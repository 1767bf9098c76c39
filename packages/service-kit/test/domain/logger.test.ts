import { createLogger } from '../../src/index';
import { logSink } from '../fixtures/log-sink';

describe('createLogger', () => {
  it('writes JSON lines with level names and redacts credentials in request headers', () => {
    const sink = logSink();
    const logger = createLogger({ name: 'standards', destination: sink });
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Bearer eyJhbGciOi',
            'x-conecta-identity': 'eyJyb2xlcyI6',
            'x-conecta-identity-signature': 'c2lnbmF0dXJl',
            'user-agent': 'jest',
          },
        },
      },
      'request completed',
    );
    const [line] = sink.lines();
    expect(line).toMatchObject({
      level: 'info',
      name: 'standards',
      msg: 'request completed',
      req: {
        headers: {
          authorization: '[redacted]',
          'x-conecta-identity': '[redacted]',
          'x-conecta-identity-signature': '[redacted]',
          'user-agent': 'jest',
        },
      },
    });
    expect(typeof line?.['time']).toBe('string');
  });

  it('respects the level', () => {
    const sink = logSink();
    const logger = createLogger({
      name: 'standards',
      level: 'warn',
      destination: sink,
    });
    logger.info('hidden');
    logger.warn('shown');
    expect(sink.lines().map((line) => line['msg'])).toEqual(['shown']);
  });
});
