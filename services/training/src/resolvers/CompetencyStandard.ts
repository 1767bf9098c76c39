import type { CompetencyStandardResolvers } from '../__generated__/resolvers-types';
import { targetKey } from '../domain/common';

export const CompetencyStandard: CompetencyStandardResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  trainingOffers: async (standard, _args, { loaders }) => {
    const today = Date.now();
    const offers = await loaders.agreementsByTarget.load(
      targetKey({ kind: 'STANDARD', id: standard.id }),
    );
    return offers
      .filter(
        (a) =>
          a.validFrom.getTime() <= today && a.validUntil.getTime() >= today,
      )
      .sort((a, b) => b.discountBps - a.discountBps);
  },
};
