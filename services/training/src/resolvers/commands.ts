import { InvalidInputError } from '@conecta/service-kit/errors';
import type { Agreement } from '../domain/catalog';
import type { Cohort } from '../domain/cohort';
import type { Target } from '../domain/common';
import type { DemandRequest } from '../domain/demand';
import type { IndexedRecord, KnownIds } from '../domain/history';
import type {
  IndexedCohortRecord,
  KnownForCohorts,
} from '../domain/cohort-history';
import type { Enrollment } from '../domain/enrollment';
import { certifiedTrainees } from '../domain/funding';
import {
  certificationStandardOf,
  computeIndicators,
  isCertified,
  type Indicators,
} from '../domain/indicators';
import { matchDemand, type MatchResult } from '../domain/matching';
import { providerQualities } from '../domain/quality';
import { canSeeEnrollment, type EnrollmentScope } from '../domain/permissions';
import type { TrainingProject } from '../domain/project';
import type { OrganizationView } from '../store/projections';
import type { Context } from '../context';
import type { EventMeta } from '../events';

/** The event metadata of this request at `now`. */
export const metaOf = (ctx: Context, now: Date): EventMeta => ({
  traceId: ctx.requestId,
  now,
});

// The stable reason of an unknown id, per entity a command names.
const NOT_FOUND_CODES = {
  DemandRequest: 'DEMAND_NOT_FOUND',
  TrainingProject: 'PROJECT_NOT_FOUND',
  Cohort: 'COHORT_NOT_FOUND',
  Enrollment: 'ENROLLMENT_NOT_FOUND',
} as const;

/**
 * A fresh read of the aggregate a command changes (not the request cache).
 *
 * @throws InvalidInputError `<KIND>_NOT_FOUND` naming `field` when there is none
 */
export async function loadFresh<T>(
  store: { findById(id: string): Promise<T | null> },
  id: string,
  field: string,
  entity: keyof typeof NOT_FOUND_CODES,
): Promise<T> {
  const found = await store.findById(id);
  if (!found)
    throw new InvalidInputError(
      field,
      `is not a known ${entity}`,
      NOT_FOUND_CODES[entity],
    );
  return found;
}

/** An id an input names that must exist, or BAD_USER_INPUT `<KIND>_NOT_FOUND` naming the field. */
export async function requireRef<T>(
  found: Promise<T | null>,
  field: string,
  what: string,
  code: string,
): Promise<T> {
  const value = await found;
  if (!value) throw new InvalidInputError(field, `is not ${what}`, code);
  return value;
}

/** A PUBLISHED standard of the projection. */
export async function requirePublishedStandard(
  { stores }: Context,
  id: string,
  field: string,
): Promise<void> {
  const [standard] = await stores.projections.standards.findByIds([id]);
  if (!standard || standard.status !== 'PUBLISHED')
    throw new InvalidInputError(
      field,
      'is not a published competency standard',
      'STANDARD_NOT_FOUND',
    );
}

/** A standard or a credential of the catalog. */
export async function requireTarget(
  ctx: Context,
  target: Target,
  field: string,
): Promise<void> {
  if (target.kind === 'STANDARD') {
    await requirePublishedStandard(ctx, target.id, `${field}.standardId`);
  } else {
    await requireRef(
      ctx.loaders.credential.load(target.id),
      `${field}.credentialId`,
      'a vendor credential of the catalog',
      'CREDENTIAL_NOT_FOUND',
    );
  }
}

/** `targetKind` and `standard` of a type with a target (DemandRequest, Agreement). */
export const targetFields = {
  targetKind: (parent: { target: { kind: 'STANDARD' | 'CREDENTIAL' } }) =>
    parent.target.kind,
  standard: (parent: { target: { kind: string; id: string } }) =>
    parent.target.kind === 'STANDARD' ? { id: parent.target.id } : null,
};

/** An organization of committees' directory (projection). */
export async function requireOrganization(
  { stores }: Context,
  id: string,
  field: string,
): Promise<OrganizationView> {
  const [organization] = await stores.projections.organizations.findByIds([id]);
  if (!organization)
    throw new InvalidInputError(
      field,
      'is not a registered organization',
      'ORGANIZATION_NOT_FOUND',
    );
  return organization;
}

/**
 * The organizations, standards (ever published) and credentials among those
 * a batch of historical records names: one query per kind, whatever the size.
 */
export async function knownIdsOf(
  { stores }: Context,
  records: readonly IndexedRecord[],
): Promise<KnownIds> {
  const idsOf = (kind: 'STANDARD' | 'CREDENTIAL') => [
    ...new Set(
      records
        .filter(({ record }) => record.target.kind === kind)
        .map(({ record }) => record.target.id),
    ),
  ];
  const ids = <T extends { id: string }>(found: T[]) =>
    new Set(found.map((f) => f.id));
  const [organizations, standards, credentials] = await Promise.all([
    stores.projections.organizations.findByIds([
      ...new Set(records.map(({ record }) => record.requesterId)),
    ]),
    stores.projections.standards.findByIds(idsOf('STANDARD')),
    stores.credentials.findByIds(idsOf('CREDENTIAL')),
  ]);
  return {
    organizations: ids(organizations),
    standards: ids(standards),
    credentials: ids(credentials),
  };
}

/**
 * What training knows of the ids a batch of past cohorts names: the
 * organizations (providers, venues), standards (ever published), credentials,
 * people, agreements (named, or signed with a record's provider) and projects
 * among them — one query per kind, whatever the batch's size (none for a
 * kind the batch does not name).
 */
export async function knownForCohorts(
  { stores }: Context,
  records: readonly IndexedCohortRecord[],
): Promise<KnownForCohorts> {
  const unique = (ids: Array<string | null | undefined>) => [
    ...new Set(ids.filter((id): id is string => Boolean(id))),
  ];
  const rs = records.map(({ record }) => record);
  const targetsOf = (kind: 'STANDARD' | 'CREDENTIAL') =>
    unique(rs.filter((r) => r.target.kind === kind).map((r) => r.target.id));
  const ids = <T extends { id: string }>(found: T[]) =>
    new Set(found.map((f) => f.id));
  const orNone = <T>(keys: string[], read: () => Promise<T[]>) =>
    keys.length === 0 ? Promise.resolve([]) : read();
  const organizationIds = unique(rs.flatMap((r) => [r.providerId, r.venueId]));
  const standardIds = targetsOf('STANDARD');
  const credentialIds = targetsOf('CREDENTIAL');
  const personIds = unique(
    rs.flatMap((r) => r.participants.map((p) => p.personId)),
  );
  const agreementIds = unique(rs.map((r) => r.agreementId));
  const providerIds = unique(rs.map((r) => r.providerId));
  const projectIds = unique(rs.map((r) => r.projectId));
  const [organizations, standards, credentials, persons, agreements, projects] =
    await Promise.all([
      orNone(organizationIds, () =>
        stores.projections.organizations.findByIds(organizationIds),
      ),
      orNone(standardIds, () =>
        stores.projections.standards.findByIds(standardIds),
      ),
      orNone(credentialIds, () => stores.credentials.findByIds(credentialIds)),
      orNone(personIds, () => stores.projections.persons.findByIds(personIds)),
      orNone(providerIds, () =>
        stores.agreements.find({
          $or: [
            { _id: { $in: agreementIds } },
            { providerId: { $in: providerIds } },
          ],
        }),
      ),
      orNone(projectIds, () => stores.projects.findByIds(projectIds)),
    ]);
  return {
    organizations: ids(organizations),
    standards: ids(standards),
    credentials: ids(credentials),
    persons: ids(persons),
    agreements,
    projects,
  };
}

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
  const [records, surveys] = await Promise.all([
    Promise.all(
      providers.map((id) => ctx.loaders.certificationByProvider.load(id)),
    ),
    providers.length === 0
      ? Promise.resolve([])
      : ctx.stores.projections.providerSurveys.findByIds(providers),
  ]);
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
  const agreements = await ctx.stores.agreements.find({
    'target.kind': demand.target.kind,
    'target.id': demand.target.id,
  });
  const cohorts =
    agreements.length === 0
      ? []
      : await ctx.stores.cohorts.find(
          { agreementId: { $in: agreements.map((a) => a.id) } },
          { startsOn: 1 },
        );
  return matchDemand(demand, agreements, cohorts, {
    now: new Date(),
    brokerMarkupBps: ctx.pricing.brokerMarkupBps,
    fundShareBps: ctx.pricing.matchingFundShareBps,
    quality: await qualitiesOf(ctx, agreements),
  });
}

/** The standard whose certificates count for a cohort's target. */
async function certificationStandard(
  ctx: Context,
  target: Target,
): Promise<string | null> {
  if (target.kind === 'STANDARD') return target.id;
  const credential = await ctx.loaders.credential.load(target.id);
  return certificationStandardOf(target, credential?.standardId ?? null);
}

/**
 * How many of a project's trainees are certified on its target standard now:
 * fresh reads (not the request's cache) of its cohorts, their enrollments and
 * the certificates of those people (certification's events, projected) — three
 * queries, whatever the project's size.
 */
export async function certifiedTraineesOf(
  ctx: Context,
  project: TrainingProject,
): Promise<number> {
  const { stores } = ctx;
  const cohorts = await stores.cohorts.find({ projectId: project.id });
  if (cohorts.length === 0) return 0;
  const enrollments = await stores.enrollments.find({
    cohortId: { $in: cohorts.map((c) => c.id) },
  });
  const people = [...new Set(enrollments.map((e) => e.personId))];
  const [standardId, certificates] = await Promise.all([
    certificationStandard(ctx, project.target),
    people.length === 0
      ? Promise.resolve([])
      : stores.projections.certificates.ofPersons(people),
  ]);
  return certifiedTrainees(enrollments, standardId, certificates);
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

/** The provider and venue of an enrollment's cohort, for visibility. */
export async function scopeOf(
  ctx: Context,
  enrollment: Enrollment,
): Promise<EnrollmentScope & { cohort: Cohort; agreement: Agreement }> {
  const cohort = await ctx.loaders.cohort.load(enrollment.cohortId);
  if (!cohort) throw new Error(`cohort ${enrollment.cohortId} is missing`);
  const agreement = await ctx.loaders.agreement.load(cohort.agreementId);
  if (!agreement) throw new Error(`agreement ${cohort.agreementId} is missing`);
  return {
    personId: enrollment.personId,
    providerId: agreement.providerId,
    venueId: cohort.venueId,
    cohort,
    agreement,
  };
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

/** A reference that must exist (data integrity), or an INTERNAL error naming it. */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}
