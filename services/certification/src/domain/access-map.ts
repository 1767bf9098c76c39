import {
  PUBLIC,
  type AccessMap,
  type Guard,
} from '@conecta/service-kit/access';
import {
  canActForBody,
  canReadAccessLog,
  canReadPersonalData,
  canRegisterPeople,
  canReviewProcedures,
  canSeeEvaluation,
  canSeeEvaluator,
  canSeeProcedureHistory,
  canSeeCandidacy,
  canSeeCandidate,
  canSeeHolderRecord,
  canSeeImportProvenance,
  canSeeRegisteredPerson,
  canSeeStaff,
  canSeeVerificationCounts,
} from './access';
import { importerOf } from './historical-import';

// Who may read each field this service resolves in the composed graph, in one
// place (issue 12). `public`: anyone. A guard names the domain rule that
// decides, who passes it (roles, or a relation of the caller to the record:
// see gateway/README.md "Authorization matrix") and what everyone else gets.
// gateway/test/access-matrix.test.ts fails when a field of the schema has no
// entry here (or an entry names no field), and probes every guarded field
// through every path that reaches it, as every role. Mutations are not listed:
// each command authorizes its caller (tested per service).

/** Names and sign-in subjects of a body's staff: admins and that body's staff. */
const STAFF: Guard = {
  rule: canSeeStaff,
  to: ['admin', 'bodyStaff'],
  otherwise: 'empty',
};
/**
 * CURP, names, contact details: the person, admins, staff of a body whose
 * accepted candidacy of the person is open or recent. Staff and admin reads
 * are logged (personalDataReads).
 */
const PERSONAL: Guard = {
  rule: canReadPersonalData,
  to: ['admin', 'person', 'bodyStaff'],
  otherwise: 'null',
};
const PERSONAL_LIST: Guard = { ...PERSONAL, otherwise: 'empty' };
/** A record about one holder: the holder, admins and the body's staff. */
const HOLDER_RECORD: Guard = {
  rule: canSeeHolderRecord,
  to: ['admin', 'person', 'bodyStaff'],
  otherwise: 'null',
};
/**
 * An evaluation: the candidate, admins, the evaluating body's staff and the
 * staff of the independent body asked to certify it (not the candidate's
 * personal data: Person's own guards apply).
 */
const EVALUATION: Guard = {
  rule: canSeeEvaluation,
  to: ['admin', 'person', 'bodyStaff'],
  otherwise: 'null',
};
/**
 * Who evaluated: the candidate, admins and the evaluating body's staff — not
 * the independent body asked to certify the evaluation.
 */
const EVALUATOR: Guard = {
  rule: canSeeEvaluator,
  to: ['admin', 'person', 'bodyStaff'],
  otherwise: 'null',
};
/**
 * A body's procedure history (drafts, submissions, rejections, who drafted
 * and reviewed): admins and the body's staff; the current approved version is public.
 */
const PROCEDURE_HISTORY: Guard = {
  rule: canSeeProcedureHistory,
  to: ['admin', 'bodyStaff'],
  otherwise: 'null',
};
/** Procedures waiting for review: admins. */
const PROCEDURE_REVIEW: Guard = {
  rule: canReviewProcedures,
  to: ['admin'],
  otherwise: 'refused',
};
/** Exporting a credential refuses anyone else. */
const EXPORT: Guard = { ...HOLDER_RECORD, otherwise: 'refused' };
/** A body's (or a person's) expiry reminders. */
const REMINDERS: Guard = {
  ...HOLDER_RECORD,
  rule: canActForBody,
  otherwise: 'refused',
};
/** The audit trail of an import: admins. */
const PROVENANCE: Guard = {
  rule: canSeeImportProvenance,
  to: ['admin'],
  otherwise: 'null',
};
/** A candidacy: the person, admins and the body's staff (the queries refuse everyone else). */
const CANDIDACY: Guard = {
  rule: canSeeCandidacy,
  to: ['admin', 'person', 'bodyStaff'],
  otherwise: 'refused',
};
/** Who the candidate is: the person and admins; the body's staff once ACCEPTED. */
const CANDIDATE: Guard = {
  rule: canSeeCandidate,
  to: ['admin', 'person', 'bodyStaff'],
  otherwise: 'null',
};
/** registerPerson's answer: admins and certifiers (the mutation refuses others). */
const REGISTRATION: Guard = {
  rule: canRegisterPeople,
  to: ['admin', 'certifier'],
  otherwise: 'refused',
};
/** The person registerPerson found or created: admins; null for everyone else, new CURP or known. */
const REGISTERED_PERSON: Guard = {
  rule: canSeeRegisteredPerson,
  to: ['admin'],
  otherwise: 'null',
};
/** The access log of a person's data: the person and admins. */
const ACCESS_LOG: Guard = {
  rule: canReadAccessLog,
  to: ['admin', 'person'],
  otherwise: 'refused',
};
/** An import's answer (a mutation's). */
const IMPORT: Guard = {
  rule: importerOf,
  to: ['admin'],
  otherwise: 'refused',
};

/** How credentials are used: a body's staff (their body), admins and the council. */
const VERIFICATION_COUNTS: Guard = {
  rule: canSeeVerificationCounts,
  to: ['admin', 'council', 'bodyStaff'],
  otherwise: 'refused',
};

export const ACCESS = {
  Accreditation: {
    id: PUBLIC,
    certifyingBody: PUBLIC,
    standard: PUBLIC,
    status: PUBLIC,
    scopes: PUBLIC,
    requestedAt: PUBLIC,
    activatedAt: PUBLIC,
    reason: PUBLIC,
  },
  Candidacy: {
    id: CANDIDACY,
    certifyingBody: CANDIDACY,
    standard: CANDIDACY,
    status: CANDIDACY,
    person: CANDIDATE,
    proposedBy: { ...STAFF, otherwise: 'null' },
    proposedAt: CANDIDACY,
    openedBy: CANDIDACY,
    acceptedAt: CANDIDACY,
    declinedAt: CANDIDACY,
  },
  Certificate: {
    id: PUBLIC,
    holder: PUBLIC,
    standard: PUBLIC,
    certifyingBody: PUBLIC,
    evaluatingBody: PUBLIC,
    status: PUBLIC,
    issuedAt: PUBLIC,
    expiresAt: PUBLIC,
    revokedAt: PUBLIC,
    revocationReason: PUBLIC,
    suspendedAt: PUBLIC,
    suspensionReason: PUBLIC,
    verificationCode: HOLDER_RECORD,
    provenance: PROVENANCE,
  },
  CertificateVerification: {
    status: PUBLIC,
    standardCode: PUBLIC,
    standardTitle: PUBLIC,
    standard: PUBLIC,
    issuerName: PUBLIC,
    certifyingBody: PUBLIC,
    evaluatingBody: PUBLIC,
    holderInitials: PUBLIC,
    issuedAt: PUBLIC,
    expiresAt: PUBLIC,
    revokedAt: PUBLIC,
    suspendedAt: PUBLIC,
  },
  CertificationOffer: {
    certifyingBody: PUBLIC,
    states: PUBLIC,
    feeCentavos: PUBLIC,
  },
  CertifyingBody: {
    id: PUBLIC,
    organization: PUBLIC,
    name: PUBLIC,
    kind: PUBLIC,
    facilities: PUBLIC,
    fees: PUBLIC,
    staff: STAFF,
    accreditations: PUBLIC,
    evaluationProcedure: PUBLIC,
    evaluationProcedures: { ...PROCEDURE_HISTORY, otherwise: 'empty' },
    registeredAt: PUBLIC,
  },
  CompetencyStandard: {
    id: PUBLIC,
    code: PUBLIC,
    title: PUBLIC,
    level: PUBLIC,
    certifyingBodies: PUBLIC,
    certificateCount: PUBLIC,
  },
  CredentialStatusList: {
    id: PUBLIC,
    statusPurpose: PUBLIC,
    jwt: PUBLIC,
    encodedList: PUBLIC,
  },
  CredentialVerification: {
    valid: PUBLIC,
    signatureValid: PUBLIC,
    expired: PUBLIC,
    revoked: PUBLIC,
    suspended: PUBLIC,
    certificateId: PUBLIC,
    problems: PUBLIC,
  },
  Evaluation: {
    id: EVALUATION,
    candidate: EVALUATION,
    standard: EVALUATION,
    certifyingBody: EVALUATION,
    evaluatorSubject: EVALUATOR,
    evidenceSummary: EVALUATION,
    result: EVALUATION,
    evaluatedAt: EVALUATION,
    procedureVersion: EVALUATION,
    certificationRequestedFrom: EVALUATION,
    certificationRequestedAt: EVALUATION,
    provenance: PROVENANCE,
  },
  // Reached through a body's current procedure (public: which approved
  // procedure a body evaluates by), its history (PROCEDURE_HISTORY) or by id
  // (an APPROVED version for anyone, others for admins and the body's staff).
  EvaluationProcedure: {
    id: PUBLIC,
    certifyingBody: PUBLIC,
    version: PUBLIC,
    documentUrl: PUBLIC,
    documentSha256: PUBLIC,
    status: PUBLIC,
    current: PUBLIC,
    draftedAt: PUBLIC,
    submittedAt: PUBLIC,
    approvedAt: PUBLIC,
    rejectedAt: PUBLIC,
    draftedBy: PROCEDURE_HISTORY,
    approvedBy: PROCEDURE_HISTORY,
    rejectedBy: PROCEDURE_HISTORY,
    rejectionReason: PROCEDURE_HISTORY,
  },
  Facility: {
    state: PUBLIC,
    city: PUBLIC,
  },
  Fee: {
    standard: PUBLIC,
    amountCentavos: PUBLIC,
  },
  HistoricalCertificateResult: {
    folio: IMPORT,
    outcome: IMPORT,
    certificate: IMPORT,
  },
  ImportHistoricalCertificatesResult: {
    source: IMPORT,
    imported: IMPORT,
    alreadyImported: IMPORT,
    peopleRegistered: IMPORT,
    records: IMPORT,
  },
  ImportProvenance: {
    source: PROVENANCE,
    folio: PROVENANCE,
    importedBy: PROVENANCE,
    importedAt: PROVENANCE,
  },
  MinimalCredentialExport: {
    jwt: EXPORT,
    credential: EXPORT,
    publicKeyJwk: EXPORT,
  },
  Organization: {
    id: PUBLIC,
    certifyingBody: PUBLIC,
  },
  PersonalDataRead: {
    id: ACCESS_LOG,
    personId: ACCESS_LOG,
    readerSubject: ACCESS_LOG,
    readerOrganizationId: ACCESS_LOG,
    readerRole: ACCESS_LOG,
    certifyingBody: ACCESS_LOG,
    fields: ACCESS_LOG,
    operationName: ACCESS_LOG,
    rootField: ACCESS_LOG,
    readAt: ACCESS_LOG,
  },
  PersonalDataReadPage: {
    reads: ACCESS_LOG,
    nextCursor: ACCESS_LOG,
  },
  PersonRegistration: {
    reference: REGISTRATION,
    person: REGISTERED_PERSON,
  },
  Person: {
    id: PUBLIC,
    initials: PUBLIC,
    personalDataVisible: PUBLIC,
    curp: PERSONAL,
    givenNames: PERSONAL,
    firstSurname: PERSONAL,
    secondSurname: PERSONAL,
    email: PERSONAL,
    phone: PERSONAL,
    registeredAt: PUBLIC,
    certificates: PERSONAL_LIST,
  },
  Query: {
    person: PUBLIC,
    certifyingBody: PUBLIC,
    certificationOffers: PUBLIC,
    evaluation: EVALUATION,
    evaluationProcedure: PUBLIC,
    submittedEvaluationProcedures: PROCEDURE_REVIEW,
    certificate: PUBLIC,
    verifyCertificate: PUBLIC,
    verifyCredential: PUBLIC,
    credentialStatusList: PUBLIC,
    exportCredential: EXPORT,
    exportMinimalCredential: EXPORT,
    credentialIssuerKey: PUBLIC,
    expiringCertificates: REMINDERS,
    candidacies: CANDIDACY,
    personalDataReads: ACCESS_LOG,
    verificationCounts: VERIFICATION_COUNTS,
  },
  StaffMember: {
    subject: STAFF,
    name: STAFF,
    roles: STAFF,
  },
  VerificationCount: {
    day: VERIFICATION_COUNTS,
    standard: VERIFICATION_COUNTS,
    certifyingBody: VERIFICATION_COUNTS,
    channel: VERIFICATION_COUNTS,
    count: VERIFICATION_COUNTS,
  },
  VerifiableCredentialExport: {
    jwt: EXPORT,
    credential: EXPORT,
    publicKeyJwk: EXPORT,
    identitySalt: EXPORT,
  },
} as const satisfies AccessMap;
