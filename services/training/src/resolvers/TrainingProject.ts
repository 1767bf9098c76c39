import type { TrainingProjectResolvers } from '../__generated__/resolvers-types';
import { projectCost } from '../domain/project';
import { indicatorsOf, present } from './commands';

export const TrainingProject: TrainingProjectResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.project.load(ref.id),
  agreement: async (p, _args, { loaders }) =>
    present(await loaders.agreement.load(p.agreementId), 'agreement'),
  demandRequests: async (p, _args, { loaders }) =>
    (await loaders.demand.loadMany(p.demandRequestIds)).filter(
      (d): d is Exclude<typeof d, Error | null> =>
        d !== null && !(d instanceof Error),
    ),
  cost: async (p, _args, { loaders }) =>
    projectCost(
      p,
      present(await loaders.agreement.load(p.agreementId), 'agreement'),
    ),
  cohorts: (p, _args, { loaders }) => loaders.cohortsByProject.load(p.id),
  indicators: async (p, _args, ctx) =>
    indicatorsOf(ctx, await ctx.loaders.cohortsByProject.load(p.id)),
};
