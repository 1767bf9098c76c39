import type { TrainingProjectResolvers } from '../__generated__/resolvers-types';
import { fundingTerms } from '../domain/funding';
import { projectCost } from '../domain/project';
import { present } from '../commands/load';
import { indicatorsOf } from './queries';
import { readDemands, readProject } from './readers';

export const TrainingProject: TrainingProjectResolvers = {
  // Brokers only, like the root queries: null for anyone else.
  __resolveReference: (ref, ctx) => readProject(ctx, ref.id),
  agreement: async (p, _args, { loaders }) =>
    present(await loaders.agreement.load(p.agreementId), 'agreement'),
  demandRequests: (p, _args, ctx) => readDemands(ctx, p.demandRequestIds),
  cost: async (p, _args, { loaders }) =>
    projectCost(
      p,
      present(await loaders.agreement.load(p.agreementId), 'agreement'),
    ),
  // The split's amounts at the project's current share (approved once decided).
  fundingSplit: async (p, _args, { loaders }) =>
    p.fundingSplit
      ? fundingTerms(
          p.fundingSplit,
          projectCost(
            p,
            present(await loaders.agreement.load(p.agreementId), 'agreement'),
          ).project.fundContributionCentavos,
          p.participants,
        )
      : null,
  settlement: (p) => p.settlement ?? null,
  cohorts: (p, _args, { loaders }) => loaders.cohortsByProject.load(p.id),
  indicators: async (p, _args, ctx) =>
    indicatorsOf(ctx, await ctx.loaders.cohortsByProject.load(p.id)),
};
