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
import type { Candidacy } from './candidacy';
import type { Evaluation } from './evaluation';

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

/**
 * An evaluation (result, evidence summary, evaluator, procedure version): the
 * candidate, admins, the evaluating body's staff, and — the third-party path
 * — the staff of the independent body the evaluating body asked to certify it
 * (`requestedBody`), who need the evidence to decide. That body gets no
 * relationship with the person: the candidate's personal data stay behind the
 * evaluating body's candidacy (README: Third-party certification path).
 */
export function canSeeEvaluation(
  identity: Identity,
  evaluation: Pick<Evaluation, 'candidateId'>,
  evaluatingBody: CertifyingBody,
  requestedBody: CertifyingBody | null,
): boolean {
  return (
    isThePerson(identity, evaluation.candidateId) ||
    canActForBody(identity, evaluatingBody) ||
    (requestedBody !== null && actsAsAnyStaff(identity, requestedBody))
  );
}

/**
 * Who evaluated (the evaluator's sign-in subject): the person, admins and the
 * evaluating body's staff. Not the body asked to certify a centre's
 * evaluation: it reads the record, not the centre's staff.
 */
export function canSeeEvaluator(
  identity: Identity,
  evaluation: Pick<Evaluation, 'candidateId'>,
  evaluatingBody: CertifyingBody,
): boolean {
  return (
    isThePerson(identity, evaluation.candidateId) ||
    canActForBody(identity, evaluatingBody)
  );
}

/**
 * A body's evaluation procedures beyond its current APPROVED one (drafts,
 * submissions, rejections and their reasons, who drafted and reviewed):
 * admins and the body's staff. The current approved version is public.
 */
export function canSeeProcedureHistory(
  identity: Identity,
  body: CertifyingBody,
): boolean {
  return canActForBody(identity, body);
}

/** Approving or rejecting evaluation procedures, and the list waiting for it: admins. */
export function canReviewProcedures(identity: Identity): boolean {
  return isAdmin(identity);
}

/** The audit trail of an import (who imported what, from where): admins, who audit. */
export function canSeeImportProvenance(identity: Identity): boolean {
  return isAdmin(identity);
}

/**
 * Personal data (CURP, names, contact details) is readable by the person
 * themself (identity.subject = person id), admins, and staff of a certifying
 * body with an open or recent relationship with them (`relatedBodies`: the
 * bodies whose ACCEPTED candidacy of this person is open or recent, see
 * `relationshipOpen` in candidacy.ts). An evaluation alone opens nothing.
 */
export function canReadPersonalData(
  identity: Identity,
  personId: string,
  relatedBodies: readonly CertifyingBody[],
): boolean {
  if (isAdmin(identity)) return true;
  if (isThePerson(identity, personId)) return true;
  return relatedBodies.some((body) => actsAsAnyStaff(identity, body));
}

const isThePerson = (identity: Identity, personId: string): boolean =>
  identity.subject !== undefined && identity.subject === personId;

/**
 * Who a read of personal data is logged as: an admin, or a body's staff
 * member. The person reading their own data is not logged (null).
 */
export function personalDataReader(
  identity: Identity,
  personId: string,
): 'ADMIN' | 'BODY_STAFF' | null {
  if (isThePerson(identity, personId)) return null;
  return isAdmin(identity) ? 'ADMIN' : 'BODY_STAFF';
}

/**
 * A candidacy (which body proposes to evaluate whom, against what): the
 * person, admins and the body's staff.
 */
export function canSeeCandidacy(
  identity: Identity,
  candidacy: Candidacy,
  body: CertifyingBody,
): boolean {
  return (
    isThePerson(identity, candidacy.personId) || canActForBody(identity, body)
  );
}

/**
 * Who the candidate is: the person and admins always, the body's staff only
 * once the candidacy is ACCEPTED (before, a proposal must not confirm to the
 * body which registered person a CURP belongs to).
 */
export function canSeeCandidate(
  identity: Identity,
  candidacy: Candidacy,
  body: CertifyingBody,
): boolean {
  if (isThePerson(identity, candidacy.personId) || isAdmin(identity))
    return true;
  return candidacy.status === 'ACCEPTED' && actsAsAnyStaff(identity, body);
}

/** @throws ForbiddenError NOT_CANDIDATE unless the caller is the candidacy's person (accepting or declining it) */
export function requireCandidate(
  identity: Identity,
  candidacy: Candidacy,
): void {
  if (!isThePerson(identity, candidacy.personId)) {
    refuse(
      identity,
      'Only the person may accept or decline their candidacy',
      'NOT_CANDIDATE',
    );
  }
}

/**
 * @throws ForbiddenError NOT_BODY_STAFF unless the caller acts as staff of the
 *   body (proposing candidacies; asking an independent body to certify its
 *   evaluations), with `message` (default: about candidacies)
 */
export function requireStaff(
  identity: Identity,
  body: CertifyingBody,
  message = 'Only staff of this certifying body may propose its candidacies',
): string {
  if (!actsAsAnyStaff(identity, body) || !identity.subject) {
    refuse(identity, message, 'NOT_BODY_STAFF');
  }
  return identity.subject;
}

/** @throws ForbiddenError NOT_ADMIN unless the caller is an admin (registering a candidacy directly) */
export function requireAdmin(identity: Identity): string {
  if (!isAdmin(identity) || !identity.subject) {
    refuse(identity, 'Only admins may do this', 'NOT_ADMIN');
  }
  return identity.subject;
}

/**
 * The person registerPerson found or created: admins (who read every record).
 * Everyone else gets null, for a new CURP and a known one alike, so the answer
 * never tells whether a CURP was registered (issue 12, finding 4).
 */
export function canSeeRegisteredPerson(identity: Identity): boolean {
  return isAdmin(identity);
}

/** Who registers people and receives a person reference: admins and certifiers. */
export function canRegisterPeople(identity: Identity): boolean {
  return isAdmin(identity) || identity.roles.includes('certifier');
}

/** The log of staff reads of a person's data: the person and admins. */
export function canReadAccessLog(
  identity: Identity,
  personId: string,
): boolean {
  return isAdmin(identity) || isThePerson(identity, personId);
}

/** @throws ForbiddenError NOT_PERSON unless the caller is the person or an admin */
export function requireAccessLogReader(
  identity: Identity,
  personId: string,
): void {
  if (!canReadAccessLog(identity, personId)) {
    refuse(
      identity,
      'Only the person and admins read who read their personal data',
      'NOT_PERSON',
    );
  }
}

/**
 * Verification counts (issue 15, item 6): admins and the council see every
 * body's and standard's; a body's staff see their body's (`body` given).
 */
export function canSeeVerificationCounts(
  identity: Identity,
  body: CertifyingBody | null,
): boolean {
  return (
    isAdmin(identity) ||
    identity.roles.includes('council') ||
    (body !== null && actsAsAnyStaff(identity, body))
  );
}
