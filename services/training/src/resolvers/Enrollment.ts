import type { EnrollmentResolvers } from '../__generated__/resolvers-types';
import { canSeeEnrollment } from '../domain/permissions';
import { present, scopeOf } from '../commands/load';
import { certifiedOf } from './queries';

export const Enrollment: EnrollmentResolvers = {
  // Personal: null unless the caller may see it.
  __resolveReference: async (ref, ctx) => {
    const enrollment = await ctx.loaders.enrollment.load(ref.id);
    if (!enrollment) return null;
    return canSeeEnrollment(ctx.identity, await scopeOf(ctx, enrollment))
      ? enrollment
      : null;
  },
  cohort: async (e, _args, { loaders }) =>
    present(await loaders.cohort.load(e.cohortId), 'cohort'),
  person: (e) => ({ id: e.personId }),
  vendorExamPassed: (e) => e.examPassed,
  certified: async (e, _args, ctx) => {
    const cohort = present(await ctx.loaders.cohort.load(e.cohortId), 'cohort');
    return (await certifiedOf(ctx, cohort, [e]))(e);
  },
};
