import type { EventEnvelope } from '@conecta/events';
import { orInvalidReference, type CommandOptions } from '@conecta/service-kit';
import { InvalidInputError } from '@conecta/service-kit/errors';
import type { Agreement } from '../domain/catalog';
import type { Cohort } from '../domain/cohort';
import type { Target } from '../domain/common';
import type { IndexedRecord, KnownIds } from '../domain/history';
import type {
  IndexedCohortRecord,
  KnownForCohorts,
} from '../domain/cohort-history';
import type { Enrollment } from '../domain/enrollment';
import { certifiedTrainees } from '../domain/funding';
import { certificationStandardOf } from '../domain/indicators';
import type { EnrollmentScope } from '../domain/permissions';
import type { TrainingProject } from '../domain/project';
import type { OrganizationView } from '../store/projections';
import type { Stored } from '../store/aggregate';
import type { Context } from '../context';
import type { EventMeta } from '../events';

// What the commands share: fresh loads of the aggregate a command changes,
// the reference checks of their inputs, and the shape of a decision.

/** What a command's `decide` returns: the aggregate's next state and the events that say so (saved in one write). */
export interface Change<T> {
  next: T;
  events: EventEnvelope[];
}

/**
 * `runCommand`'s options for the broker's decisions (a project's submit,
 * approve, reject and close; a cohort's capacity, start, complete and
 * cancel): one run. Each was decided on what the broker saw, so a lost race
 * answers CONFLICT `*_CHANGED_CONCURRENTLY` and the broker reads again,
 * rather than the decision being applied to a state the broker did not see
 * (README: Concurrency). The progress steps and cancelling demand commute
 * with their racing writers: they run again (the default).
 */
export const BROKER_DECISION: CommandOptions = { attempts: 1 };

/** The event metadata of this request at `now`. */
export const metaOf = (
  ctx: Pick<Context, 'requestId'>,
  now: Date,
): EventMeta => ({
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
 * A fresh read of the aggregate a command changes (not the request cache: a
 * retry must see the write it lost to).
 *
 * @throws InvalidInputError `<KIND>_NOT_FOUND` naming `field` when there is none
 */
export function loadFresh<T>(
  store: { findById(id: string): Promise<T | null> },
  id: string,
  field: string,
  entity: keyof typeof NOT_FOUND_CODES,
): Promise<T> {
  return orInvalidReference(
    store.findById(id),
    field,
    `a known ${entity}`,
    NOT_FOUND_CODES[entity],
  );
}

/** A PUBLISHED standard of the projection. */
export async function requirePublishedStandard(
  { stores }: Pick<Context, 'stores'>,
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
  ctx: Pick<Context, 'stores' | 'loaders'>,
  target: Target,
  field: string,
): Promise<void> {
  if (target.kind === 'STANDARD') {
    await requirePublishedStandard(ctx, target.id, `${field}.standardId`);
  } else {
    await orInvalidReference(
      ctx.loaders.credential.load(target.id),
      `${field}.credentialId`,
      'a vendor credential of the catalog',
      'CREDENTIAL_NOT_FOUND',
    );
  }
}

/** An organization of committees' directory (projection). */
export async function requireOrganization(
  { stores }: Pick<Context, 'stores'>,
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

/** An agreement an input names (`input.agreementId`), fresh. */
export const requireAgreement = (
  { stores }: Pick<Context, 'stores'>,
  id: string,
): Promise<Stored<Agreement>> =>
  orInvalidReference(
    stores.agreements.findById(id),
    'input.agreementId',
    'an agreement',
    'AGREEMENT_NOT_FOUND',
  );

/** The agreement an aggregate was made under (data integrity: it is there). */
export async function agreementOf(
  { stores }: Pick<Context, 'stores'>,
  of: { agreementId: string },
): Promise<Stored<Agreement>> {
  return present(await stores.agreements.findById(of.agreementId), 'agreement');
}

/**
 * The organizations, standards (ever published) and credentials among those
 * a batch of historical records names: one query per kind, whatever the size.
 */
export async function knownIdsOf(
  { stores }: Pick<Context, 'stores'>,
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
  { stores }: Pick<Context, 'stores'>,
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

/** The standard whose certificates count for a cohort's or project's target. */
export async function certificationStandard(
  ctx: Pick<Context, 'loaders'>,
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
  ctx: Pick<Context, 'stores' | 'loaders'>,
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

/** The provider and venue of an enrollment's cohort (who may see it, who records its progress). */
export async function scopeOf(
  ctx: Pick<Context, 'loaders'>,
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

/** A reference that must exist (data integrity), or an INTERNAL error naming it. */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}
