import type { MatchResolvers } from '../__generated__/resolvers-types';

export const Match: MatchResolvers = {};
