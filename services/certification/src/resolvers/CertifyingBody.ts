import type {
  AccreditationResolvers,
  CertifyingBodyResolvers,
  FeeResolvers,
} from '../__generated__/resolvers-types';

export const CertifyingBody: CertifyingBodyResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.body.load(ref.id),
  organization: (body) => ({ id: body.organizationId }),
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
