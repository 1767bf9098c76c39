import { agendaCoverage } from '../domain/agenda-coverage';
import { committeeFigures } from '../domain/figures';
import type { CommitteeResolvers } from '../__generated__/resolvers-types';
import { visibleOnly } from './access';

export const Committee: CommitteeResolvers = {
  // committees owns Committee; here a reference is all it takes.
  __resolveReference: (ref) => ({ id: ref.id }),

  standards: async (committee, _args, ctx) =>
    visibleOnly(ctx, await ctx.loaders.standardsOfCommittee.load(committee.id)),

  // Counts PUBLISHED standards only, which everyone may see.
  agendaCoverage: async (committee, _args, ctx) => {
    const known = await ctx.loaders.committee.load(committee.id);
    if (!known?.agenda) return null;
    return agendaCoverage(
      known.agenda,
      await ctx.loaders.standardsOfCommittee.load(committee.id),
    );
  },

  // Over what the caller may see: a hidden draft's stays do not show through.
  standardFigures: async (committee, _args, ctx) =>
    committeeFigures(
      await visibleOnly(
        ctx,
        await ctx.loaders.standardsOfCommittee.load(committee.id),
      ),
    ),
};
