import type { OrganizationResolvers } from '../__generated__/resolvers-types';
import { canSeeDemand } from '../domain/permissions';

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  demandRequests: async (org, _args, { loaders, identity }) => {
    const demands = await loaders.demandsByRequester.load(org.id);
    return demands.filter((d) => canSeeDemand(identity, d));
  },
  agreements: (org, _args, { loaders }) =>
    loaders.agreementsByProvider.load(org.id),
};
