import type { PersonResolvers } from '../__generated__/resolvers-types';
import { canSeePlacements } from '../domain/access';

export const Person: PersonResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),

  // Salaries are personal data: the person, admins and brokers only.
  async placements({ id }, _, { identity, loaders }) {
    if (!canSeePlacements(identity, id)) return [];
    return loaders.placementsOfPerson.load(id);
  },
};
