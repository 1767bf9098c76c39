import type { Identity } from '@conecta/service-kit';
import {
  assertManagesDemand,
  canSeeCohortEnrollments,
  canSeeDemand,
  canSeeEnrollment,
  isBroker,
  type EnrollmentScope,
} from './permissions';

// Who may read what in training, decided once per type and field (issue 12).
// Resolvers never ask these questions themselves: they read entities through
// resolvers/readers.ts, which applies these rules on every path (root query,
// nested field, another service's reference, `_entities`). Which rule guards
// which field is declared in ./access-map.ts, checked against the schema.

export { canSeeCohortEnrollments, canSeeDemand, canSeeEnrollment };
export type { EnrollmentScope };

/**
 * A training project is the broker's working file: the fund applied to, the
 * fund shares, the broker's markup and the demand it aggregates. Brokers and
 * admins only, on every path (a cohort's `project`, a demand request's
 * `project`, `_entities`); the requesting organizations see their own demand
 * requests, not the project they were packaged into (README: Decisions).
 */
export const canSeeProject = (identity: Identity): boolean =>
  isBroker(identity);

/**
 * What can serve a demand request (offers, prices, pooling): whoever manages
 * the request, the same check `matchDemand` applies.
 */
export const canSeeMatches = (
  identity: Identity,
  demand: { requesterId: string },
): boolean => canSeeDemand(identity, demand);

/**
 * @throws ForbiddenError `NOT_REQUESTER` unless {@link canSeeMatches}: a
 * non-null field refuses rather than answering null.
 */
export const assertSeesMatches = (
  identity: Identity,
  demand: { requesterId: string },
): void => assertManagesDemand(identity, demand);

/** The audit trail of imported demand names staff: brokers and admins only. */
export const canSeeProvenance = (identity: Identity): boolean =>
  isBroker(identity);

/** The entity when the caller may see it, else null. */
export const seenOrNull = <T>(
  entity: T | null | undefined,
  may: (entity: T) => boolean,
): T | null => (entity != null && may(entity) ? entity : null);
