import type { PoolPlanResolvers } from '../__generated__/resolvers-types';

export const PoolPlan: PoolPlanResolvers = {
  cost: (p) => p.costCentavos,
};
