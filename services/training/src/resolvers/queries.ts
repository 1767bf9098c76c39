import type { Agreement } from '../domain/catalog';
import type { Cohort } from '../domain/cohort';
import { targetKey } from '../domain/common';
import type { DemandRequest } from '../domain/demand';
import type { Enrollment } from '../domain/enrollment';
import {
  computeIndicators,
  isCertified,
  type Indicators,
} from '../domain/indicators';
import { matchDemand, type MatchResult } from '../domain/matching';
import { canSeeEnrollment } from '../domain/permissions';
import { providerQualities } from '../domain/quality';
import { certificationStandard, scopeOf } from '../commands/load';
import type { Context } from '../context';

// What several resolvers compute from the request's loaders: matches,
// indicators, certification and the enrollments a caller may see.

/** `targetKind` and `standard` of a type with a target (DemandRequest, Agreement). */
export const targetFields = {
  targetKind: (parent: { target: { kind: 'STANDARD' | 'CREDENTIAL' } }) =>
    parent.target.kind,
  standard: (parent: { target: { kind: string; id: string } }) =>
    parent.target.kind === 'STANDARD' ? { id: parent.target.id } : null,
};

/**
 * The quality of the providers of `agreements`, compared with each other:
 * their certification records (through the request's loader: every match
 * of one request shares one computation) and their released employer-survey
 * scores (outcomes' events, projected; one query).
 */
export async function qualitiesOf(
  ctx: Context,
  agreements: readonly Agreement[],
) {
  const providers = [...new Set(agreements.map((a) => a.providerId))];
  // Through the request's loaders: N demands' matches cost one query each.
  const [records, found] = await Promise.all([
    Promise.all(
      providers.map((id) => ctx.loaders.certificationByProvider.load(id)),
    ),
    Promise.all(providers.map((id) => ctx.loaders.providerSurvey.load(id))),
  ]);
  const surveys = found.flatMap((s) => (s ? [s] : []));
  return providerQualities(
    new Map(
      providers.map((id, i) => [
        id,
        records[i] ?? { completed: 0, certified: 0 },
      ]),
    ),
    new Map(
      surveys.flatMap((s) =>
        // A withheld release (fewer surveys than outcomes' threshold) is no record.
        s.score === null || s.responses === null
          ? []
          : [[s.id, { average: s.score, responses: s.responses }] as const],
      ),
    ),
  );
}

/** What can serve a demand request: agreements for its target, their cohorts and their providers' records. */
export async function matchFor(
  ctx: Context,
  demand: DemandRequest,
): Promise<MatchResult> {
  const agreements = await ctx.loaders.agreementsByTarget.load(
    targetKey(demand.target),
  );
  const cohorts = (
    await Promise.all(
      agreements.map((a) => ctx.loaders.cohortsByAgreement.load(a.id)),
    )
  )
    .flat()
    .sort((a, b) => a.startsOn.getTime() - b.startsOn.getTime());
  return matchDemand(demand, agreements, cohorts, {
    now: new Date(),
    brokerMarkupBps: ctx.pricing.brokerMarkupBps,
    fundShareBps: ctx.pricing.matchingFundShareBps,
    quality: await qualitiesOf(ctx, agreements),
  });
}

/** Whether each enrollment was certified (certificates from certification's events). */
export async function certifiedOf(
  ctx: Context,
  cohort: Cohort,
  enrollments: readonly Enrollment[],
): Promise<(e: Enrollment) => boolean> {
  const standardId = await certificationStandard(ctx, cohort.target);
  const certificates = (
    await Promise.all(
      enrollments.map((e) => ctx.loaders.certificatesByPerson.load(e.personId)),
    )
  ).flat();
  return (e) => isCertified(e, standardId, certificates);
}

/** The indicators over the enrollments of `cohorts`. */
export async function indicatorsOf(
  ctx: Context,
  cohorts: readonly Cohort[],
): Promise<Indicators> {
  const perCohort = await Promise.all(
    cohorts.map(async (cohort) => {
      const enrollments = await ctx.loaders.enrollmentsByCohort.load(cohort.id);
      return {
        enrollments,
        certified: await certifiedOf(ctx, cohort, enrollments),
      };
    }),
  );
  const certifiedIds = new Set(
    perCohort.flatMap(({ enrollments, certified }) =>
      enrollments.filter(certified).map((e) => e.id),
    ),
  );
  return computeIndicators(
    perCohort.flatMap((c) => c.enrollments),
    (e) => certifiedIds.has(e.id),
  );
}

/** The enrollments among `all` the caller may see. */
export async function visible(
  ctx: Context,
  all: readonly Enrollment[],
): Promise<Enrollment[]> {
  const checks = await Promise.all(
    all.map(async (e) => canSeeEnrollment(ctx.identity, await scopeOf(ctx, e))),
  );
  return all.filter((_e, i) => checks[i]);
}
