import { z } from 'zod';
import {
  ConfigError,
  exitOnConfigError,
  loadConfig,
  type Config,
  type ConfigProblem,
} from '@conecta/service-kit';

/**
 * The path under which the gateway forwards the issuer's public documents to
 * this service, and under which this service serves them.
 */
export const CREDENTIAL_PATH = '/certification';

/**
 * certification's own variables, merged over service-kit's `baseConfig`.
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `EVALUATION_MAX_AGE_MONTHS` | an evaluation older than this cannot be certified | `6` |
 * | `CREDENTIAL_SIGNING_KEY` | Ed25519 private key (JWK JSON or PKCS#8 PEM) signing credentials and status lists | generated at start in development/test; required in production |
 * | `CREDENTIAL_VERIFICATION_KEYS` | JSON array of Ed25519 public JWKs that verify but do not sign: earlier signing keys not retired, a next key published ahead of its switch | `[]` |
 * | `CREDENTIAL_ISSUER_URL` | the gateway's public URL + `/certification`: names the issuer, its key and status lists in credentials, where the gateway serves them | `http://localhost:4000/certification` |
 * | `CREDENTIAL_ISSUER_NAME` | name of the national issuer in its public profile | `Conecta — Sistema Nacional de Competencias` |
 * | `EXPIRY_REMINDER_MAX_DAYS` | largest window of the expiry reminder query | `365` |
 * | `PUBLIC_BASE_URL` | the gateway's public URL: the open-data export's persistent identifiers (`<url>/id/…`) are under it | `http://localhost:4000` |
 * | `PERSONAL_DATA_ACCESS_DAYS` | how long a body's staff read a person's data after the candidacy's acceptance, its last evaluation or certificate | `180` |
 */
export const certificationConfig = {
  EVALUATION_MAX_AGE_MONTHS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of months')
    .transform(Number)
    .pipe(z.number().int().min(1).max(60))
    .default(6),
  CREDENTIAL_SIGNING_KEY: z
    .string()
    .refine(
      (value) =>
        value.trim().startsWith('{') ||
        value.includes('-----BEGIN PRIVATE KEY-----'),
      'must be an Ed25519 private key as a JWK (JSON) or PKCS#8 PEM',
    )
    .optional(),
  // Key rotation (README: Key rotation): the keys that still verify besides
  // the signing key, public halves only — a retired key is removed from here.
  CREDENTIAL_VERIFICATION_KEYS: z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(
          z
            .object({
              kty: z.literal('OKP'),
              crv: z.literal('Ed25519'),
              x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url'),
            })
            .loose()
            .refine((jwk) => !('d' in jwk), {
              message: 'public keys only: remove "d" (the private key)',
            }),
          'must be a JSON array of Ed25519 public JWKs',
        )
        .max(20),
    )
    .default([]),
  // The gateway serves the issuer's public documents (profiles, keys, status
  // lists) under its /certification path: the URL is where the public reaches
  // it, so credentials name URLs that resolve.
  CREDENTIAL_ISSUER_URL: z
    .url('must be a URL')
    .transform((value) => value.replace(/\/+$/, ''))
    .refine(
      (value) => new URL(value).pathname.endsWith(CREDENTIAL_PATH),
      `must be the gateway's public URL followed by ${CREDENTIAL_PATH} (e.g. https://conecta.example.gob.mx/certification)`,
    )
    .default('http://localhost:4000/certification'),
  CREDENTIAL_ISSUER_NAME: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default('Conecta — Sistema Nacional de Competencias'),
  EXPIRY_REMINDER_MAX_DAYS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(z.number().int().min(1).max(3_650))
    .default(365),
  // 180 days: long enough to certify a COMPETENT evaluation (EVALUATION_MAX_AGE_MONTHS
  // defaults to 6) and to handle a certificate's first questions, short enough
  // that a one-off relationship does not open a person's data for years.
  PERSONAL_DATA_ACCESS_DAYS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(z.number().int().min(1).max(3_650))
    .default(180),
  // Identifiers in the open-data export are URLs under the public gateway:
  // they must not change with the host a request came through.
  PUBLIC_BASE_URL: z
    .url('must be an http(s) URL')
    .transform((value) => value.replace(/\/+$/, ''))
    .default('http://localhost:4000'),
};

export type CertificationConfig = Config<typeof certificationConfig>;

/**
 * Parses and checks the config: besides each variable, a production service
 * must be given its signing key (a generated one would change on every restart
 * and every replica, and credentials would stop verifying). That rule is
 * checked on the raw values, like service-kit's own cross-variable rule, so it
 * is reported in the same error as every other bad variable.
 *
 * @throws ConfigError listing every problem
 */
export function loadCertificationConfig(
  env: NodeJS.ProcessEnv = process.env,
): CertificationConfig {
  const problems: ConfigProblem[] = [];
  let config: CertificationConfig | undefined;
  try {
    config = loadConfig(certificationConfig, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  // Empty counts as unset, as in loadConfig.
  if (env['NODE_ENV'] === 'production' && !env['CREDENTIAL_SIGNING_KEY'])
    problems.push({
      variable: 'CREDENTIAL_SIGNING_KEY',
      problem: 'is required when NODE_ENV is production',
    });
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig(): CertificationConfig {
  return exitOnConfigError(() => loadCertificationConfig());
}
