import type { PersonResolvers } from '../__generated__/resolvers-types';
import { visible } from './queries';

export const Person: PersonResolvers = {
  // certification owns Person; any id resolves (someone never enrolled has none).
  __resolveReference: (ref) => ({ id: ref.id }),
  enrollments: async (person, _args, ctx) =>
    visible(ctx, await ctx.loaders.enrollmentsByPerson.load(person.id)),
};
