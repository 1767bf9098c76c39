import type { PlacementResolvers } from '../__generated__/resolvers-types';
import { placementLinkOf } from '../domain/people';

export const Placement: PlacementResolvers = {
  person: (placement) => ({ id: placement.personId }),
  employer: (placement) => ({ id: placement.employerId }),
  salaryBefore: (placement) => placement.salaryBeforeCentavos,
  salaryAfter: (placement) => placement.salaryAfterCentavos,
  // Read from the per-person read model (batched: N placements, one query),
  // so a cohort or certificate whose event arrives after the placement's is
  // linked all the same. Reached only through fields guarded like every
  // placement field (domain/access-map.ts).
  async precededBy(placement, _, { loaders }) {
    const person = await loaders.person.load(placement.personId);
    return placementLinkOf(person, placement.startDate);
  },
};
