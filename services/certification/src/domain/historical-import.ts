import { z } from 'zod';
import { v5 as uuidv5 } from 'uuid';
import { entityId, isoDate } from '@conecta/events/contracts';
import {
  InvalidInputError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';
import type { Identity } from '@conecta/service-kit';
import { covers, type Accreditation } from './accreditation';
import type {
  Certificate,
  CertificateDraft,
  CertificateEntry,
} from './certificate';
import type { Evaluation } from './evaluation';
import { registerPerson, registerPersonInput, type Person } from './person';
import type { StandardView } from './projections';
import type { ImportProvenance } from './provenance';
import { addMonths, addYears } from './time';

// Historical import: certificates of a legacy registry migrated into Conecta
// (README: Historical import). Pure rules: the resolver looks things up, this
// module decides, the stores write.

/** Records per call: big enough for a migration, small enough for one request (~150 KB). */
export const MAX_IMPORT_BATCH = 500;

/** Problems listed in one refusal; the message still counts them all. */
const MAX_REPORTED_PROBLEMS = 100;

/** Who "evaluated" and "certified" an imported record: not recorded by the legacy registry. */
export const LEGACY_EVALUATOR = 'legacy-import:evaluator';
export const LEGACY_CERTIFIER = 'legacy-import:certifier';

// Namespace of the UUID v5 ids of imported evaluations (a random UUID drawn once
// for this purpose; changing it would make every earlier import look new).
const IMPORTED_EVALUATION_NAMESPACE = 'c02fb1af-2f3b-4020-8901-f0d39f7921c9';

export const historicalRecordInput = z.object({
  folio: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must have at most 100 characters'),
  person: registerPersonInput,
  standardId: entityId,
  certifyingBodyId: entityId,
  evaluatedOn: isoDate,
  issuedOn: isoDate,
});
export type HistoricalRecordInput = z.output<typeof historicalRecordInput>;

export const importHistoricalCertificatesInput = z
  .object({
    source: z
      .string()
      .trim()
      .min(3, 'must have at least 3 characters')
      .max(200, 'must have at most 200 characters'),
    records: z
      .array(historicalRecordInput)
      .min(1, 'must have at least 1 record')
      .max(MAX_IMPORT_BATCH, `must have at most ${MAX_IMPORT_BATCH} records`),
  })
  .superRefine((input, ctx) => {
    const first = new Map<string, number>();
    input.records.forEach((record, i) => {
      const earlier = first.get(record.folio);
      if (earlier === undefined) first.set(record.folio, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['records', i, 'folio'],
          message: `repeats the folio of records[${earlier}]`,
          params: { code: 'DUPLICATE_FOLIO' },
        });
    });
  });
export type ImportHistoricalCertificatesInput = z.output<
  typeof importHistoricalCertificatesInput
>;

/** One thing wrong with one field of the batch, with its stable reason. */
export interface ImportProblem {
  /** Dotted path, e.g. `input.records[12].issuedOn`. */
  field: string;
  /** Stable reason, e.g. `ISSUED_BEFORE_GAZETTE`. */
  reason: string;
  message: string;
}

/**
 * The batch was refused as a whole (BAD_USER_INPUT): nothing was written.
 * `field` and `code` are the first problem's; `details.problems` lists up to
 * 100 of them with their own reasons.
 */
export class HistoricalImportRejectedError extends InvalidInputError {
  readonly problems: readonly ImportProblem[];

  constructor(problems: readonly ImportProblem[]) {
    const [first] = problems;
    if (!first) throw new Error('A rejected import needs a problem');
    const reported = problems.slice(0, MAX_REPORTED_PROBLEMS);
    super(
      first.field,
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the batch; nothing was imported. First: ${first.field} ${first.message}`,
      first.reason,
      reported.map(({ field, message }) => ({ field, message })),
    );
    this.problems = reported;
  }

  override get details(): Readonly<Record<string, unknown>> {
    return { problems: this.problems };
  }
}

function pathOf(segments: readonly PropertyKey[]): string {
  let path = 'input';
  for (const segment of segments) {
    path +=
      typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return path;
}

/**
 * Validates the shape of a batch (every record's CURP as for registration,
 * dates, ids, folios unique in the batch).
 *
 * @throws HistoricalImportRejectedError listing every bad field
 */
export function parseImportInput(
  raw: unknown,
): ImportHistoricalCertificatesInput {
  const result = importHistoricalCertificatesInput.safeParse(raw);
  if (result.success) return result.data;
  throw new HistoricalImportRejectedError(
    result.error.issues.map((issue) => {
      const code = issue.code === 'custom' ? issue.params?.['code'] : undefined;
      return {
        field: pathOf(issue.path),
        reason: typeof code === 'string' ? code : 'INVALID_INPUT',
        message: issue.message,
      };
    }),
  );
}

/**
 * Who the audit trail names as importer: the admin's subject (or, for a
 * partner key, its organization).
 *
 * @throws UnauthenticatedError when the identity names nobody
 */
export function importerOf(identity: Identity): string {
  const who = identity.subject ?? identity.organizationId;
  if (!who)
    throw new UnauthenticatedError('Sign in to import: imports are audited');
  return who;
}

/**
 * The id of the evaluation an imported record creates: a UUID v5 of source and
 * folio, so the same folio always maps to the same evaluation and, through the
 * unique index on `Certificate.evaluationId`, to at most one certificate —
 * idempotent even when the same batch runs twice at once.
 */
export function importedEvaluationId(source: string, folio: string): string {
  return uuidv5(`${source}\u0000${folio}`, IMPORTED_EVALUATION_NAMESPACE);
}

/**
 * The instant of a legacy date: noon UTC, which is the same calendar day in
 * UTC and in every Mexican time zone (UTC−5 to UTC−8), so the certificate is
 * counted in the month the registry says.
 */
export function legacyInstant(date: string): Date {
  return new Date(`${date}T12:00:00.000Z`);
}

const validKey = (personId: string, standardId: string) =>
  `${personId}:${standardId}`;

/** What the resolver looked up for a batch, each in one query. */
export interface ImportLookups {
  /** Certificates already imported, by their evaluation id (see {@link importedEvaluationId}). */
  importedByEvaluationId: ReadonlyMap<string, Certificate>;
  /** Standards certification knows (PUBLISHED, WITHDRAWN or SUPERSEDED), by id. */
  standards: ReadonlyMap<string, StandardView>;
  /** Registered certifying bodies among the batch's. */
  bodyIds: ReadonlySet<string>;
  /** Accreditations by `${certifyingBodyId}:${standardId}`. */
  accreditations: ReadonlyMap<string, Accreditation>;
  /** Registered people among the batch's CURPs, by CURP. */
  peopleByCurp: ReadonlyMap<string, Person>;
  /** `${personId}:${standardId}` of the certificates that are VALID now. */
  validNow: ReadonlySet<string>;
}

/** Ids, clock and random draws come from outside. */
export interface ImportContext {
  now: Date;
  importedBy: string;
  /** An evaluation older than this many months when issued could not have been certified. */
  evaluationMaxAgeMonths: number;
  /** A new UUID v7 (people and certificates). */
  newId: () => string;
}

/** What a certificate gets once its batch is accepted: a verification code and a status-list entry. */
export type StatusEntry = CertificateEntry;

export type ImportOutcome = 'IMPORTED' | 'ALREADY_IMPORTED';

/** What one record of the batch yields, in input order. */
export interface RecordResult {
  folio: string;
  outcome: ImportOutcome;
  certificate: Certificate;
}

/**
 * A decided batch: the certificates still lack their status entries, which
 * are reserved only for an accepted batch ({@link withStatusEntries}).
 */
export interface DecidedImport {
  people: Person[];
  evaluations: Evaluation[];
  certificates: CertificateDraft[];
  results: (
    RecordResult | { folio: string; outcome: 'IMPORTED'; draft: number }
  )[];
}

/** What to write: new people, then evaluations, then certificates. */
export interface ImportPlan {
  people: Person[];
  evaluations: Evaluation[];
  certificates: Certificate[];
  results: RecordResult[];
}

/**
 * Decides a whole batch. A folio already imported from the source is
 * ALREADY_IMPORTED (its certificate, whatever the record says now). Every other
 * record must satisfy all of:
 * - issued before today (`ISSUED_NOT_IN_PAST`), evaluated on or before the issue
 *   (`EVALUATED_AFTER_ISSUE`) and at most `evaluationMaxAgeMonths` before it
 *   (`EVALUATION_TOO_OLD`), as a live certificate would have been;
 * - a standard certification knows, PUBLISHED, WITHDRAWN or SUPERSEDED
 *   (`UNKNOWN_STANDARD`), evaluated and issued on or after its gazette date when
 *   known (`EVALUATED_BEFORE_GAZETTE`, `ISSUED_BEFORE_GAZETTE`);
 * - a registered certifying body (`UNKNOWN_CERTIFYING_BODY`) whose accreditation
 *   for the standard was ACTIVE at some point — ACTIVE, SUSPENDED, or REVOKED after
 *   being active (`BODY_NOT_ACCREDITED`);
 * - no second certificate VALID today for the same person and standard, in the
 *   registry or in the batch (`CERTIFICATE_ALREADY_VALID`).
 * A CURP already registered is that person (the record's names are not applied);
 * a new CURP is registered once, with the names of its first record.
 * Expiry is the issue date plus the standard's validity.
 *
 * @throws HistoricalImportRejectedError listing every problem; then nothing may be written
 */
export function planHistoricalImport(
  input: ImportHistoricalCertificatesInput,
  lookups: ImportLookups,
  ctx: ImportContext,
): DecidedImport {
  const problems: ImportProblem[] = [];
  const today = ctx.now.toISOString().slice(0, 10);
  const people: Person[] = [];
  const personIdByCurp = new Map<string, string>(
    [...lookups.peopleByCurp].map(([curp, person]) => [curp, person.id]),
  );
  const validNow = new Set(lookups.validNow);
  const evaluations: Evaluation[] = [];
  const drafts: CertificateDraft[] = [];
  const results: DecidedImport['results'] = [];

  input.records.forEach((record, i) => {
    const evaluationId = importedEvaluationId(input.source, record.folio);
    const existing = lookups.importedByEvaluationId.get(evaluationId);
    if (existing) {
      results.push({
        folio: record.folio,
        outcome: 'ALREADY_IMPORTED',
        certificate: existing,
      });
      return;
    }
    const at = `input.records[${i}]`;
    const problem = (field: string, reason: string, message: string) =>
      problems.push({ field: `${at}.${field}`, reason, message });
    const before = problems.length;

    if (record.issuedOn >= today) {
      problem('issuedOn', 'ISSUED_NOT_IN_PAST', 'must be before today');
    }
    const evaluatedAt = legacyInstant(record.evaluatedOn);
    const issuedAt = legacyInstant(record.issuedOn);
    if (record.evaluatedOn > record.issuedOn) {
      problem(
        'evaluatedOn',
        'EVALUATED_AFTER_ISSUE',
        `must be on or before issuedOn (${record.issuedOn})`,
      );
    } else if (
      addMonths(evaluatedAt, ctx.evaluationMaxAgeMonths).getTime() <
      issuedAt.getTime()
    ) {
      problem(
        'evaluatedOn',
        'EVALUATION_TOO_OLD',
        `must be at most ${ctx.evaluationMaxAgeMonths} months before issuedOn (${record.issuedOn})`,
      );
    }

    const standard = lookups.standards.get(record.standardId);
    // A view without validity has seen a withdrawal but not the publication yet.
    if (!standard || standard.certificateValidityYears < 1) {
      problem(
        'standardId',
        'UNKNOWN_STANDARD',
        'is not a standard certification knows (published, withdrawn or superseded)',
      );
    } else if (standard.gazetteDate) {
      if (record.evaluatedOn < standard.gazetteDate) {
        problem(
          'evaluatedOn',
          'EVALUATED_BEFORE_GAZETTE',
          `must not be before the standard's gazette date (${standard.gazetteDate})`,
        );
      }
      if (record.issuedOn < standard.gazetteDate) {
        problem(
          'issuedOn',
          'ISSUED_BEFORE_GAZETTE',
          `must not be before the standard's gazette date (${standard.gazetteDate})`,
        );
      }
    }

    if (!lookups.bodyIds.has(record.certifyingBodyId)) {
      problem(
        'certifyingBodyId',
        'UNKNOWN_CERTIFYING_BODY',
        'is not a registered certifying body',
      );
    } else {
      const accreditation = lookups.accreditations.get(
        `${record.certifyingBodyId}:${record.standardId}`,
      );
      // activatedAt stays set through suspension and revocation: it was ACTIVE
      // once. An evaluation centre's (EVALUATION only) never issued certificates.
      if (
        !accreditation ||
        accreditation.activatedAt === null ||
        !covers(accreditation, 'CERTIFICATION')
      ) {
        problem(
          'certifyingBodyId',
          'BODY_NOT_ACCREDITED',
          'has never held an active accreditation to certify this standard',
        );
      }
    }
    if (problems.length > before || !standard) return;

    let personId = personIdByCurp.get(record.person.curp);
    if (!personId) {
      const person = registerPerson(record.person, {
        id: ctx.newId(),
        now: ctx.now,
      });
      people.push(person);
      personId = person.id;
      personIdByCurp.set(person.curp, person.id);
    }
    const expiresAt = addYears(issuedAt, standard.certificateValidityYears);
    if (expiresAt.getTime() > ctx.now.getTime()) {
      const key = validKey(personId, standard.id);
      if (validNow.has(key)) {
        problem(
          'issuedOn',
          'CERTIFICATE_ALREADY_VALID',
          `would make a second certificate VALID today (until ${expiresAt.toISOString().slice(0, 10)}) for the same person and standard`,
        );
        return;
      }
      validNow.add(key);
    }

    const provenance: ImportProvenance = {
      source: input.source,
      folio: record.folio,
      importedBy: ctx.importedBy,
      importedAt: ctx.now,
    };
    evaluations.push({
      id: evaluationId,
      candidateId: personId,
      standardId: standard.id,
      certifyingBodyId: record.certifyingBodyId,
      evaluatorSubject: LEGACY_EVALUATOR,
      evidenceSummary: `Imported from the legacy registry "${input.source}", folio ${record.folio}; the evidence stays there.`,
      result: 'COMPETENT',
      evaluatedAt,
      recordedAt: ctx.now,
      provenance,
    });
    const index = drafts.length;
    drafts.push({
      id: ctx.newId(),
      personId,
      standardId: standard.id,
      certifyingBodyId: record.certifyingBodyId,
      evaluationId,
      certifierSubject: LEGACY_CERTIFIER,
      issuedAt,
      expiresAt,
      revokedAt: null,
      revocationReason: null,
      suspendedAt: null,
      suspensionReason: null,
      provenance,
    });
    results.push({ folio: record.folio, outcome: 'IMPORTED', draft: index });
  });

  if (problems.length > 0) throw new HistoricalImportRejectedError(problems);
  return { people, evaluations, certificates: drafts, results };
}

/** The plan to write: each decided certificate with its entry, in order. */
export function withStatusEntries(
  decided: DecidedImport,
  entries: readonly StatusEntry[],
): ImportPlan {
  if (entries.length !== decided.certificates.length) {
    throw new Error(
      `${decided.certificates.length} certificates need as many status entries, got ${entries.length}`,
    );
  }
  const certificates: Certificate[] = decided.certificates.map((draft, i) => ({
    ...draft,
    ...entries[i]!,
  }));
  return {
    people: decided.people,
    evaluations: decided.evaluations,
    certificates,
    results: decided.results.map((r) =>
      'draft' in r
        ? {
            folio: r.folio,
            outcome: r.outcome,
            certificate: certificates[r.draft]!,
          }
        : r,
    ),
  };
}

/**
 * The `${personId}:${standardId}` pairs whose VALID certificates matter to a
 * batch: registered people's, for the standards of their records.
 */
export function validKeysToCheck(
  input: ImportHistoricalCertificatesInput,
  peopleByCurp: ReadonlyMap<string, Person>,
): string[] {
  const keys = new Set<string>();
  for (const record of input.records) {
    const person = peopleByCurp.get(record.person.curp);
    if (person) keys.add(validKey(person.id, record.standardId));
  }
  return [...keys];
}
