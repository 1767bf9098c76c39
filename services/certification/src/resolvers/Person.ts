import { initialsOf } from '../domain/person';
import type { PersonResolvers } from '../__generated__/resolvers-types';
import { personalDataVisible } from './access';

export const Person: PersonResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.person.load(ref.id),
  initials: (person) => initialsOf(person),
  personalDataVisible: (person, _args, ctx) =>
    personalDataVisible(ctx, person.id),
  curp: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id)) ? person.curp : null,
  givenNames: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id)) ? person.givenNames : null,
  firstSurname: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id)) ? person.firstSurname : null,
  secondSurname: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id)) ? person.secondSurname : null,
  email: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id)) ? person.email : null,
  phone: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id)) ? person.phone : null,
  certificates: async (person, _args, ctx) =>
    (await personalDataVisible(ctx, person.id))
      ? ctx.loaders.certificatesOfPerson.load(person.id)
      : [],
};
