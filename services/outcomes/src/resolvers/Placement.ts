import type { PlacementResolvers } from '../__generated__/resolvers-types';

export const Placement: PlacementResolvers = {
  person: (placement) => ({ id: placement.personId }),
  employer: (placement) => ({ id: placement.employerId }),
  salaryBefore: (placement) => placement.salaryBeforeCentavos,
  salaryAfter: (placement) => placement.salaryAfterCentavos,
};
