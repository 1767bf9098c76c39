import type { CohortResolvers } from '../__generated__/resolvers-types';
import { cohortOutcomes } from '../domain/cohort';

const NONE = { enrolled: 0, completed: 0, dropped: 0 };

export const Cohort: CohortResolvers = {
  // Any id is a valid reference: a cohort without enrollments has zero outcomes.
  __resolveReference: (ref) => ({ id: ref.id }),

  async outcomes({ id }, _, { loaders, disclosure }) {
    const counters = (await loaders.cohortCounters.load(id)) ?? NONE;
    return cohortOutcomes(counters, disclosure);
  },
};
