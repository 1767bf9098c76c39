import { seatsOf, sideOf } from '../domain/council';
import type { CouncilCompositionResolvers } from '../__generated__/resolvers-types';

export const CouncilComposition: CouncilCompositionResolvers = {
  chairTitle: (composition) => composition.chair.title,
  seats: (composition) =>
    seatsOf(composition).map((seat) => ({
      seat,
      side: sideOf(seat, composition),
    })),
};
