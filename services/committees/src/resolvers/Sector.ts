import type { SectorResolvers } from '../__generated__/resolvers-types';

export const Sector: SectorResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.sector.load(ref.id),
  committees: (sector, _args, { loaders }) =>
    loaders.committeesBySector.load(sector.id),
};
