import type { PoolSuggestionResolvers } from '../__generated__/resolvers-types';

export const PoolSuggestion: PoolSuggestionResolvers = {
  // Only brokers reach a suggestion (suggestedPools), and they see all demand.
  demandRequests: (p) => p.demands,
  saving: (p) => p.savingCentavos,
};
