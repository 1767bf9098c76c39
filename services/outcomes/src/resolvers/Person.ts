import { hasRole } from '@conecta/service-kit';
import type { PersonResolvers } from '../__generated__/resolvers-types';

export const Person: PersonResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),

  // Salaries are personal data: the person, admins and brokers only.
  async placements({ id }, _, { identity, loaders }) {
    if (identity.subject !== id && !hasRole(identity, 'admin', 'broker'))
      return [];
    return loaders.placementsOfPerson.load(id);
  },
};
