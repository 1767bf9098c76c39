import type { ProviderQualityResolvers } from '../__generated__/resolvers-types';
import { QUALITY_PRIOR_WEIGHT, surveyRate } from '../domain/quality';

export const ProviderQuality: ProviderQualityResolvers = {
  completed: (q) => q.certification.completed,
  certified: (q) => q.certification.certified,
  certificationRate: (q) => q.rawRate,
  priorWeight: () => QUALITY_PRIOR_WEIGHT,
  // The provider's released survey average on the 0–1 scale (README:
  // Decisions, quality score); null when none reached training.
  surveyScore: (q) => (q.survey ? surveyRate(q.survey.average) : null),
  surveyResponses: (q) => q.survey?.responses ?? null,
};
