import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  DEVELOPMENT_SECRETS,
  defaultOperatorPort,
  loadConfig,
} from '../../src/index';

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
      MAX_DEPTH: 16,
      MAX_COST: 10_000,
      IDEMPOTENCY_KEY_TTL_HOURS: 24,
    });
  });

  it('keeps idempotency keys at least the 24 hours partners are promised', () => {
    expect(
      loadConfig({}, envMother({ IDEMPOTENCY_KEY_TTL_HOURS: '48' }))
        .IDEMPOTENCY_KEY_TTL_HOURS,
    ).toBe(48);
    expect(
      problemsOf(() =>
        loadConfig({}, envMother({ IDEMPOTENCY_KEY_TTL_HOURS: '1' })),
      ).map((p) => p.variable),
    ).toEqual(['IDEMPOTENCY_KEY_TTL_HOURS']);
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

describe('production refuses development secrets', () => {
  const production = (overrides: Record<string, string>) =>
    envMother({ NODE_ENV: 'production', ...overrides });

  it.each(DEVELOPMENT_SECRETS.filter((secret) => secret.length >= 32))(
    'refuses the committed key %s as IDENTITY_SECRET, naming the variable but not the value',
    (secret) => {
      const problems = problemsOf(() =>
        loadConfig({}, production({ IDENTITY_SECRET: secret })),
      );
      expect(problems).toEqual([
        {
          variable: 'IDENTITY_SECRET',
          problem: expect.stringMatching(/development key committed/),
        },
      ]);
      expect(JSON.stringify(problems)).not.toContain(secret);
    },
  );

  it("refuses a service's own variable holding a committed key, e.g. the old compose Ed25519 key inside a PEM", () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${DEVELOPMENT_SECRETS.find((s) => s.startsWith('MC4C'))}\\n-----END PRIVATE KEY-----`;
    const problems = problemsOf(() =>
      loadConfig(
        { CREDENTIAL_SIGNING_KEY: z.string().optional() },
        production({ CREDENTIAL_SIGNING_KEY: pem }),
      ),
    );
    expect(problems.map((p) => p.variable)).toEqual(['CREDENTIAL_SIGNING_KEY']);
  });

  it('refuses a placeholder left from .env.example', () => {
    const problems = problemsOf(() =>
      loadConfig(
        {},
        production({
          IDENTITY_SECRET: 'CHANGE_ME-generate-with-openssl-rand-hex-32',
        }),
      ),
    );
    expect(problems).toEqual([
      {
        variable: 'IDENTITY_SECRET',
        problem: expect.stringMatching(/placeholder/),
      },
    ]);
  });

  it('accepts development keys outside production, and a fresh key in production', () => {
    expect(() =>
      loadConfig({}, envMother({ IDENTITY_SECRET: DEVELOPMENT_SECRETS[0]! })),
    ).not.toThrow();
    expect(() =>
      loadConfig(
        {},
        production({ IDENTITY_SECRET: randomBytes(32).toString('hex') }),
      ),
    ).not.toThrow();
  });
});

describe('Kafka SASL and the operator port', () => {
  it('reads a SCRAM user, and refuses a mechanism without its user and password', () => {
    const config = loadConfig(
      {},
      envMother({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'committees',
        KAFKA_SASL_PASSWORD: 'p'.repeat(32),
      }),
    );
    expect(config.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
    expect(
      problemsOf(() =>
        loadConfig({}, envMother({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })),
      ).map((p) => p.variable),
    ).toEqual(['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']);
  });

  it('leaves OPERATOR_PORT unset (1000 above PORT at start) unless given', () => {
    expect(loadConfig({}, envMother()).OPERATOR_PORT).toBeUndefined();
    expect(defaultOperatorPort(4002)).toBe(5002);
    expect(defaultOperatorPort(0)).toBe(0);
    expect(
      loadConfig({}, envMother({ OPERATOR_PORT: '9464' })).OPERATOR_PORT,
    ).toBe(9464);
  });
});
