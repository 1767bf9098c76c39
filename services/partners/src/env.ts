import { z } from 'zod';
import { loadConfigOrExit, type Config } from '@conecta/service-kit';
import {
  DEFAULT_GIVE_UP_AFTER_MS,
  DEFAULT_RETRY_SCHEDULE_MS,
} from './domain/retry';

const milliseconds = (fallback: number, min: number, max: number) =>
  z
    .string()
    .default(String(fallback))
    .pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number of milliseconds')
        .transform(Number)
        .pipe(z.number().int().min(min).max(max)),
    );

/**
 * partners' own variables, over service-kit's `baseConfig`:
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `WEBHOOK_GIVE_UP_AFTER_MS` | a delivery is dead-lettered once its first attempt is this old | `86400000` (a day) |
 * | `WEBHOOK_RETRY_SCHEDULE_MS` | pauses after the 1st, 2nd, … failure (the last repeats), ± 20 % jitter | `5000,300000,1800000,7200000,18000000,36000000` |
 * | `WEBHOOK_TIMEOUT_MS` | how long a receiver may take to answer | `10000` |
 * | `WEBHOOK_POLL_INTERVAL_MS` | pause between looks for due deliveries | `1000` |
 */
export const partnersConfig = {
  WEBHOOK_GIVE_UP_AFTER_MS: milliseconds(
    DEFAULT_GIVE_UP_AFTER_MS,
    1_000,
    30 * 86_400_000,
  ),
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .default(DEFAULT_RETRY_SCHEDULE_MS.join(','))
    .pipe(
      z
        .string()
        .regex(
          /^\d+(,\d+)*$/,
          'must be a comma list of whole numbers of milliseconds',
        )
        .transform((value) => value.split(',').map(Number))
        .pipe(z.array(z.number().int().min(100).max(86_400_000)).min(1)),
    ),
  WEBHOOK_TIMEOUT_MS: milliseconds(10_000, 100, 60_000),
  WEBHOOK_POLL_INTERVAL_MS: milliseconds(1_000, 50, 60_000),
};

export type PartnersConfig = Config<typeof partnersConfig>;

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig(): PartnersConfig {
  return loadConfigOrExit(partnersConfig);
}
