import { z } from 'zod';
import { ACCREDITATION_SCOPES } from '@conecta/events/contracts';
import { ConflictError, stateMachine } from '@conecta/service-kit/errors';
import type { Nomination, StandardView } from './projections';

export type AccreditationStatus =
  'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

/**
 * What an accreditation allows (issue 15, item 5): evaluation centres are
 * accredited to EVALUATE, certifying bodies to CERTIFY, full bodies both.
 */
export type AccreditationScope = (typeof ACCREDITATION_SCOPES)[number];

/** Accreditations stored before scopes existed allowed both: absent reads as both (no migration). */
export const LEGACY_SCOPES: readonly AccreditationScope[] =
  ACCREDITATION_SCOPES;

export const accreditationScopesInput = z
  .array(z.enum(ACCREDITATION_SCOPES))
  .min(1, 'must give at least one scope')
  // Stored sorted and without repeats, so equal scopes compare equal.
  .transform((scopes) =>
    ACCREDITATION_SCOPES.filter((s) => scopes.includes(s)),
  );

/** A certifying body's accreditation for one standard. */
export interface Accreditation {
  id: string;
  certifyingBodyId: string;
  organizationId: string;
  standardId: string;
  status: AccreditationStatus;
  /** EVALUATION, CERTIFICATION or both (in that order). */
  scopes: readonly AccreditationScope[];
  requestedAt: Date;
  activatedAt: Date | null;
  reason: string | null;
  changedAt: Date;
}

/**
 * DESIGN.md §2: a standard needs at least three nominated certifiers before any
 * accreditation for it becomes active (anti-collusion): this body plus two others.
 */
export const MIN_NOMINATED_CERTIFIERS = 3;

export const reasonInput = z
  .string()
  .trim()
  .min(5, 'must have at least 5 characters')
  .max(2_000, 'must have at most 2000 characters');

/** The arguments of a change that needs only its reason (suspending, reinstating, revoking). */
export const reasonArgs = z.object({ reason: reasonInput });

/** The lifecycle: PENDING → ACTIVE ⇄ SUSPENDED, and REVOKED (final) from any. */
export const ACCREDITATION_LIFECYCLE = stateMachine<AccreditationStatus>(
  {
    PENDING: ['ACTIVE', 'REVOKED'],
    ACTIVE: ['SUSPENDED', 'REVOKED'],
    // A suspension ends in reactivation (same checks as activation) or revocation.
    SUSPENDED: ['ACTIVE', 'REVOKED'],
    REVOKED: [],
  },
  (from, to) => ({
    code: 'ACCREDITATION_TRANSITION_NOT_ALLOWED',
    message: `An accreditation in status ${from} cannot become ${to}`,
  }),
);

function assertTransition(
  accreditation: Accreditation,
  to: AccreditationStatus,
): void {
  ACCREDITATION_LIFECYCLE.assert(accreditation.status, to);
}

/** Whether the accreditation allows `scope` (whatever its status). */
export function covers(
  accreditation: Pick<Accreditation, 'scopes'>,
  scope: AccreditationScope,
): boolean {
  return accreditation.scopes.includes(scope);
}

/** Whether the accreditation is ACTIVE and allows `scope`: what evaluating and certifying need. */
export function activeFor(
  accreditation: Pick<Accreditation, 'status' | 'scopes'> | null,
  scope: AccreditationScope,
): boolean {
  return accreditation?.status === 'ACTIVE' && covers(accreditation, scope);
}

/**
 * @throws ConflictError ACCREDITATION_NOT_ACTIVE when the body has no ACTIVE
 *   accreditation for the standard, NOT_ACCREDITED_FOR_EVALUATION or
 *   NOT_ACCREDITED_FOR_CERTIFICATION when its ACTIVE one does not allow `scope`
 */
export function requireActiveScope(
  accreditation: Accreditation | null,
  scope: AccreditationScope,
  field?: string,
): Accreditation {
  if (!accreditation || accreditation.status !== 'ACTIVE') {
    throw new ConflictError(
      'ACCREDITATION_NOT_ACTIVE',
      'The body has no ACTIVE accreditation for this standard',
      field,
    );
  }
  if (!covers(accreditation, scope)) {
    throw new ConflictError(
      `NOT_ACCREDITED_FOR_${scope}`,
      scope === 'EVALUATION'
        ? 'The body is accredited to certify this standard, not to evaluate against it'
        : 'The body is accredited to evaluate against this standard, not to certify it: an independent body accredited for certification certifies its evaluations',
      field,
    );
  }
  return accreditation;
}

/** A new PENDING accreditation, for both scopes unless `scopes` says otherwise. */
export function requestAccreditation(
  ref: Pick<
    Accreditation,
    'certifyingBodyId' | 'organizationId' | 'standardId'
  > & { scopes?: readonly AccreditationScope[] },
  { id, now }: { id: string; now: Date },
): Accreditation {
  return {
    id,
    ...ref,
    scopes: ref.scopes ?? ACCREDITATION_SCOPES,
    status: 'PENDING',
    requestedAt: now,
    activatedAt: null,
    reason: null,
    changedAt: now,
  };
}

/**
 * Activates a PENDING or SUSPENDED accreditation. Only for a PUBLISHED standard
 * whose owning committee nominated this body's organization and at least two
 * other organizations (nominations by other committees do not count), and
 * only once the body has an APPROVED evaluation procedure (safeguard 2;
 * `approvedProcedure`: its current one, see evaluation-procedure.ts). The
 * network's checks come first, the body's procedure last.
 *
 * @throws ConflictError STANDARD_NOT_PUBLISHED, BODY_NOT_NOMINATED,
 *   INSUFFICIENT_NOMINATIONS, NO_APPROVED_PROCEDURE or
 *   ACCREDITATION_TRANSITION_NOT_ALLOWED
 */
export function activateAccreditation(
  accreditation: Accreditation,
  standard: StandardView | null,
  nominations: readonly Nomination[],
  approvedProcedure: { status: string } | null,
  now: Date,
): Accreditation {
  assertTransition(accreditation, 'ACTIVE');
  if (!standard || standard.status !== 'PUBLISHED') {
    throw new ConflictError(
      'STANDARD_NOT_PUBLISHED',
      `Standard ${accreditation.standardId} is not PUBLISHED`,
    );
  }
  const nominated = new Set(
    nominations
      .filter(
        (n) =>
          n.standardId === standard.id &&
          n.committeeId === standard.committeeId,
      )
      .map((n) => n.organizationId),
  );
  if (!nominated.has(accreditation.organizationId)) {
    throw new ConflictError(
      'BODY_NOT_NOMINATED',
      "The standard's committee has not nominated this body's organization",
    );
  }
  if (nominated.size < MIN_NOMINATED_CERTIFIERS) {
    throw new ConflictError(
      'INSUFFICIENT_NOMINATIONS',
      `The standard has ${nominated.size} nominated certifiers; ${MIN_NOMINATED_CERTIFIERS} are needed before any accreditation is active`,
    );
  }
  if (approvedProcedure?.status !== 'APPROVED') {
    throw new ConflictError(
      'NO_APPROVED_PROCEDURE',
      'The body has no APPROVED evaluation procedure: an admin approves one before any accreditation of the body becomes ACTIVE',
    );
  }
  return {
    ...accreditation,
    status: 'ACTIVE',
    activatedAt: now,
    reason: null,
    changedAt: now,
  };
}

/** Suspends an ACTIVE accreditation. */
export function suspendAccreditation(
  accreditation: Accreditation,
  reason: string,
  now: Date,
): Accreditation {
  assertTransition(accreditation, 'SUSPENDED');
  return { ...accreditation, status: 'SUSPENDED', reason, changedAt: now };
}

/** Revokes an accreditation, permanently. */
export function revokeAccreditation(
  accreditation: Accreditation,
  reason: string,
  now: Date,
): Accreditation {
  assertTransition(accreditation, 'REVOKED');
  return { ...accreditation, status: 'REVOKED', reason, changedAt: now };
}
