import type { WorkingGroupExpertResolvers } from '../__generated__/resolvers-types';

export const WorkingGroupExpert: WorkingGroupExpertResolvers = {
  organization: (expert, _args, { loaders }) =>
    expert.organizationId
      ? loaders.organization.load(expert.organizationId)
      : null,
};
