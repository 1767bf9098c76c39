import { present } from '../commands/load';
import type { NominationResolvers } from '../__generated__/resolvers-types';

export const Nomination: NominationResolvers = {
  committee: async (nomination, _args, { loaders }) =>
    present(
      await loaders.committee.load(nomination.committeeId),
      `committee ${nomination.committeeId}`,
    ),
  // Owned by the standards subgraph: the gateway resolves the rest from the id.
  standard: (nomination) => ({ id: nomination.standardId }),
  organization: async (nomination, _args, { loaders }) =>
    present(
      await loaders.organization.load(nomination.organizationId),
      `organization ${nomination.organizationId}`,
    ),
};
