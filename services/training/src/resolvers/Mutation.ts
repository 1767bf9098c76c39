import type { MutationResolvers } from '../__generated__/resolvers-types';
import { approveTrainingProjectCommand } from '../commands/approve-project';
import { cancelCohortCommand } from '../commands/cancel-cohort';
import { cancelDemandRequestCommand } from '../commands/cancel-demand';
import { changeCohortCapacityCommand } from '../commands/change-cohort-capacity';
import { closeTrainingProjectCommand } from '../commands/close-project';
import { completeCohortCommand } from '../commands/complete-cohort';
import { completeEnrollmentCommand } from '../commands/complete-enrollment';
import { draftTrainingProjectCommand } from '../commands/draft-project';
import { dropEnrollmentCommand } from '../commands/drop-enrollment';
import { enrollCommand } from '../commands/enroll';
import { importCohortHistoryCommand } from '../commands/import-cohort-history';
import { importDemandHistoryCommand } from '../commands/import-demand-history';
import { issueExamVoucherCommand } from '../commands/issue-voucher';
import { recordAttendanceCommand } from '../commands/record-attendance';
import { recordVendorExamCommand } from '../commands/record-vendor-exam';
import { registerVendorCredentialCommand } from '../commands/register-credential';
import { rejectTrainingProjectCommand } from '../commands/reject-project';
import { requestTrainingCommand } from '../commands/request-training';
import { scheduleCohortCommand } from '../commands/schedule-cohort';
import { signAgreementCommand } from '../commands/sign-agreement';
import { startCohortCommand } from '../commands/start-cohort';
import { submitTrainingProjectCommand } from '../commands/submit-project';
import { useExamVoucherCommand } from '../commands/use-voucher';

/**
 * GraphQL to commands: each command parses its input, authorizes and
 * answers. Money in the API is `…Price` (Centavos); the commands' inputs
 * name it `…PriceCentavos`, and absent lists and flags are their defaults.
 */
export const Mutation: MutationResolvers = {
  registerVendorCredential: (_p, { input }, ctx) =>
    registerVendorCredentialCommand(ctx, {
      ...input,
      examMarketPriceCentavos: input.examMarketPrice,
      trainingMarketPriceCentavos: input.trainingMarketPrice,
    }),
  requestTraining: (_p, args, ctx) => requestTrainingCommand(ctx, args.input),
  cancelDemandRequest: (_p, args, ctx) =>
    cancelDemandRequestCommand(ctx, args.input),
  importDemandHistory: (_p, args, ctx) =>
    importDemandHistoryCommand(ctx, args.input),
  importCohortHistory: (_p, args, ctx) =>
    importCohortHistoryCommand(ctx, args.input),
  signAgreement: (_p, { input }, ctx) =>
    signAgreementCommand(ctx, {
      ...input,
      marketPriceCentavos: input.marketPrice,
      states: input.states ?? [],
      online: input.online ?? false,
    }),
  draftTrainingProject: (_p, args, ctx) =>
    draftTrainingProjectCommand(ctx, args.input),
  submitTrainingProject: (_p, args, ctx) =>
    submitTrainingProjectCommand(ctx, args),
  approveTrainingProject: (_p, args, ctx) =>
    approveTrainingProjectCommand(ctx, args.input),
  rejectTrainingProject: (_p, args, ctx) =>
    rejectTrainingProjectCommand(ctx, args.input),
  closeTrainingProject: (_p, args, ctx) =>
    closeTrainingProjectCommand(ctx, args),
  scheduleCohort: (_p, args, ctx) => scheduleCohortCommand(ctx, args.input),
  changeCohortCapacity: (_p, args, ctx) =>
    changeCohortCapacityCommand(ctx, args.input),
  startCohort: (_p, args, ctx) => startCohortCommand(ctx, args),
  completeCohort: (_p, args, ctx) => completeCohortCommand(ctx, args),
  cancelCohort: (_p, args, ctx) => cancelCohortCommand(ctx, args.input),
  enroll: (_p, args, ctx) => enrollCommand(ctx, args.input),
  recordAttendance: (_p, args, ctx) => recordAttendanceCommand(ctx, args.input),
  issueExamVoucher: (_p, args, ctx) => issueExamVoucherCommand(ctx, args),
  useExamVoucher: (_p, args, ctx) => useExamVoucherCommand(ctx, args),
  recordVendorExam: (_p, args, ctx) => recordVendorExamCommand(ctx, args.input),
  completeEnrollment: (_p, args, ctx) => completeEnrollmentCommand(ctx, args),
  dropEnrollment: (_p, args, ctx) => dropEnrollmentCommand(ctx, args.input),
};
