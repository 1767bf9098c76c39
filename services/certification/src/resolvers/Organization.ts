import type { OrganizationResolvers } from '../__generated__/resolvers-types';

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  certifyingBody: (org, _args, { loaders }) =>
    loaders.bodyByOrganization.load(org.id),
};
