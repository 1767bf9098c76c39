import type { CommitteeResolvers } from '../__generated__/resolvers-types';
import { visibleOnly } from './access';

export const Committee: CommitteeResolvers = {
  // committees owns Committee; here a reference is all it takes.
  __resolveReference: (ref) => ({ id: ref.id }),

  standards: async (committee, _args, ctx) =>
    visibleOnly(ctx, await ctx.loaders.standardsOfCommittee.load(committee.id)),
};
