import type { DemandRequestResolvers } from '../__generated__/resolvers-types';
import { assertSeesMatches, canSeeProvenance } from '../domain/access';
import { matchFor, targetFields } from './queries';
import { readDemand, readProject } from './readers';

export const DemandRequest: DemandRequestResolvers = {
  // Demand is visible to its requester and brokers only: others get null.
  __resolveReference: (ref, ctx) => readDemand(ctx, ref.id),
  requester: (d) => ({ id: d.requesterId }),
  ...targetFields,
  credential: (d, _args, { loaders }) =>
    d.target.kind === 'CREDENTIAL'
      ? loaders.credential.load(d.target.id)
      : null,
  // The broker's project: null for the requester too (domain/access.ts).
  project: (d, _args, ctx) =>
    d.projectId ? readProject(ctx, d.projectId) : null,
  // The audit trail names staff (importedBy): admins and brokers only.
  provenance: (d, _args, { identity }) =>
    d.provenance && canSeeProvenance(identity) ? d.provenance : null,
  // The check matchDemand applies; the parent is already visible, but a
  // field's rule does not rely on how its parent was reached.
  matches: (d, _args, ctx) => {
    assertSeesMatches(ctx.identity, d);
    return matchFor(ctx, d);
  },
};
