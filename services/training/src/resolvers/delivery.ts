import type {
  CohortResolvers,
  EnrollmentResolvers,
  PersonResolvers,
  TrainingProjectResolvers,
} from '../__generated__/resolvers-types';
import { seatsLeft } from '../domain/cohort';
import { canSeeEnrollment } from '../domain/permissions';
import { projectCost } from '../domain/project';
import type { Enrollment as EnrollmentEntity } from '../domain/enrollment';
import type { Context } from '../context';
import { certifiedOf, indicatorsOf, present, scopeOf } from './commands';

/** The enrollments among `all` the caller may see. */
async function visible(
  ctx: Context,
  all: readonly EnrollmentEntity[],
): Promise<EnrollmentEntity[]> {
  const checks = await Promise.all(
    all.map(async (e) => canSeeEnrollment(ctx.identity, await scopeOf(ctx, e))),
  );
  return all.filter((_e, i) => checks[i]);
}

export const TrainingProject: TrainingProjectResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.project.load(ref.id),
  agreement: async (p, _args, { loaders }) =>
    present(await loaders.agreement.load(p.agreementId), 'agreement'),
  demandRequests: async (p, _args, { loaders }) =>
    (await loaders.demand.loadMany(p.demandRequestIds)).filter(
      (d): d is Exclude<typeof d, Error | null> =>
        d !== null && !(d instanceof Error),
    ),
  cost: async (p, _args, { loaders }) =>
    projectCost(
      p,
      present(await loaders.agreement.load(p.agreementId), 'agreement'),
    ),
  cohorts: (p, _args, { loaders }) => loaders.cohortsByProject.load(p.id),
  indicators: async (p, _args, ctx) =>
    indicatorsOf(ctx, await ctx.loaders.cohortsByProject.load(p.id)),
};

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

export const PersonEnrollments: Pick<PersonResolvers, 'enrollments'> = {
  enrollments: async (person, _args, ctx) =>
    visible(ctx, await ctx.loaders.enrollmentsByPerson.load(person.id)),
};
