import type { MatchResultResolvers } from '../__generated__/resolvers-types';

export const MatchResult: MatchResultResolvers = {
  demandRequest: (r) => r.demand,
};
