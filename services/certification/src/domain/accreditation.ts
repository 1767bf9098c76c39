import { z } from 'zod';
import { ConflictError, stateMachine } from '@conecta/service-kit/errors';
import type { Nomination, StandardView } from './projections';

export type AccreditationStatus =
  'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

/** A certifying body's accreditation for one standard. */
export interface Accreditation {
  id: string;
  certifyingBodyId: string;
  organizationId: string;
  standardId: string;
  status: AccreditationStatus;
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

/** A new PENDING accreditation. */
export function requestAccreditation(
  ref: Pick<
    Accreditation,
    'certifyingBodyId' | 'organizationId' | 'standardId'
  >,
  { id, now }: { id: string; now: Date },
): Accreditation {
  return {
    id,
    ...ref,
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
 * other organizations (nominations by other committees do not count).
 *
 * @throws ConflictError STANDARD_NOT_PUBLISHED, BODY_NOT_NOMINATED,
 *   INSUFFICIENT_NOMINATIONS or ACCREDITATION_TRANSITION_NOT_ALLOWED
 */
export function activateAccreditation(
  accreditation: Accreditation,
  standard: StandardView | null,
  nominations: readonly Nomination[],
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
