import { z } from 'zod';
import { ConfigError, loadConfig } from '../src/index';

/** Object mother for environments: a valid one, with overrides. */
function envMother(
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    SERVICE_NAME: 'standards',
    PORT: '4002',
    MONGODB_URI: 'mongodb://127.0.0.1:27017/standards',
    KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
    IDENTITY_SECRET: 'x'.repeat(32),
    ...overrides,
  };
}

function problemsOf(
  action: () => unknown,
): Array<{ variable: string; problem: string }> {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('parses the base variables and applies their defaults', () => {
    const config = loadConfig({}, envMother());
    expect(config).toEqual({
      SERVICE_NAME: 'standards',
      PORT: 4002,
      MONGODB_URI: 'mongodb://127.0.0.1:27017/standards',
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
      KAFKA_TOPIC_PREFIX: '',
      LOG_LEVEL: 'info',
      IDENTITY_SECRET: 'x'.repeat(32),
      ALLOW_UNSIGNED_IDENTITY: false,
      NODE_ENV: 'development',
    });
  });

  it('adds the service’s own variables, typed', () => {
    const config = loadConfig(
      { SUPPRESSION_THRESHOLD: z.coerce.number().int().default(5) },
      envMother({
        SUPPRESSION_THRESHOLD: '7',
        ALLOW_UNSIGNED_IDENTITY: 'true',
      }),
    );
    const threshold: number = config.SUPPRESSION_THRESHOLD;
    expect(threshold).toBe(7);
    expect(config.ALLOW_UNSIGNED_IDENTITY).toBe(true);
  });

  it('reports every bad or missing variable at once', () => {
    const problems = problemsOf(() =>
      loadConfig(
        { OWN_URL: z.url() },
        {
          PORT: 'eighty',
          MONGODB_URI: 'postgres://nope',
          KAFKA_BROKERS: ' , ',
          LOG_LEVEL: 'loud',
          IDENTITY_SECRET: 'short',
          ALLOW_UNSIGNED_IDENTITY: 'yes',
          OWN_URL: 'not a url',
        },
      ),
    );
    expect(problems.map((p) => p.variable).sort()).toEqual(
      [
        'SERVICE_NAME',
        'PORT',
        'MONGODB_URI',
        'KAFKA_BROKERS',
        'LOG_LEVEL',
        'IDENTITY_SECRET',
        'ALLOW_UNSIGNED_IDENTITY',
        'OWN_URL',
      ].sort(),
    );
    expect(problems).toContainEqual({
      variable: 'SERVICE_NAME',
      problem: 'is required',
    });
    expect(problems).toContainEqual({
      variable: 'IDENTITY_SECRET',
      problem: 'must be at least 32 characters',
    });
  });

  it('never puts a variable’s value in the error', () => {
    let message = '';
    try {
      loadConfig(
        {},
        envMother({ IDENTITY_SECRET: 'my-leaky-secret', PORT: 'x' }),
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('IDENTITY_SECRET');
    expect(message).not.toContain('my-leaky-secret');
  });

  it('treats an empty variable as unset', () => {
    const problems = problemsOf(() =>
      loadConfig({}, envMother({ MONGODB_URI: '' })),
    );
    expect(problems).toEqual([
      { variable: 'MONGODB_URI', problem: 'is required' },
    ]);
  });

  it('refuses unsigned identities in production, alongside other problems', () => {
    const problems = problemsOf(() =>
      loadConfig(
        {},
        envMother({
          NODE_ENV: 'production',
          ALLOW_UNSIGNED_IDENTITY: 'true',
          PORT: '',
        }),
      ),
    );
    expect(problems).toEqual([
      { variable: 'PORT', problem: 'is required' },
      {
        variable: 'ALLOW_UNSIGNED_IDENTITY',
        problem: 'must not be true when NODE_ENV is production',
      },
    ]);
  });
});
