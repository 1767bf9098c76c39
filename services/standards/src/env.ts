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
 * | `COUNCIL_COMPOSITION` | the technical council's composition: `case-study` (chair + 6 government, 3 employer, 3 labor; quorum 7) or `equal-split` (chair + 2 government, 3 employer, 3 labor; quorum 5) | `case-study` |
 */
export const standardsConfig = {
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
};

export type StandardsConfig = Config<typeof standardsConfig>;

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig(): StandardsConfig {
  return loadConfigOrExit(standardsConfig);
}
