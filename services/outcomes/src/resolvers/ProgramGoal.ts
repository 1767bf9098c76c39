import type { ProgramGoalResolvers } from '../__generated__/resolvers-types';
import { goalProgress } from '../domain/goal';
import { achievedOf } from './goals';

export const ProgramGoal: ProgramGoalResolvers = {
  async progress(goal, _, context) {
    const asOf = new Date();
    const achieved = await achievedOf(context, goal, asOf);
    return goalProgress(goal, achieved, asOf, context.disclosure);
  },
};
