import type { MutationResolvers } from '../__generated__/resolvers-types';
import { appointCouncilSeatCommand } from '../commands/appoint-council-seat';
import { castCouncilVoteCommand } from '../commands/cast-council-vote';
import { closeCouncilVoteCommand } from '../commands/close-council-vote';
import { draftStandardCommand } from '../commands/draft-standard';
import { editDraftCommand } from '../commands/edit-draft';
import { publishStandardCommand } from '../commands/publish-standard';
import { returnStandardCommand } from '../commands/return-standard';
import { reviseStandardCommand } from '../commands/revise-standard';
import { sendToCouncilCommand } from '../commands/send-to-council';
import { startReviewCommand } from '../commands/start-review';
import { submitStandardCommand } from '../commands/submit-standard';
import { withdrawStandardCommand } from '../commands/withdraw-standard';

/** GraphQL to commands: each command parses its input, authorizes and answers. */
export const Mutation: MutationResolvers = {
  draftStandard: (_parent, args, ctx) => draftStandardCommand(ctx, args.input),
  reviseStandard: (_parent, { id }, ctx) => reviseStandardCommand(ctx, id),
  editDraft: (_parent, args, ctx) => editDraftCommand(ctx, args.id, args.input),
  submitStandard: (_parent, { id }, ctx) => submitStandardCommand(ctx, id),
  startReview: (_parent, { id }, ctx) => startReviewCommand(ctx, id),
  returnStandard: (_parent, args, ctx) =>
    returnStandardCommand(ctx, args.id, args.findings),
  sendToCouncil: (_parent, { id }, ctx) => sendToCouncilCommand(ctx, id),
  castCouncilVote: (_parent, args, ctx) => castCouncilVoteCommand(ctx, args),
  closeCouncilVote: (_parent, { id }, ctx) => closeCouncilVoteCommand(ctx, id),
  publishStandard: (_parent, args, ctx) =>
    publishStandardCommand(ctx, args.id, args.input),
  appointCouncilSeat: (_parent, args, ctx) =>
    appointCouncilSeatCommand(ctx, args),
  withdrawStandard: (_parent, args, ctx) =>
    withdrawStandardCommand(ctx, args.id, args.reason),
};
