import type {
  AccreditationResolvers,
  CertifyingBodyResolvers,
  FeeResolvers,
} from '../__generated__/resolvers-types';
import { canSeeStaff } from '../domain/access';

export const CertifyingBody: CertifyingBodyResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.body.load(ref.id),
  organization: (body) => ({ id: body.organizationId }),
  // Names and sign-in subjects: admins and the body's staff (domain/access.ts).
  // Every path to a body ends here, so root, nested and _entities agree.
  staff: (body, _args, { identity }) =>
    canSeeStaff(identity, body) ? body.staff : [],
  accreditations: (body, _args, { loaders }) =>
    loaders.accreditationsOfBody.load(body.id),
};

export const Fee: FeeResolvers = {
  standard: (fee) => ({ id: fee.standardId }),
};

export const Accreditation: AccreditationResolvers = {
  certifyingBody: async (a, _args, { loaders }) =>
    (await loaders.body.load(a.certifyingBodyId))!,
  standard: (a) => ({ id: a.standardId }),
};
