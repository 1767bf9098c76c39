import { z } from 'zod';
import { loadConfigOrExit, type Config } from '@conecta/service-kit';
import {
  COUNCIL_COMPOSITIONS,
  COUNCIL_COMPOSITION_NAMES,
  DEFAULT_COUNCIL_COMPOSITION,
  councilCompositionSchema,
  type CouncilComposition,
} from './domain/council';

/**
 * standards' own variables, over service-kit's `baseConfig`:
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `REVIEW_CHECK_INTERVAL_MS` | pause between the periodic checks that announce standards whose review fell due (`StandardReviewDue`); `0`: only the check at start | `3600000` (hourly: due dates are days) |
 * | `COUNCIL_COMPOSITION` | the technical council's composition: `case-study` (chair + 6 government, 3 employer, 3 labor; quorum 7) or `equal-split` (chair + 2 government, 3 employer, 3 labor; quorum 5) | `case-study` |
 * | `PUBLIC_BASE_URL` | the gateway's public URL: the open-data export's persistent identifiers (`<url>/id/…`) are under it | `http://localhost:4000` |
 */
export const standardsConfig = {
  REVIEW_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400_000, 'must be at most a day (86400000)')
    .default(3_600_000),
  COUNCIL_COMPOSITION: z
    .enum(COUNCIL_COMPOSITION_NAMES, {
      error: `must be one of ${COUNCIL_COMPOSITION_NAMES.join(', ')}`,
    })
    .default(DEFAULT_COUNCIL_COMPOSITION)
    .transform((name, ctx): CouncilComposition => {
      // The composition is data: checked here so a bad one stops the start.
      const parsed = councilCompositionSchema.safeParse(
        COUNCIL_COMPOSITIONS[name],
      );
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.addIssue({
          code: 'custom',
          message: `composition ${name}: ${issue.path.join('.')} ${issue.message}`,
        });
      return z.NEVER;
    }),
  // Identifiers in the open-data export are URLs under the public gateway:
  // they must not change with the host a request came through.
  PUBLIC_BASE_URL: z
    .url('must be an http(s) URL')
    .transform((value) => value.replace(/\/+$/, ''))
    .default('http://localhost:4000'),
};

export type StandardsConfig = Config<typeof standardsConfig>;

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig(): StandardsConfig {
  return loadConfigOrExit(standardsConfig);
}
