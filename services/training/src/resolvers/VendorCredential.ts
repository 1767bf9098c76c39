import type { VendorCredentialResolvers } from '../__generated__/resolvers-types';

export const VendorCredential: VendorCredentialResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.credential.load(ref.id),
  examMarketPrice: (c) => c.examMarketPriceCentavos,
  trainingMarketPrice: (c) => c.trainingMarketPriceCentavos,
  alignedStandard: (c) => (c.standardId ? { id: c.standardId } : null),
};
