import type { Identity, Role } from '@conecta/service-kit';
import { ForbiddenError, InvalidInputError } from '@conecta/service-kit/errors';

/** Who runs the brokerage: catalog, agreements, projects, cohorts, enrollments. */
export const BROKER_ROLES: readonly Role[] = ['admin', 'broker'];

/**
 * Callers acting for an organization (identity.organizationId): state
 * governments, clusters and companies (partner apps) and universities. They
 * request training for their own organization and, as providers or venues,
 * see and record progress in their own cohorts.
 */
export const ORGANIZATION_ROLES: readonly Role[] = ['partner', 'university'];

export const isBroker = (identity: Identity): boolean =>
  identity.roles.some((r) => BROKER_ROLES.includes(r));

const actsFor = (identity: Identity, organizationId: string): boolean =>
  identity.organizationId === organizationId &&
  identity.roles.some((r) => ORGANIZATION_ROLES.includes(r));

/** @throws ForbiddenError `BROKER_ONLY` unless admin or broker. */
export function assertBroker(identity: Identity): void {
  if (!isBroker(identity))
    throw new ForbiddenError(
      'Only the broker (or an admin) manages the catalog, agreements, projects and cohorts',
      'BROKER_ONLY',
    );
}

/**
 * Importing history backdates facts that feed national demand trends, so it
 * is the platform's admin's act alone (README: Decisions), and it must be
 * attributable: the admin's subject is recorded on every imported request.
 *
 * @returns the importing admin's subject
 * @throws ForbiddenError `ADMIN_ONLY` unless admin; `IMPORTER_UNIDENTIFIED` without a subject
 */
export function assertImporter(identity: Identity): string {
  if (!identity.roles.includes('admin'))
    throw new ForbiddenError(
      'Only an admin imports history (demand, cohorts)',
      'ADMIN_ONLY',
    );
  if (!identity.subject)
    throw new ForbiddenError(
      'An import is recorded under the admin who ran it: the identity has no subject',
      'IMPORTER_UNIDENTIFIED',
    );
  return identity.subject;
}

/** A demand request is visible to brokers and to the organization that asked. */
export const canSeeDemand = (
  identity: Identity,
  demand: { requesterId: string },
): boolean => isBroker(identity) || actsFor(identity, demand.requesterId);

/** @throws ForbiddenError `NOT_REQUESTER` unless {@link canSeeDemand}. */
export function assertManagesDemand(
  identity: Identity,
  demand: { requesterId: string },
): void {
  if (!canSeeDemand(identity, demand))
    throw new ForbiddenError(
      'Only the requesting organization or the broker manages this demand request',
      'NOT_REQUESTER',
    );
}

/**
 * The organization a new demand request is for: a broker names it
 * (`input.requesterId`); an organization caller asks for itself.
 */
export function requesterFor(
  identity: Identity,
  requested: string | null | undefined,
): string {
  if (isBroker(identity)) {
    if (!requested)
      throw new InvalidInputError(
        'input.requesterId',
        'is required when a broker records demand for an organization',
        'REQUESTER_REQUIRED',
      );
    return requested;
  }
  const own = identity.organizationId;
  if (!own || !identity.roles.some((r) => ORGANIZATION_ROLES.includes(r)))
    throw new ForbiddenError(
      'Demand is requested by an organization (partner or university acting for it) or recorded by the broker',
      'NOT_AN_ORGANIZATION',
    );
  if (requested && requested !== own)
    throw new ForbiddenError(
      'An organization requests training for itself only',
      'NOT_REQUESTER',
    );
  return own;
}

/** Where an enrollment happens: the cohort's provider and venue. */
export interface EnrollmentScope {
  personId: string;
  providerId: string;
  venueId: string;
}

/**
 * Enrollments are personal: brokers, the person (identity.subject = person
 * id), and the provider or venue of the cohort see them.
 */
export const canSeeEnrollment = (
  identity: Identity,
  scope: EnrollmentScope,
): boolean =>
  isBroker(identity) ||
  identity.subject === scope.personId ||
  actsFor(identity, scope.providerId) ||
  actsFor(identity, scope.venueId);

/** A cohort's whole enrollment list: brokers, and the cohort's provider or venue. */
export const canSeeCohortEnrollments = (
  identity: Identity,
  cohort: { providerId: string; venueId: string },
): boolean =>
  isBroker(identity) ||
  actsFor(identity, cohort.providerId) ||
  actsFor(identity, cohort.venueId);

/** Attendance, vouchers, exam results and completion: brokers and the cohort's provider. */
export function assertRecordsProgress(
  identity: Identity,
  providerId: string,
): void {
  if (!isBroker(identity) && !actsFor(identity, providerId))
    throw new ForbiddenError(
      "Only the broker or the cohort's provider records a participant's progress",
      'NOT_COHORT_PROVIDER',
    );
}

/**
 * The demand requests a caller may list: brokers all of them, or one
 * requester's when they filter by it; an organization its own only (its
 * filter by requester cannot widen that); anyone else none.
 *
 * @returns the requester restriction to add to the list's query (`{}`: none), or null when the caller may list no demand
 */
export function demandListScope(
  identity: Identity,
  requesterId: string | null | undefined,
): { requesterId?: string } | null {
  if (isBroker(identity)) return requesterId ? { requesterId } : {};
  const own = identity.organizationId;
  if (!own || !canSeeDemand(identity, { requesterId: own })) return null;
  return { requesterId: own };
}

/**
 * Whether the caller may list the enrollments a filter selects: brokers any;
 * the person their own (`personId` = identity.subject); the provider or
 * venue of a cohort that cohort's (`cohortId` given, see
 * {@link canSeeCohortEnrollments}). `cohortOf` reads where that cohort is
 * delivered (null when it or its agreement is unknown): asked only when the
 * cohort decides.
 */
export async function canListEnrollments(
  identity: Identity,
  filter: { cohortId?: string | null; personId?: string | null },
  cohortOf: (
    cohortId: string,
  ) => Promise<{ providerId: string; venueId: string } | null>,
): Promise<boolean> {
  if (isBroker(identity)) return true;
  if (filter.personId && filter.personId === identity.subject) return true;
  if (!filter.cohortId) return false;
  const cohort = await cohortOf(filter.cohortId);
  return cohort !== null && canSeeCohortEnrollments(identity, cohort);
}
