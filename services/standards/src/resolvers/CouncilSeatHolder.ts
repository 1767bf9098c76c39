import { seatsOf } from '../domain/council';
import type { CouncilSeatHolderResolvers } from '../__generated__/resolvers-types';

export const CouncilSeatHolder: CouncilSeatHolderResolvers = {
  inComposition: (holder, _args, ctx) =>
    seatsOf(ctx.council).includes(holder.seat),
};
