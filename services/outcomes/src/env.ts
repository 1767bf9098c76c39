import { z } from 'zod';
import {
  baseConfig,
  loadConfigOrExit,
  type Config,
} from '@conecta/service-kit';
import {
  EQUAL_WEIGHTS,
  SURVEY_FACTORS,
  type SurveyFactor,
  type SurveyWeights,
} from './domain/survey';

/**
 * outcomes' own variables, over service-kit's `baseConfig`:
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `SUPPRESSION_THRESHOLD` | smallest count shown to non-admins; counts 1 … n − 1 are withheld | `5` |
 * | `SURVEY_WEIGHTS` | weights of the survey factors, `FACTOR=weight,…` (unlisted factors weigh 1) | every factor 1 |
 * | `PUBLIC_BASE_URL` | the gateway's public URL: the open-data export's persistent identifiers (`<url>/id/…`) are under it | `http://localhost:4000` |
 */
export const outcomesConfig = {
  // Identifiers in the open-data export are URLs under the public gateway:
  // they must not change with the host a request came through.
  PUBLIC_BASE_URL: z
    .url('must be an http(s) URL')
    .transform((value) => value.replace(/\/+$/, ''))
    .default('http://localhost:4000'),
  SUPPRESSION_THRESHOLD: z
    .string()
    .default('5')
    .pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(1).max(1_000)),
    ),
  SURVEY_WEIGHTS: z
    .string()
    .default('')
    .transform((value, ctx): SurveyWeights => {
      const weights = { ...EQUAL_WEIGHTS };
      for (const pair of value.split(',').filter((p) => p.trim() !== '')) {
        const [factor = '', weight = ''] = pair.split('=').map((s) => s.trim());
        if (
          !(SURVEY_FACTORS as readonly string[]).includes(factor) ||
          !/^\d+(\.\d+)?$/.test(weight)
        ) {
          ctx.addIssue({
            code: 'custom',
            message: `"${pair}" must be FACTOR=weight with FACTOR one of ${SURVEY_FACTORS.join(', ')}`,
          });
          return weights;
        }
        weights[factor as SurveyFactor] = Number(weight);
      }
      return weights;
    }),
};

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig() {
  return loadConfigOrExit(outcomesConfig);
}

/**
 * What `npm run outcomes:rebuild` reads: the same variables as the service
 * (same names, same database and topics), less what only the HTTP server uses
 * (PORT, IDENTITY_SECRET, … become optional). MONGODB_URI and KAFKA_BROKERS
 * default to the local devstack, as in `.env.example`; LOG_LEVEL to `warn`
 * (the command prints its own progress; logs go to stderr).
 */
export const rebuildConfig = {
  ...outcomesConfig,
  SERVICE_NAME: baseConfig.SERVICE_NAME.default('outcomes-rebuild'),
  PORT: baseConfig.PORT.optional(),
  IDENTITY_SECRET: baseConfig.IDENTITY_SECRET.optional(),
  MONGODB_URI: baseConfig.MONGODB_URI.default(
    'mongodb://127.0.0.1:27017/conecta_outcomes',
  ),
  KAFKA_BROKERS: baseConfig.KAFKA_BROKERS.default(['127.0.0.1:9092']),
  LOG_LEVEL: baseConfig.LOG_LEVEL.default('warn'),
};

export type RebuildConfig = Config<typeof rebuildConfig>;

/** The rebuild command's config: every bad variable reported together, then exit 1. */
export function readRebuildConfig(): RebuildConfig {
  return loadConfigOrExit(rebuildConfig);
}
