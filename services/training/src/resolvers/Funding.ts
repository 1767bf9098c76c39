import type {
  FundingSettlementResolvers,
  FundingSplitResolvers,
} from '../__generated__/resolvers-types';

export const FundingSplit: FundingSplitResolvers = {
  perCertified: (t) => t.perCertifiedCentavos,
  contribution: (t) => t.contributionCentavos,
  upfront: (t) => t.upfrontCentavos,
  maximum: (t) => t.maximumCentavos,
};

export const FundingSettlement: FundingSettlementResolvers = {
  contribution: (s) => s.contributionCentavos,
  upfront: (s) => s.upfrontCentavos,
  perCertified: (s) => s.perCertifiedCentavos,
  owed: (s) => s.owedCentavos,
  unpaid: (s) => s.unpaidCentavos,
};
