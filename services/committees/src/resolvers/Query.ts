import { connectionById, decodeCursor, parseInput } from '@conecta/service-kit';
import { listCommitteesArgs } from '../domain/committee';
import { listOrganizationsArgs } from '../domain/organization';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  organization: (_parent, { id }, { loaders }) => loaders.organization.load(id),

  organizations: async (_parent, args, { stores }) => {
    const { filter, first, after } = parseInput(
      listOrganizationsArgs,
      args,
      '',
    );
    return connectionById(
      await stores.organizations.list(
        filter ?? {},
        first,
        after ? decodeCursor(after, 'after') : undefined,
      ),
    );
  },

  sector: (_parent, { id }, { loaders }) => loaders.sector.load(id),

  sectorByCode: (_parent, { code }, { stores }) =>
    stores.sectors.findByCode(code.trim()),

  sectors: (_parent, { kind }, { stores }) => stores.sectors.list(kind),

  committee: (_parent, { id }, { loaders }) => loaders.committee.load(id),

  committees: (_parent, args, { stores }) =>
    stores.committees.list(parseInput(listCommitteesArgs, args, '').filter),
};
