import type { CompetencyStandardResolvers } from '../__generated__/resolvers-types';
import { disclose } from '../domain/suppression';

export const CompetencyStandard: CompetencyStandardResolvers = {
  // Any id is a valid reference: a standard without certificates has usage 0.
  __resolveReference: (ref) => ({ id: ref.id }),

  async usage({ id }, _, { loaders, disclosure }) {
    const found = await loaders.certificatesLast12Months.load(id);
    const count = found?.count ?? 0;
    return {
      certificatesLast12Months: disclose(count, disclosure),
      used: count > 0,
    };
  },
};
