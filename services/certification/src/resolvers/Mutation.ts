import type { MutationResolvers } from '../__generated__/resolvers-types';
import { activateAccreditationCommand } from '../commands/activate-accreditation';
import { answerCandidacyCommand } from '../commands/answer-candidacy';
import { approveProcedureCommand } from '../commands/approve-procedure';
import { draftProcedureCommand } from '../commands/draft-procedure';
import { importHistoricalCertificatesCommand } from '../commands/import-historical-certificates';
import { issueCertificateCommand } from '../commands/issue-certificate';
import { proposeCandidacyCommand } from '../commands/propose-candidacy';
import { recordEvaluationCommand } from '../commands/record-evaluation';
import { registerCandidacyCommand } from '../commands/register-candidacy';
import { registerCertifyingBodyCommand } from '../commands/register-certifying-body';
import { registerPersonCommand } from '../commands/register-person';
import { reinstateCertificateCommand } from '../commands/reinstate-certificate';
import { rejectProcedureCommand } from '../commands/reject-procedure';
import { removeStaffMemberCommand } from '../commands/remove-staff-member';
import { requestAccreditationCommand } from '../commands/request-accreditation';
import { requestCertificationCommand } from '../commands/request-certification';
import { revokeAccreditationCommand } from '../commands/revoke-accreditation';
import { revokeCertificateCommand } from '../commands/revoke-certificate';
import { setFacilitiesCommand } from '../commands/set-facilities';
import { setFeeCommand } from '../commands/set-fee';
import { setStaffMemberCommand } from '../commands/set-staff-member';
import { submitProcedureCommand } from '../commands/submit-procedure';
import { suspendAccreditationCommand } from '../commands/suspend-accreditation';
import { suspendCertificateCommand } from '../commands/suspend-certificate';

/** GraphQL to commands: each command parses its input, authorizes and answers. */
export const Mutation: MutationResolvers = {
  registerPerson: (_parent, args, ctx) =>
    registerPersonCommand(ctx, args.input),
  proposeCandidacy: (_parent, args, ctx) =>
    proposeCandidacyCommand(ctx, args.input),
  acceptCandidacy: (_parent, { id }, ctx) =>
    answerCandidacyCommand(ctx, id, 'ACCEPT'),
  declineCandidacy: (_parent, { id }, ctx) =>
    answerCandidacyCommand(ctx, id, 'DECLINE'),
  registerCandidacy: (_parent, args, ctx) =>
    registerCandidacyCommand(ctx, args.input),
  registerCertifyingBody: (_parent, args, ctx) =>
    registerCertifyingBodyCommand(ctx, args.input),
  setStaffMember: (_parent, args, ctx) => setStaffMemberCommand(ctx, args),
  removeStaffMember: (_parent, args, ctx) =>
    removeStaffMemberCommand(ctx, args),
  setFee: (_parent, args, ctx) => setFeeCommand(ctx, args),
  setFacilities: (_parent, args, ctx) => setFacilitiesCommand(ctx, args),
  requestAccreditation: (_parent, args, ctx) =>
    requestAccreditationCommand(ctx, args),
  activateAccreditation: (_parent, { id }, ctx) =>
    activateAccreditationCommand(ctx, id),
  suspendAccreditation: (_parent, args, ctx) =>
    suspendAccreditationCommand(ctx, args),
  revokeAccreditation: (_parent, args, ctx) =>
    revokeAccreditationCommand(ctx, args),
  draftEvaluationProcedure: (_parent, args, ctx) =>
    draftProcedureCommand(ctx, args.input),
  submitEvaluationProcedure: (_parent, { id }, ctx) =>
    submitProcedureCommand(ctx, id),
  approveEvaluationProcedure: (_parent, { id }, ctx) =>
    approveProcedureCommand(ctx, id),
  rejectEvaluationProcedure: (_parent, args, ctx) =>
    rejectProcedureCommand(ctx, args),
  recordEvaluation: (_parent, args, ctx) =>
    recordEvaluationCommand(ctx, args.input),
  requestCertification: (_parent, args, ctx) =>
    requestCertificationCommand(ctx, args),
  issueCertificate: (_parent, args, ctx) => issueCertificateCommand(ctx, args),
  suspendCertificate: (_parent, args, ctx) =>
    suspendCertificateCommand(ctx, args),
  reinstateCertificate: (_parent, args, ctx) =>
    reinstateCertificateCommand(ctx, args),
  revokeCertificate: (_parent, args, ctx) =>
    revokeCertificateCommand(ctx, args),
  importHistoricalCertificates: (_parent, args, ctx) =>
    importHistoricalCertificatesCommand(ctx, args.input),
};
