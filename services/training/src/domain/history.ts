import { z } from 'zod';
import {
  InvalidInputError,
  type FieldProblem,
} from '@conecta/service-kit/errors';
import { startOfDayUtc } from './common';
import {
  requestDemandInput,
  type DemandProvenance,
  type DemandRequest,
} from './demand';

/**
 * The most records one import call takes: a batch is validated whole and
 * written in one bulk insert, and its response lists every record, so the
 * batch stays bounded (the gateway's 1 MB body holds 500 records easily).
 */
export const MAX_IMPORT_BATCH = 500;

/**
 * Historical demand is closed: it was served or withdrawn before this system.
 * OPEN or AGGREGATED history would enter the live brokerage (matching,
 * projects) with deadlines long gone (README: Decisions).
 */
export const HISTORICAL_STATUSES = ['FULFILLED', 'CANCELLED'] as const;
export type HistoricalStatus = (typeof HISTORICAL_STATUSES)[number];

/**
 * Nothing is older: the national competency system (CONOCER) dates from 1995,
 * so an earlier date is a typo (e.g. 0219 for 2019), not history.
 */
export const EARLIEST_HISTORY = new Date('1995-01-01T00:00:00.000Z');

/** The most problems one refusal lists (the first is also `extensions.field`). */
export const MAX_REPORTED_PROBLEMS = 50;

/** The register a batch comes from: trimmed, inner whitespace collapsed. */
const sourceName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .transform((s) => s.replace(/\s+/g, ' '));

/** The envelope of an import: its source and up to 500 records (checked one by one after). */
export const importBatchInput = z.object({
  source: sourceName,
  records: z
    .array(z.unknown())
    .min(1, 'give at least one record')
    .refine((records) => records.length <= MAX_IMPORT_BATCH, {
      message: `must hold at most ${MAX_IMPORT_BATCH} records; split the import into batches`,
      params: { code: 'BATCH_TOO_LARGE' },
    }),
});

/**
 * One legacy record. Where, what and how many follow the rules of filing
 * demand (`requestDemandInput`); the dates and the final status are history's.
 */
export const historicalRecordInput = z.object({
  reference: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
  requesterId: z.uuid(),
  state: requestDemandInput.shape.state,
  city: requestDemandInput.shape.city,
  target: requestDemandInput.shape.target,
  headcount: requestDemandInput.shape.headcount,
  requestedAt: z.date(),
  neededBy: z.date(),
  status: z.enum(HISTORICAL_STATUSES),
  closedAt: z.date().nullish(),
  cancellationReason: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(2_000)
    .nullish(),
});
export type HistoricalRecord = z.output<typeof historicalRecordInput>;

/** A record that passed its shape checks, with its position in the batch. */
export interface IndexedRecord {
  index: number;
  record: HistoricalRecord;
}

/** One thing wrong with a batch: the field, what is wrong, and a stable reason. */
export interface ImportProblem extends FieldProblem {
  /** Position of the record in the batch (sorts the report). */
  index: number;
  reason: string;
}

/** The field of a record's part: `input.records[3].target.standardId`. */
export const fieldOf = (index: number, path: readonly PropertyKey[] = []) =>
  path.reduce<string>(
    (field, segment) =>
      typeof segment === 'number'
        ? `${field}[${segment}]`
        : `${field}.${String(segment)}`,
    `input.records[${index}]`,
  );

/**
 * Checks each record's shape on its own, so one bad record does not hide the
 * others: the records that passed, and a problem per bad field of the rest.
 */
export function parseHistoricalRecords(records: readonly unknown[]): {
  valid: IndexedRecord[];
  problems: ImportProblem[];
} {
  const valid: IndexedRecord[] = [];
  const problems: ImportProblem[] = [];
  records.forEach((raw, index) => {
    const parsed = historicalRecordInput.safeParse(raw);
    if (parsed.success) {
      valid.push({ index, record: parsed.data });
      return;
    }
    for (const issue of parsed.error.issues) {
      const code =
        issue.code === 'custom' ? (issue.params?.['code'] as unknown) : null;
      problems.push({
        index,
        field: fieldOf(index, issue.path),
        message: issue.message,
        reason: typeof code === 'string' ? code : 'INVALID_INPUT',
      });
    }
  });
  return { valid, problems };
}

/**
 * The rules across a record's fields and across the batch, at `now`:
 * a reference appears once per batch; requestedAt is in the past (not before
 * 1995); neededBy is a day after requestedAt's (it may be past: history);
 * closedAt, when given, lies between requestedAt and now; a cancellation
 * reason only for a CANCELLED record.
 */
export function checkHistoricalRecords(
  records: readonly IndexedRecord[],
  now: Date,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const firstIndexOf = new Map<string, number>();
  for (const { index, record } of records) {
    const problem = (field: string, message: string, reason: string) =>
      problems.push({ index, field: fieldOf(index, [field]), message, reason });

    const first = firstIndexOf.get(record.reference);
    if (first === undefined) firstIndexOf.set(record.reference, index);
    else
      problem(
        'reference',
        `repeats input.records[${first}].reference: a reference is imported once per source`,
        'DUPLICATE_REFERENCE',
      );

    const requestedAt = record.requestedAt.getTime();
    if (requestedAt > now.getTime())
      problem(
        'requestedAt',
        'must not be in the future: an import records history',
        'DATE_IN_FUTURE',
      );
    else if (requestedAt < EARLIEST_HISTORY.getTime())
      problem(
        'requestedAt',
        'must not be before 1995-01-01 (the national competency system)',
        'DATE_TOO_EARLY',
      );

    if (
      record.neededBy.getTime() <= startOfDayUtc(record.requestedAt).getTime()
    )
      problem('neededBy', 'must be a day after requestedAt', 'DATES_REVERSED');

    if (record.closedAt) {
      if (record.closedAt.getTime() < requestedAt)
        problem('closedAt', 'must not be before requestedAt', 'DATES_REVERSED');
      else if (record.closedAt.getTime() > now.getTime())
        problem('closedAt', 'must not be in the future', 'DATE_IN_FUTURE');
    }

    if (record.cancellationReason && record.status !== 'CANCELLED')
      problem(
        'cancellationReason',
        'is only for a CANCELLED record',
        'REASON_ONLY_WHEN_CANCELLED',
      );
  }
  return problems;
}

/** The ids training knows, looked up for a batch (one query per kind). */
export interface KnownIds {
  /** Organizations of committees' directory (projection). */
  organizations: ReadonlySet<string>;
  /**
   * Standards that are or were PUBLISHED (the projection holds only published
   * ones, later WITHDRAWN or SUPERSEDED included): history may ask for a
   * standard replaced since.
   */
  standards: ReadonlySet<string>;
  /** Vendor credentials of the catalog. */
  credentials: ReadonlySet<string>;
}

/** Every requester and target a record names must be known to training. */
export function checkHistoricalReferences(
  records: readonly IndexedRecord[],
  known: KnownIds,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const { index, record } of records) {
    if (!known.organizations.has(record.requesterId))
      problems.push({
        index,
        field: fieldOf(index, ['requesterId']),
        message: 'is not a registered organization',
        reason: 'ORGANIZATION_NOT_FOUND',
      });
    const { target } = record;
    if (target.kind === 'STANDARD' && !known.standards.has(target.id))
      problems.push({
        index,
        field: fieldOf(index, ['target', 'standardId']),
        message: 'is not a published competency standard',
        reason: 'STANDARD_NOT_FOUND',
      });
    if (target.kind === 'CREDENTIAL' && !known.credentials.has(target.id))
      problems.push({
        index,
        field: fieldOf(index, ['target', 'credentialId']),
        message: 'is not a vendor credential of the catalog',
        reason: 'CREDENTIAL_NOT_FOUND',
      });
  }
  return problems;
}

/**
 * Refuses the whole batch if anything is wrong with it: BAD_USER_INPUT whose
 * `field` and `reason` are the first problem's (in batch order) and whose
 * `fields` list the first {@link MAX_REPORTED_PROBLEMS}.
 *
 * @throws InvalidInputError when `problems` is not empty
 */
export function assertValidBatch(problems: readonly ImportProblem[]): void {
  if (problems.length === 0) return;
  const sorted = [...problems].sort((a, b) => a.index - b.index);
  const first = sorted[0]!;
  const listed = sorted.slice(0, MAX_REPORTED_PROBLEMS);
  const more = sorted.length - listed.length;
  throw new InvalidInputError(
    first.field,
    `The batch was not imported (nothing was written): ${sorted.length} problem(s); first ${first.field} ${first.message}` +
      (more > 0 ? `; ${more} more not listed` : ''),
    first.reason,
    listed.map(({ field, message }) => ({ field, message })),
  );
}

/** When the register says the request was closed; by default its needed-by day, unless that is still ahead. */
export function closedAtOf(record: HistoricalRecord, now: Date): Date {
  if (record.closedAt) return record.closedAt;
  return record.neededBy.getTime() < now.getTime() ? record.neededBy : now;
}

/**
 * The demand request a legacy record becomes: closed (FULFILLED or
 * CANCELLED) with its historical dates, no project (served before this
 * system), and its provenance — the audit trail.
 */
export function historicalDemand(
  record: HistoricalRecord,
  ctx: {
    id: string;
    source: string;
    importedBy: string;
    importedAt: Date;
  },
): DemandRequest & { provenance: DemandProvenance } {
  return {
    id: ctx.id,
    requesterId: record.requesterId,
    state: record.state,
    city: record.city,
    target: record.target,
    headcount: record.headcount,
    neededBy: record.neededBy,
    status: record.status,
    projectId: null,
    cancellationReason:
      record.status === 'CANCELLED'
        ? (record.cancellationReason ??
          `Recorded as cancelled in ${ctx.source}`)
        : null,
    requestedAt: record.requestedAt,
    provenance: {
      source: ctx.source,
      reference: record.reference,
      importedBy: ctx.importedBy,
      importedAt: ctx.importedAt,
      closedAt: closedAtOf(record, ctx.importedAt),
    },
  };
}
