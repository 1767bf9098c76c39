import type { CompetencyStandardResolvers } from '../__generated__/resolvers-types';

/**
 * The standards subgraph owns CompetencyStandard; committees contributes its
 * nominations. Any id resolves (a standard never nominated has none), so no
 * query is needed to resolve the reference itself.
 */
export const CompetencyStandard: CompetencyStandardResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  nominations: (standard, _args, { loaders }) =>
    loaders.nominationsByStandard.load(standard.id),
  nominationCount: async (standard, _args, { loaders }) =>
    (await loaders.nominationsByStandard.load(standard.id)).length,
};
