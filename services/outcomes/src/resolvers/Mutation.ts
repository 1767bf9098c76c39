import type { MutationResolvers } from '../__generated__/resolvers-types';
import { rebuildReadModelsCommand } from '../commands/rebuild-read-models';
import { recordPlacementCommand } from '../commands/record-placement';
import { setProgramGoalCommand } from '../commands/set-program-goal';
import { submitEmployerSurveyCommand } from '../commands/submit-employer-survey';
import { consumerStatus } from './analytics';

/** GraphQL to commands: each command authorizes, decides and saves; the answer is shaped here. */
export const Mutation: MutationResolvers = {
  recordPlacement: (_parent, { input }, ctx) =>
    recordPlacementCommand(ctx, input),
  setProgramGoal: (_parent, { input }, ctx) =>
    setProgramGoalCommand(ctx, input),
  submitEmployerSurvey: (_parent, { input }, ctx) =>
    submitEmployerSurveyCommand(ctx, input),
  rebuildReadModels: async (_parent, _args, ctx) => {
    await rebuildReadModelsCommand(ctx);
    return consumerStatus(ctx.feed);
  },
};
