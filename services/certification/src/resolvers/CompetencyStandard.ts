import type { CompetencyStandardResolvers } from '../__generated__/resolvers-types';
import { offersFor } from './offers';

export const CompetencyStandard: CompetencyStandardResolvers = {
  // Certification contributes fields only: the reference is all it needs.
  __resolveReference: (ref) => ({ id: ref.id }),
  certifyingBodies: (standard, args, ctx) => offersFor(ctx, standard.id, args),
  certificateCount: (standard, _args, { loaders }) =>
    loaders.certificateCount.load(standard.id),
};
