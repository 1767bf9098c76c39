import { randomBytes } from 'node:crypto';
import { ConfigError } from '@conecta/service-kit';
import { loadCertificationConfig } from '../src/env';

/**
 * The environment of a correctly configured production replica: fresh
 * secrets (production refuses committed keys and placeholders by value; the
 * key is only parsed here, not loaded).
 */
function productionEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    SERVICE_NAME: 'certification',
    PORT: '4003',
    MONGODB_URI: 'mongodb://db.internal:27017/conecta_certification',
    KAFKA_BROKERS: 'kafka.internal:9092',
    IDENTITY_SECRET: randomBytes(32).toString('hex'),
    NODE_ENV: 'production',
    CREDENTIAL_SIGNING_KEY: `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END PRIVATE KEY-----`,
    ...overrides,
  };
}

/** The problems loadCertificationConfig reports for `env`, as `VARIABLE: problem`. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadCertificationConfig(env);
  } catch (err) {
    if (err instanceof ConfigError)
      return err.problems.map((p) => `${p.variable}: ${p.problem}`);
    throw err;
  }
  return [];
}

describe('certification config', () => {
  it('accepts a production environment that gives the signing key', () => {
    const config = loadCertificationConfig(productionEnv());
    expect(config.EVALUATION_MAX_AGE_MONTHS).toBe(6);
    expect(config.EXPIRY_REMINDER_MAX_DAYS).toBe(365);
    expect(config.CREDENTIAL_ISSUER_URL).toBe(
      'http://localhost:4000/certification',
    );
  });

  it('reports every bad variable in one error, the missing production signing key included', () => {
    const problems = problemsOf(
      productionEnv({
        CREDENTIAL_SIGNING_KEY: undefined,
        PORT: 'eighty',
        IDENTITY_SECRET: 'short',
        EVALUATION_MAX_AGE_MONTHS: '0',
        CREDENTIAL_ISSUER_URL: 'not a url',
        EXPIRY_REMINDER_MAX_DAYS: 'a year',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CREDENTIAL_ISSUER_URL',
      'CREDENTIAL_SIGNING_KEY',
      'EVALUATION_MAX_AGE_MONTHS',
      'EXPIRY_REMINDER_MAX_DAYS',
      'IDENTITY_SECRET',
      'PORT',
    ]);
    expect(problems).toContain(
      'CREDENTIAL_SIGNING_KEY: is required when NODE_ENV is production',
    );
  });

  it('counts an empty signing key as missing in production, next to the other problems', () => {
    const problems = problemsOf(
      productionEnv({ CREDENTIAL_SIGNING_KEY: '', KAFKA_BROKERS: 'kafka' }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^KAFKA_BROKERS\b/),
      'CREDENTIAL_SIGNING_KEY: is required when NODE_ENV is production',
    ]);
  });

  it('names each problem in the message a failed start prints', () => {
    const attempt = () =>
      loadCertificationConfig(
        productionEnv({ CREDENTIAL_SIGNING_KEY: undefined, PORT: 'x' }),
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/2 problems/);
    expect(attempt).toThrow(
      /PORT: .*\n {2}CREDENTIAL_SIGNING_KEY: is required/,
    );
  });

  it('does not require the signing key outside production (one is generated)', () => {
    expect(
      problemsOf(
        productionEnv({
          NODE_ENV: 'development',
          CREDENTIAL_SIGNING_KEY: undefined,
        }),
      ),
    ).toEqual([]);
  });
});
