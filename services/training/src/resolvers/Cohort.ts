import type { CohortResolvers } from '../__generated__/resolvers-types';
import { canSeeProvenance } from '../domain/access';
import { seatsLeft } from '../domain/cohort';
import { present } from '../commands/load';
import { indicatorsOf, visible } from './queries';
import { readProject } from './readers';

export const Cohort: CohortResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.cohort.load(ref.id),
  agreement: async (c, _args, { loaders }) =>
    present(await loaders.agreement.load(c.agreementId), 'agreement'),
  // The broker's project: null for anyone else (domain/access.ts).
  project: (c, _args, ctx) =>
    c.projectId ? readProject(ctx, c.projectId) : null,
  venue: (c) => ({ id: c.venueId }),
  targetKind: (c) => c.target.kind,
  standard: (c) => (c.target.kind === 'STANDARD' ? { id: c.target.id } : null),
  credential: (c, _args, { loaders }) =>
    c.target.kind === 'CREDENTIAL'
      ? loaders.credential.load(c.target.id)
      : null,
  enrolledCount: (c) => c.enrolled,
  seatsLeft: (c) => seatsLeft(c),
  enrollments: async (c, _args, ctx) =>
    visible(ctx, await ctx.loaders.enrollmentsByCohort.load(c.id)),
  indicators: (c, _args, ctx) => indicatorsOf(ctx, [c]),
  // The audit trail names staff (importedBy): admins and brokers only.
  provenance: (c, _args, { identity }) =>
    c.provenance && canSeeProvenance(identity) ? c.provenance : null,
};
