import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import {
  DomainError,
  stateMachine,
  type ErrorKind,
} from '@conecta/service-kit/errors';

/**
 * A candidacy: a certifying body's proposal to evaluate a person against a
 * standard. It is the auditable act behind every relationship a body has with
 * a person: PROPOSED by the body's staff, then ACCEPTED by the person (or
 * DECLINED); an admin may register one ACCEPTED directly. Only an ACCEPTED
 * candidacy lets the body evaluate the person and read their personal data.
 */
export const CANDIDACY_STATUSES = ['PROPOSED', 'ACCEPTED', 'DECLINED'] as const;
export type CandidacyStatus = (typeof CANDIDACY_STATUSES)[number];

/** How an ACCEPTED candidacy was opened: the auditable act. */
export const CANDIDACY_OPENINGS = [
  'PERSON_ACCEPTED',
  'ADMIN_REGISTERED',
] as const;
export type CandidacyOpening = (typeof CANDIDACY_OPENINGS)[number];

export interface Candidacy {
  id: string;
  personId: string;
  certifyingBodyId: string;
  standardId: string;
  status: CandidacyStatus;
  /** Identity subject of the staff member who proposed it, or of the admin who registered it. */
  proposedBy: string;
  proposedAt: Date;
  openedBy: CandidacyOpening | null;
  /** Subject of who accepted it: the person, or the registering admin. */
  acceptedBy: string | null;
  acceptedAt: Date | null;
  declinedAt: Date | null;
}

/** One candidacy per body, person and standard: the key a unique index holds. */
export const candidacyKey = (c: {
  certifyingBodyId: string;
  personId: string;
  standardId: string;
}): string => `${c.certifyingBodyId}:${c.personId}:${c.standardId}`;

/** The body–person pair whose relationship a candidacy opens. */
export const relationKey = (certifyingBodyId: string, personId: string) =>
  `${certifyingBodyId}:${personId}`;

export const proposeCandidacyInput = z.object({
  certifyingBodyId: entityId,
  personReference: entityId,
  standardId: entityId,
});

export const registerCandidacyInput = z.object({
  certifyingBodyId: entityId,
  personId: entityId,
  standardId: entityId,
});

/**
 * A refusal about the relationship with a person that names the input field
 * at fault (service-kit's ForbiddenError and NotFoundError carry no field).
 */
export class RelationshipError extends DomainError {
  readonly kind: ErrorKind;

  constructor(
    kind: 'FORBIDDEN' | 'CONFLICT' | 'NOT_FOUND',
    code: string,
    message: string,
    field: string,
  ) {
    super(code, message, field);
    this.kind = kind;
  }
}

/**
 * The person behind a registerPerson reference, for a body: only references
 * given to the body's own organization count. Unknown and foreign references
 * get the same answer, so a reference says nothing to anyone else.
 *
 * @throws RelationshipError NOT_FOUND PERSON_REFERENCE_NOT_FOUND on input.personReference
 */
export function personOfReference(
  reference: { personId: string; organizationId: string | null } | null,
  body: { organizationId: string },
): string {
  if (!reference || reference.organizationId !== body.organizationId) {
    throw new RelationshipError(
      'NOT_FOUND',
      'PERSON_REFERENCE_NOT_FOUND',
      'No person reference of this organization has this id: register the person first',
      'input.personReference',
    );
  }
  return reference.personId;
}

/** A new PROPOSED candidacy (the body's staff propose it). */
export function proposeCandidacy(
  target: { personId: string; certifyingBodyId: string; standardId: string },
  { id, now, proposedBy }: { id: string; now: Date; proposedBy: string },
): Candidacy {
  return {
    id,
    ...target,
    status: 'PROPOSED',
    proposedBy,
    proposedAt: now,
    openedBy: null,
    acceptedBy: null,
    acceptedAt: null,
    declinedAt: null,
  };
}

/** A candidacy an admin registers: ACCEPTED at once, opened by the admin. */
export function registerCandidacy(
  target: { personId: string; certifyingBodyId: string; standardId: string },
  { id, now, admin }: { id: string; now: Date; admin: string },
): Candidacy {
  return {
    ...proposeCandidacy(target, { id, now, proposedBy: admin }),
    status: 'ACCEPTED',
    openedBy: 'ADMIN_REGISTERED',
    acceptedBy: admin,
    acceptedAt: now,
  };
}

/** The lifecycle: a PROPOSED candidacy is accepted or declined, once. */
export const CANDIDACY_LIFECYCLE = stateMachine<CandidacyStatus>(
  { PROPOSED: ['ACCEPTED', 'DECLINED'], ACCEPTED: [], DECLINED: [] },
  (from, to) => ({
    code: 'CANDIDACY_TRANSITION_NOT_ALLOWED',
    message: `A ${from} candidacy cannot become ${to}`,
  }),
);

function requireProposed(candidacy: Candidacy, to: CandidacyStatus): void {
  CANDIDACY_LIFECYCLE.assert(candidacy.status, to);
}

/**
 * The person accepts (the caller has been checked to be the person).
 *
 * @throws ConflictError CANDIDACY_TRANSITION_NOT_ALLOWED unless PROPOSED
 */
export function acceptCandidacy(candidacy: Candidacy, now: Date): Candidacy {
  requireProposed(candidacy, 'ACCEPTED');
  return {
    ...candidacy,
    status: 'ACCEPTED',
    openedBy: 'PERSON_ACCEPTED',
    acceptedBy: candidacy.personId,
    acceptedAt: now,
  };
}

/**
 * The person declines: final (a body may not propose the same again).
 *
 * @throws ConflictError CANDIDACY_TRANSITION_NOT_ALLOWED unless PROPOSED
 */
export function declineCandidacy(candidacy: Candidacy, now: Date): Candidacy {
  requireProposed(candidacy, 'DECLINED');
  return { ...candidacy, status: 'DECLINED', declinedAt: now };
}

/**
 * What recordEvaluation asks of the relationship: an ACCEPTED candidacy of the
 * candidate with the body for the standard.
 *
 * @throws RelationshipError FORBIDDEN NO_CANDIDACY when there is none;
 *   CONFLICT CANDIDACY_NOT_ACCEPTED while PROPOSED or once DECLINED (on input.candidateId)
 */
export function requireAcceptedCandidacy(
  candidacy: Candidacy | null,
): Candidacy {
  if (!candidacy) {
    throw new RelationshipError(
      'FORBIDDEN',
      'NO_CANDIDACY',
      'The body has no candidacy of this person for this standard: propose one and let the person accept it',
      'input.candidateId',
    );
  }
  if (candidacy.status !== 'ACCEPTED') {
    throw new RelationshipError(
      'CONFLICT',
      'CANDIDACY_NOT_ACCEPTED',
      `The candidacy is ${candidacy.status}: the person has not accepted it`,
      'input.candidateId',
    );
  }
  return candidacy;
}

/** What a body's relationship with one person rests on: its accepted candidacies and their activity. */
export interface Relationship {
  /** When each ACCEPTED candidacy of the pair was accepted. */
  acceptedAt: readonly Date[];
  /** When each evaluation the body recorded under one of them was recorded. */
  evaluationsRecordedAt: readonly Date[];
  /** When each certificate the body issued for one of those evaluations was issued. */
  certificatesIssuedAt: readonly Date[];
}

const DAY_MS = 86_400_000;

/**
 * Whether the relationship is open or recent on `now`: there is an ACCEPTED
 * candidacy, and its acceptance, the last evaluation under it or the last
 * certificate for those evaluations is at most `windowDays` old
 * (PERSONAL_DATA_ACCESS_DAYS, default 180). Without an accepted candidacy
 * nothing counts, whatever the body recorded (legacy or imported records).
 */
export function relationshipOpen(
  relationship: Relationship,
  now: Date,
  windowDays: number,
): boolean {
  if (relationship.acceptedAt.length === 0) return false;
  const last = Math.max(
    ...relationship.acceptedAt.map((d) => d.getTime()),
    ...relationship.evaluationsRecordedAt.map((d) => d.getTime()),
    ...relationship.certificatesIssuedAt.map((d) => d.getTime()),
  );
  return now.getTime() - last <= windowDays * DAY_MS;
}
