import { present } from '../commands/load';
import type { CommitteeMemberResolvers } from '../__generated__/resolvers-types';

export const CommitteeMember: CommitteeMemberResolvers = {
  organization: async (member, _args, { loaders }) =>
    present(
      await loaders.organization.load(member.organizationId),
      `organization ${member.organizationId}`,
    ),
  decisionMaker: (member) => member.attestation,
};
