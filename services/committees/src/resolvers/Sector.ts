import type { SectorResolvers } from '../__generated__/resolvers-types';

export const Sector: SectorResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.sector.load(ref.id),
};
