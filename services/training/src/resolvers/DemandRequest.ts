import type { DemandRequestResolvers } from '../__generated__/resolvers-types';
import { canSeeDemand, isBroker } from '../domain/permissions';
import { matchFor, targetFields } from './commands';

export const DemandRequest: DemandRequestResolvers = {
  // Demand is visible to its requester and brokers only: others get null.
  __resolveReference: async (ref, { loaders, identity }) => {
    const demand = await loaders.demand.load(ref.id);
    return demand && canSeeDemand(identity, demand) ? demand : null;
  },
  requester: (d) => ({ id: d.requesterId }),
  ...targetFields,
  credential: (d, _args, { loaders }) =>
    d.target.kind === 'CREDENTIAL'
      ? loaders.credential.load(d.target.id)
      : null,
  project: (d, _args, { loaders }) =>
    d.projectId ? loaders.project.load(d.projectId) : null,
  // The audit trail names staff (importedBy): admins and brokers only.
  provenance: (d, _args, { identity }) =>
    d.provenance && isBroker(identity) ? d.provenance : null,
  matches: (d, _args, ctx) => matchFor(ctx, d),
};
