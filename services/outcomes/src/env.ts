import { z } from 'zod';
import { loadConfigOrExit } from '@conecta/service-kit';
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
 */
export const outcomesConfig = {
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
