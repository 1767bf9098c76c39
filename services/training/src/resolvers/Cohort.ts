import type { CohortResolvers } from '../__generated__/resolvers-types';
import { seatsLeft } from '../domain/cohort';
import { indicatorsOf, present, visible } from './commands';

export const Cohort: CohortResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.cohort.load(ref.id),
  agreement: async (c, _args, { loaders }) =>
    present(await loaders.agreement.load(c.agreementId), 'agreement'),
  project: (c, _args, { loaders }) =>
    c.projectId ? loaders.project.load(c.projectId) : null,
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
};
