import { canSeeCandidate, canSeeStaff } from '../domain/access';
import type {
  CandidacyResolvers,
  PersonalDataReadResolvers,
} from '../__generated__/resolvers-types';

export const Candidacy: CandidacyResolvers = {
  certifyingBody: async (c, _args, { loaders }) =>
    (await loaders.body.load(c.certifyingBodyId))!,
  standard: (c) => ({ id: c.standardId }),
  // Staff sign-in subjects are the body's own (issue 12, finding 7a).
  proposedBy: async (c, _args, { identity, loaders }) => {
    const body = await loaders.body.load(c.certifyingBodyId);
    return body && canSeeStaff(identity, body) ? c.proposedBy : null;
  },
  // A PROPOSED candidacy must not tell the body who the CURP belongs to.
  person: async (c, _args, { identity, loaders }) => {
    const body = await loaders.body.load(c.certifyingBodyId);
    return body && canSeeCandidate(identity, c, body)
      ? loaders.person.load(c.personId)
      : null;
  },
};

export const PersonalDataRead: PersonalDataReadResolvers = {
  certifyingBody: (r, _args, { loaders }) =>
    r.certifyingBodyId ? loaders.body.load(r.certifyingBodyId) : null,
};
