import type { ProviderQualityResolvers } from '../__generated__/resolvers-types';
import { QUALITY_PRIOR_WEIGHT } from '../domain/quality';

export const ProviderQuality: ProviderQualityResolvers = {
  completed: (q) => q.certification.completed,
  certified: (q) => q.certification.certified,
  certificationRate: (q) => q.rawRate,
  priorWeight: () => QUALITY_PRIOR_WEIGHT,
  // No employer survey score reaches training yet (README: quality score).
  surveyScore: (q) => q.survey?.mean ?? null,
};
