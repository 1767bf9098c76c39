import { stateName } from '@conecta/mexico';
import type { OrganizationResolvers } from '../__generated__/resolvers-types';

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.organization.load(ref.id),
  stateName: (org) => stateName(org.state),
  committees: (org, _args, { loaders }) =>
    loaders.committeesByMember.load(org.id),
};
