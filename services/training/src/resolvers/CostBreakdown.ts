import type { CostBreakdownResolvers } from '../__generated__/resolvers-types';

export const CostBreakdown: CostBreakdownResolvers = {
  marketPrice: (b) => b.marketPriceCentavos,
  discount: (b) => b.discountCentavos,
  negotiatedPrice: (b) => b.negotiatedPriceCentavos,
  brokerFee: (b) => b.brokerFeeCentavos,
  total: (b) => b.totalCentavos,
  fundContribution: (b) => b.fundContributionCentavos,
  participantShare: (b) => b.participantShareCentavos,
};
