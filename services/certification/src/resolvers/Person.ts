import { initialsOf } from '../domain/person';
import type { PersonResolvers } from '../__generated__/resolvers-types';
import { personalDataVisible, personalField } from './access';

// Each personal field goes through personalField: null unless visible, and a
// read by staff or an admin is logged (batched per request) before it returns.
export const Person: PersonResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.person.load(ref.id),
  initials: (person) => initialsOf(person),
  personalDataVisible: (person, _args, ctx) =>
    personalDataVisible(ctx, person.id),
  curp: (person, _args, ctx, info) =>
    personalField(ctx, person.id, 'curp', info, () => person.curp),
  givenNames: (person, _args, ctx, info) =>
    personalField(ctx, person.id, 'givenNames', info, () => person.givenNames),
  firstSurname: (person, _args, ctx, info) =>
    personalField(
      ctx,
      person.id,
      'firstSurname',
      info,
      () => person.firstSurname,
    ),
  secondSurname: (person, _args, ctx, info) =>
    personalField(
      ctx,
      person.id,
      'secondSurname',
      info,
      () => person.secondSurname,
    ),
  email: (person, _args, ctx, info) =>
    personalField(ctx, person.id, 'email', info, () => person.email),
  phone: (person, _args, ctx, info) =>
    personalField(ctx, person.id, 'phone', info, () => person.phone),
  certificates: (person, _args, ctx, info) =>
    personalField(
      ctx,
      person.id,
      'certificates',
      info,
      () => ctx.loaders.certificatesOfPerson.load(person.id),
      [],
    ),
};
