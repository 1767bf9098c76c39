import {
  canSeeEvaluator,
  canSeeHolderRecord,
  canSeeImportProvenance,
} from '../domain/access';
import { certificateStatus, evaluatingBodyOf } from '../domain/certificate';
import type {
  CertificateResolvers,
  CertificateVerificationResolvers,
  EvaluationResolvers,
  VerificationCountResolvers,
} from '../__generated__/resolvers-types';

export const Certificate: CertificateResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.certificate.load(ref.id),
  holder: async (c, _args, { loaders }) =>
    (await loaders.person.load(c.personId))!,
  standard: (c) => ({ id: c.standardId }),
  certifyingBody: async (c, _args, { loaders }) =>
    (await loaders.body.load(c.certifyingBodyId))!,
  evaluatingBody: async (c, _args, { loaders }) =>
    (await loaders.body.load(evaluatingBodyOf(c)))!,
  status: (c) => certificateStatus(c, new Date()),
  // The code lets anyone verify: the holder decides whom to give it to.
  verificationCode: async (c, _args, { identity, loaders }) => {
    const body = await loaders.body.load(c.certifyingBodyId);
    return body && canSeeHolderRecord(identity, c.personId, body)
      ? c.verificationCode
      : null;
  },
  // The audit trail of an import is for those who audit: admins.
  provenance: (c, _args, { identity }) =>
    canSeeImportProvenance(identity) ? (c.provenance ?? null) : null,
};

export const CertificateVerification: CertificateVerificationResolvers = {
  // The schema @provides these three: the gateway asks standards nothing more.
  standard: (v) => ({
    id: v.standardId,
    code: v.standardCode,
    title: v.standardTitle,
    level: v.standardLevel,
  }),
  certifyingBody: async (v, _args, { loaders }) =>
    (await loaders.body.load(v.certifyingBodyId))!,
  evaluatingBody: async (v, _args, { loaders }) =>
    (await loaders.body.load(v.evaluatingBodyId))!,
};

export const Evaluation: EvaluationResolvers = {
  candidate: async (e, _args, { loaders }) =>
    (await loaders.person.load(e.candidateId))!,
  standard: (e) => ({ id: e.standardId }),
  certifyingBody: async (e, _args, { loaders }) =>
    (await loaders.body.load(e.certifyingBodyId))!,
  // Who evaluated: not for the body asked to certify (README: third-party path).
  evaluatorSubject: async (e, _args, { identity, loaders }) => {
    const body = await loaders.body.load(e.certifyingBodyId);
    return body && canSeeEvaluator(identity, e, body)
      ? e.evaluatorSubject
      : null;
  },
  procedureVersion: (e) => e.procedureVersion ?? null,
  certificationRequestedFrom: async (e, _args, { loaders }) =>
    e.certificationRequest
      ? loaders.body.load(e.certificationRequest.certifyingBodyId)
      : null,
  certificationRequestedAt: (e) => e.certificationRequest?.requestedAt ?? null,
  provenance: (e, _args, { identity }) =>
    canSeeImportProvenance(identity) ? (e.provenance ?? null) : null,
};

export const VerificationCount: VerificationCountResolvers = {
  standard: (v) => ({ id: v.standardId }),
  certifyingBody: async (v, _args, { loaders }) =>
    (await loaders.body.load(v.certifyingBodyId))!,
};
