import type { OrganizationResolvers } from '../__generated__/resolvers-types';
import { salaryUplift } from '../domain/placement';

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),

  async hiringOutcomes({ id }, _, { loaders, disclosure }) {
    const placements = await loaders.placementsOfEmployer.load(id);
    const { placements: count, medianChange } = salaryUplift(
      placements,
      disclosure,
    );
    return { placements: count, medianSalaryChange: medianChange };
  },
};
