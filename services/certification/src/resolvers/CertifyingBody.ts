import type {
  AccreditationResolvers,
  CertifyingBodyResolvers,
  EvaluationProcedureResolvers,
  FeeResolvers,
} from '../__generated__/resolvers-types';
import { canSeeProcedureHistory, canSeeStaff } from '../domain/access';
import { currentProcedure } from '../domain/evaluation-procedure';
import type { Context } from '../context';

export const CertifyingBody: CertifyingBodyResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.body.load(ref.id),
  organization: (body) => ({ id: body.organizationId }),
  // Names and sign-in subjects: admins and the body's staff (domain/access.ts).
  // Every path to a body ends here, so root, nested and _entities agree.
  staff: (body, _args, { identity }) =>
    canSeeStaff(identity, body) ? body.staff : [],
  accreditations: (body, _args, { loaders }) =>
    loaders.accreditationsOfBody.load(body.id),
  // Public: which approved procedure a body evaluates by.
  evaluationProcedure: async (body, _args, { loaders }) =>
    currentProcedure(await loaders.proceduresOfBody.load(body.id)),
  // Drafts, submissions and rejections: admins and the body's staff.
  evaluationProcedures: (body, _args, { identity, loaders }) =>
    canSeeProcedureHistory(identity, body)
      ? loaders.proceduresOfBody.load(body.id)
      : [],
};

/** Whether the caller reads the procedure's history fields (who drafted and reviewed, why rejected). */
async function historyVisible(
  certifyingBodyId: string,
  { identity, loaders }: Context,
): Promise<boolean> {
  const body = await loaders.body.load(certifyingBodyId);
  return body !== null && canSeeProcedureHistory(identity, body);
}

export const EvaluationProcedure: EvaluationProcedureResolvers = {
  certifyingBody: async (p, _args, { loaders }) =>
    (await loaders.body.load(p.certifyingBodyId))!,
  current: async (p, _args, { loaders }) =>
    currentProcedure(await loaders.proceduresOfBody.load(p.certifyingBodyId))
      ?.id === p.id,
  approvedAt: (p) => (p.status === 'APPROVED' ? p.reviewedAt : null),
  rejectedAt: (p) => (p.status === 'REJECTED' ? p.reviewedAt : null),
  draftedBy: async (p, _args, ctx) =>
    (await historyVisible(p.certifyingBodyId, ctx)) ? p.draftedBy : null,
  approvedBy: async (p, _args, ctx) =>
    p.status === 'APPROVED' && (await historyVisible(p.certifyingBodyId, ctx))
      ? p.reviewedBy
      : null,
  rejectedBy: async (p, _args, ctx) =>
    p.status === 'REJECTED' && (await historyVisible(p.certifyingBodyId, ctx))
      ? p.reviewedBy
      : null,
  rejectionReason: async (p, _args, ctx) =>
    (await historyVisible(p.certifyingBodyId, ctx)) ? p.rejectionReason : null,
};

export const Fee: FeeResolvers = {
  standard: (fee) => ({ id: fee.standardId }),
};

export const Accreditation: AccreditationResolvers = {
  certifyingBody: async (a, _args, { loaders }) =>
    (await loaders.body.load(a.certifyingBodyId))!,
  standard: (a) => ({ id: a.standardId }),
};
