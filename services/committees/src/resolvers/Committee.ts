import {
  agendaVersion,
  chairOf,
  installationCheck,
  viewExpert,
} from '../domain/committee';
import { actsForCommittee } from '../domain/permissions';
import { present } from '../commands/load';
import type { CommitteeResolvers } from '../__generated__/resolvers-types';

export const Committee: CommitteeResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.committee.load(ref.id),
  sector: async (committee, _args, { loaders }) =>
    present(
      await loaders.sector.load(committee.sectorId),
      `sector ${committee.sectorId}`,
    ),
  proposedBy: (committee, _args, { loaders }) =>
    committee.proposedByOrganizationId
      ? loaders.organization.load(committee.proposedByOrganizationId)
      : null,
  members: (committee) => committee.members,
  chair: (committee) => chairOf(committee),
  // Names are personal data: only admins and the committee's own organizations see them.
  workingGroup: (committee, _args, { identity }) => {
    const revealName = actsForCommittee(identity, committee);
    return committee.experts.map((expert) => viewExpert(expert, revealName));
  },
  installation: (committee) => installationCheck(committee),
  agenda: (committee, { version }) => agendaVersion(committee, version),
  agendaVersions: (committee) => committee.agendas,
  nominations: (committee, _args, { loaders }) =>
    loaders.nominationsByCommittee.load(committee.id),
};
