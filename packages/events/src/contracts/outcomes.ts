import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, isoDate, isoDateTime, mexicanStateCode } from './common';

// outcomes' own facts. Salaries are monthly, in integer centavos of MXN.
const centavos = z.number().int().min(0);

/** A person was hired by an employer organization. */
export const PlacementRecordedV1 = defineEvent({
  type: 'outcomes.PlacementRecorded',
  version: 1,
  description:
    'A person was hired by an employer organization, recorded by a broker or the employer: job title, sector, state, start date, monthly salary before and after (centavos).',
  data: z.object({
    id: entityId,
    personId: entityId,
    employerId: entityId,
    jobTitle: z.string().trim().min(1).max(200),
    sectorId: entityId,
    state: mexicanStateCode,
    startDate: isoDate,
    salaryBeforeCentavos: centavos,
    salaryAfterCentavos: centavos,
    recordedAt: isoDateTime,
  }),
});

/**
 * A provider's employer-survey score as outcomes releases it changed (issue
 * 17: training ranks providers by it). One provider-level aggregate, never a
 * survey: no person, no employer, no cohort, no single rating. `responses` and
 * `score` are exactly what a broker reads from `surveyScores(PROVIDER, id)`
 * (the count rounded to 5, withheld below the suppression threshold; the
 * weighted average to one decimal, over the factors rated often enough), so
 * the event discloses nothing outcomes does not already show its readers.
 * Keyed by the provider; `revision` grows by one per change: a consumer keeps
 * the highest it has seen.
 */
export const ProviderSurveyScoreChangedV1 = defineEvent({
  type: 'outcomes.ProviderSurveyScoreChanged',
  version: 1,
  description:
    "A training provider's employer-survey score as released changed: responses (rounded to 5; null when withheld below the threshold) and the weighted average 1–5 (one decimal; null when withheld); a per-provider aggregate with no person, employer or single survey.",
  data: z.object({
    providerId: entityId,
    revision: z.number().int().min(1),
    responses: z.number().int().min(0).nullable(),
    score: z.number().min(1).max(5).nullable(),
    changedAt: isoDateTime,
  }),
});

/** Every outcomes contract, every version. */
export const outcomesContracts = [
  PlacementRecordedV1,
  ProviderSurveyScoreChangedV1,
] as const;
