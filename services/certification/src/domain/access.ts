import type { Identity } from '@conecta/service-kit';
import {
  ForbiddenError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';
import {
  hasStaffRole,
  type CertifyingBody,
  type StaffRole,
} from './certifying-body';

// Authorization rules of certification (README: Decisions). Pure: the identity
// and the entities involved in, a decision or an error out.

const isAdmin = (identity: Identity): boolean =>
  identity.roles.includes('admin');

/**
 * Whether the caller acts as staff of `body` with `role`: the gateway says they
 * act for the body's organization, they have the `certifier` role, and the body
 * lists their subject with that staff role.
 */
export function actsAsStaff(
  identity: Identity,
  body: CertifyingBody,
  role: StaffRole,
): boolean {
  return (
    identity.organizationId === body.organizationId &&
    identity.roles.includes('certifier') &&
    hasStaffRole(body, identity.subject, role)
  );
}

/** Whether the caller acts as any staff member of `body`. */
export function actsAsAnyStaff(
  identity: Identity,
  body: CertifyingBody,
): boolean {
  return (
    actsAsStaff(identity, body, 'EVALUATOR') ||
    actsAsStaff(identity, body, 'CERTIFIER')
  );
}

function refuse(identity: Identity, message: string, code: string): never {
  if (identity.subject === undefined && identity.organizationId === undefined) {
    throw new UnauthenticatedError('Sign in to do this');
  }
  throw new ForbiddenError(message, code);
}

/** @throws ForbiddenError NOT_BODY_EVALUATOR unless the caller is an EVALUATOR of the body */
export function requireEvaluator(
  identity: Identity,
  body: CertifyingBody,
): string {
  if (!actsAsStaff(identity, body, 'EVALUATOR') || !identity.subject) {
    refuse(
      identity,
      'Only an evaluator of this certifying body may record its evaluations',
      'NOT_BODY_EVALUATOR',
    );
  }
  return identity.subject;
}

/** @throws ForbiddenError NOT_BODY_CERTIFIER unless the caller is a CERTIFIER of the body */
export function requireCertifier(
  identity: Identity,
  body: CertifyingBody,
): string {
  if (!actsAsStaff(identity, body, 'CERTIFIER') || !identity.subject) {
    refuse(
      identity,
      'Only a certifier of this certifying body may issue its certificates',
      'NOT_BODY_CERTIFIER',
    );
  }
  return identity.subject;
}

/** Admins, or a CERTIFIER of the body (requesting accreditation, revoking its certificates). */
export function requireAdminOrCertifier(
  identity: Identity,
  body: CertifyingBody,
): void {
  if (isAdmin(identity) || actsAsStaff(identity, body, 'CERTIFIER')) return;
  refuse(
    identity,
    'Only admins or a certifier of this body may do this',
    'NOT_BODY_CERTIFIER',
  );
}

/** Admins, or any staff member of the body (its expiry reminders, its evaluations). */
export function canActForBody(
  identity: Identity,
  body: CertifyingBody,
): boolean {
  return isAdmin(identity) || actsAsAnyStaff(identity, body);
}

/**
 * A body's staff list names people and the subjects they sign in with:
 * admins and the body's own staff read it; everyone else gets an empty list
 * (issue 12, finding 7a). Public callers still see the body, its facilities,
 * fees and accreditations.
 */
export function canSeeStaff(identity: Identity, body: CertifyingBody): boolean {
  return isAdmin(identity) || actsAsAnyStaff(identity, body);
}

/**
 * A record about one holder (an evaluation's evidence, a certificate's
 * verification code, its exported credential): the holder, admins and staff
 * of the body it belongs to.
 */
export function canSeeHolderRecord(
  identity: Identity,
  holderId: string,
  body: CertifyingBody,
): boolean {
  return (
    (identity.subject !== undefined && identity.subject === holderId) ||
    canActForBody(identity, body)
  );
}

/** The audit trail of an import (who imported what, from where): admins, who audit. */
export function canSeeImportProvenance(identity: Identity): boolean {
  return isAdmin(identity);
}

/**
 * Personal data (CURP, names, contact details) is readable by the person
 * themself (identity.subject = person id), admins, and staff of a certifying
 * body that evaluated them (`evaluatingBodies`: the bodies with an evaluation of
 * this person).
 */
export function canReadPersonalData(
  identity: Identity,
  personId: string,
  evaluatingBodies: readonly CertifyingBody[],
): boolean {
  if (isAdmin(identity)) return true;
  if (identity.subject !== undefined && identity.subject === personId)
    return true;
  return evaluatingBodies.some((body) => actsAsAnyStaff(identity, body));
}
