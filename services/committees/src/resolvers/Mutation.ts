import type { MutationResolvers } from '../__generated__/resolvers-types';
import { addWorkingGroupExpertCommand } from '../commands/add-expert';
import { addCommitteeMemberCommand } from '../commands/add-member';
import { appointCommitteeChairCommand } from '../commands/appoint-chair';
import { attestDecisionMakerCommand } from '../commands/attest-decision-maker';
import { dissolveCommitteeCommand } from '../commands/dissolve-committee';
import { installCommitteeCommand } from '../commands/install-committee';
import { nominateCertifierCommand } from '../commands/nominate-certifier';
import { proposeCommitteeCommand } from '../commands/propose-committee';
import { publishHumanCapitalAgendaCommand } from '../commands/publish-agenda';
import { registerOrganizationCommand } from '../commands/register-organization';
import { registerSectorCommand } from '../commands/register-sector';
import { removeCommitteeMemberCommand } from '../commands/remove-member';

/** GraphQL to commands: each command parses its input, authorizes and answers. */
export const Mutation: MutationResolvers = {
  registerOrganization: (_parent, args, ctx) =>
    registerOrganizationCommand(ctx, args.input),
  registerSector: (_parent, args, ctx) =>
    registerSectorCommand(ctx, args.input),
  proposeCommittee: (_parent, args, ctx) =>
    proposeCommitteeCommand(ctx, args.input),
  addCommitteeMember: (_parent, args, ctx) =>
    addCommitteeMemberCommand(ctx, args.input),
  attestDecisionMaker: (_parent, args, ctx) =>
    attestDecisionMakerCommand(ctx, args.input),
  removeCommitteeMember: (_parent, args, ctx) =>
    removeCommitteeMemberCommand(ctx, args.input),
  appointCommitteeChair: (_parent, args, ctx) =>
    appointCommitteeChairCommand(ctx, args.input),
  addWorkingGroupExpert: (_parent, args, ctx) =>
    addWorkingGroupExpertCommand(ctx, args.input),
  publishHumanCapitalAgenda: (_parent, args, ctx) =>
    publishHumanCapitalAgendaCommand(ctx, args.input),
  installCommittee: (_parent, args, ctx) => installCommitteeCommand(ctx, args),
  dissolveCommittee: (_parent, args, ctx) =>
    dissolveCommitteeCommand(ctx, args.input),
  nominateCertifier: (_parent, args, ctx) =>
    nominateCertifierCommand(ctx, args.input),
};
