import { z } from 'zod';
import { stateCodeSchema } from '@conecta/mexico';
import type { Agreement } from './catalog';
import type { Cohort, CohortMode, CohortProvenance } from './cohort';
import { sameTarget, startOfDayUtc, targetInput, type Target } from './common';
import type { Enrollment } from './enrollment';
import { EARLIEST_HISTORY, fieldOf, type ImportProblem } from './history';
import type { TrainingProject } from './project';

/**
 * The most participants one cohort record lists: a cohort's capacity
 * ceiling (`scheduleCohort` takes at most 1 000 seats).
 */
export const MAX_HISTORICAL_PARTICIPANTS = 1_000;

/**
 * The most participants one batch holds in all: its enrollments are written
 * in one bulk insert and listed in one answer, so the batch stays bounded
 * (500 cohorts of 20 people; a bigger register goes in more calls).
 */
export const MAX_BATCH_PARTICIPANTS = 10_000;

/** How a participant's time in a past cohort ended. */
export const HISTORICAL_OUTCOMES = ['COMPLETED', 'DROPPED'] as const;
export type HistoricalOutcome = (typeof HISTORICAL_OUTCOMES)[number];

/** One person of a past cohort and how it ended for them, on which day. */
export const historicalParticipantInput = z.object({
  personId: z.uuid(),
  outcome: z.enum(HISTORICAL_OUTCOMES),
  outcomeOn: z.date(),
  dropReason: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(2_000, 'must be at most 2000 characters')
    .nullish(),
});
export type HistoricalParticipant = z.output<typeof historicalParticipantInput>;

/**
 * One past cohort of a legacy register: who delivered it (provider, and the
 * agreement if the register names it), for what target, where, on which
 * days, and its participants. The rules across fields and against what
 * training knows are {@link checkCohortRecords} and
 * {@link checkCohortReferences}.
 */
export const historicalCohortInput = z.object({
  folio: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
  providerId: z.uuid(),
  target: targetInput,
  agreementId: z.uuid().nullish(),
  projectId: z.uuid().nullish(),
  venueId: z.uuid().nullish(),
  mode: z.enum(['IN_PERSON', 'ONLINE', 'HYBRID']).nullish(),
  state: stateCodeSchema.nullish(),
  city: z.string().trim().min(1, 'must not be empty').max(120).nullish(),
  startsOn: z.date(),
  endsOn: z.date(),
  capacity: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1_000, 'must be at most 1000')
    .nullish(),
  participants: z
    .array(historicalParticipantInput)
    .min(1, 'list at least one participant')
    .max(
      MAX_HISTORICAL_PARTICIPANTS,
      `must list at most ${MAX_HISTORICAL_PARTICIPANTS} participants`,
    ),
});
export type HistoricalCohortRecord = z.output<typeof historicalCohortInput>;

/** A cohort record that passed its shape checks, with its position in the batch. */
export interface IndexedCohortRecord {
  index: number;
  record: HistoricalCohortRecord;
}

/**
 * Checks each record's shape on its own, so one bad record does not hide the
 * others: the records that passed, and a problem per bad field of the rest
 * (`input.records[i].participants[j].outcomeOn`).
 */
export function parseCohortRecords(records: readonly unknown[]): {
  valid: IndexedCohortRecord[];
  problems: ImportProblem[];
} {
  const valid: IndexedCohortRecord[] = [];
  const problems: ImportProblem[] = [];
  records.forEach((raw, index) => {
    const parsed = historicalCohortInput.safeParse(raw);
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

const DAY_MS = 86_400_000;

/**
 * The rules across a record's fields and across the batch, at `now`:
 * a folio appears once per batch; the cohort is over — its first and last
 * days before today, the last not before the first, not before 1995; an
 * in-person or hybrid cohort names its state and city; each participant once,
 * their outcome dated within the cohort's days, a drop-out reason only for a
 * drop-out; the capacity, when given, holds every participant; the batch
 * holds at most {@link MAX_BATCH_PARTICIPANTS} participants.
 */
export function checkCohortRecords(
  records: readonly IndexedCohortRecord[],
  now: Date,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const today = startOfDayUtc(now).getTime();
  const firstIndexOf = new Map<string, number>();
  let participants = 0;
  for (const { index, record } of records) {
    const problem = (
      path: readonly PropertyKey[],
      message: string,
      reason: string,
    ) => problems.push({ index, field: fieldOf(index, path), message, reason });

    const first = firstIndexOf.get(record.folio);
    if (first === undefined) firstIndexOf.set(record.folio, index);
    else
      problem(
        ['folio'],
        `repeats input.records[${first}].folio: a folio is imported once per source`,
        'DUPLICATE_FOLIO',
      );

    const startsOn = startOfDayUtc(record.startsOn).getTime();
    const endsOn = startOfDayUtc(record.endsOn).getTime();
    if (startsOn >= today)
      problem(
        ['startsOn'],
        'must be before today: an import records cohorts that took place (schedule coming ones with scheduleCohort)',
        'DATE_IN_FUTURE',
      );
    else if (startsOn < EARLIEST_HISTORY.getTime())
      problem(
        ['startsOn'],
        'must not be before 1995-01-01 (the national competency system)',
        'DATE_TOO_EARLY',
      );
    if (endsOn < startsOn)
      problem(['endsOn'], 'must not be before startsOn', 'DATES_REVERSED');
    else if (endsOn >= today)
      problem(
        ['endsOn'],
        'must be before today: only a cohort that has ended is history',
        'DATE_IN_FUTURE',
      );

    const mode: CohortMode = record.mode ?? 'IN_PERSON';
    if (mode !== 'ONLINE') {
      if (!record.state)
        problem(
          ['state'],
          'is required for in-person and hybrid cohorts',
          'STATE_REQUIRED',
        );
      if (!record.city)
        problem(
          ['city'],
          'is required for in-person and hybrid cohorts',
          'CITY_REQUIRED',
        );
    }

    if (
      record.capacity !== null &&
      record.capacity !== undefined &&
      record.capacity < record.participants.length
    )
      problem(
        ['capacity'],
        `must hold the ${record.participants.length} participants listed`,
        'CAPACITY_BELOW_ENROLLED',
      );

    const seen = new Map<string, number>();
    record.participants.forEach((participant, j) => {
      const at = (field: string) => ['participants', j, field];
      const earlier = seen.get(participant.personId);
      if (earlier === undefined) seen.set(participant.personId, j);
      else
        problem(
          at('personId'),
          `repeats participants[${earlier}].personId: a person is enrolled once in a cohort`,
          'DUPLICATE_PARTICIPANT',
        );
      const on = startOfDayUtc(participant.outcomeOn).getTime();
      if (on < startsOn || on > endsOn)
        problem(
          at('outcomeOn'),
          'must fall within the cohort, from startsOn to endsOn',
          'OUTCOME_OUTSIDE_COHORT',
        );
      if (participant.dropReason && participant.outcome !== 'DROPPED')
        problem(
          at('dropReason'),
          'is only for a participant who DROPPED',
          'REASON_ONLY_WHEN_DROPPED',
        );
    });
    participants += record.participants.length;
  }
  if (participants > MAX_BATCH_PARTICIPANTS && records.length > 0)
    problems.push({
      index: records[0]!.index,
      field: 'input.records',
      message: `hold ${participants} participants in all, more than ${MAX_BATCH_PARTICIPANTS}; split the import into batches`,
      reason: 'BATCH_TOO_LARGE',
    });
  return problems;
}

/** What training knows of the ids a batch names, looked up once per kind. */
export interface KnownForCohorts {
  /** Organizations of committees' directory (providers and venues). */
  organizations: ReadonlySet<string>;
  /** Standards that are or were PUBLISHED (history may name one replaced since). */
  standards: ReadonlySet<string>;
  /** Vendor credentials of the catalog. */
  credentials: ReadonlySet<string>;
  /** Registered people (certification's registry, projected). */
  persons: ReadonlySet<string>;
  /** Agreements named by a record, or signed with a record's provider. */
  agreements: readonly Agreement[];
  /** Projects named by a record. */
  projects: readonly TrainingProject[];
}

/** Whether an agreement covers the days of a cohort (its validity window). */
const covers = (agreement: Agreement, record: HistoricalCohortRecord) =>
  agreement.validFrom.getTime() <= startOfDayUtc(record.startsOn).getTime() &&
  startOfDayUtc(record.endsOn).getTime() <= agreement.validUntil.getTime();

/**
 * The agreement a past cohort was delivered under: the one the record names,
 * else the provider's agreement for the target whose validity covers the
 * cohort's days (the latest to start, then the greatest id, when several do).
 * Null when none fits.
 */
export function agreementFor(
  record: HistoricalCohortRecord,
  agreements: readonly Agreement[],
): Agreement | null {
  if (record.agreementId)
    return agreements.find((a) => a.id === record.agreementId) ?? null;
  const fitting = agreements
    .filter(
      (a) =>
        a.providerId === record.providerId &&
        sameTarget(a.target, record.target) &&
        covers(a, record),
    )
    .sort(
      (a, b) =>
        b.validFrom.getTime() - a.validFrom.getTime() ||
        (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  return fitting[0] ?? null;
}

/**
 * Every provider, venue, target, person, agreement and project a record
 * names must be known to training: the provider and venue registered
 * organizations; the standard one that is or was published, or a credential
 * of the catalog; each participant a registered person; the agreement (named,
 * or found: {@link agreementFor}) the provider's, for the record's target,
 * valid over the cohort's days; the project, if named, one under that
 * agreement that the fund approved (APPROVED, or CLOSED after approval).
 */
export function checkCohortReferences(
  records: readonly IndexedCohortRecord[],
  known: KnownForCohorts,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const projects = new Map(known.projects.map((p) => [p.id, p]));
  for (const { index, record } of records) {
    const problem = (
      path: readonly PropertyKey[],
      message: string,
      reason: string,
    ) => problems.push({ index, field: fieldOf(index, path), message, reason });

    if (!known.organizations.has(record.providerId))
      problem(
        ['providerId'],
        'is not a registered organization',
        'ORGANIZATION_NOT_FOUND',
      );
    if (record.venueId && !known.organizations.has(record.venueId))
      problem(
        ['venueId'],
        'is not a registered organization',
        'ORGANIZATION_NOT_FOUND',
      );
    const { target } = record;
    if (target.kind === 'STANDARD' && !known.standards.has(target.id))
      problem(
        ['target', 'standardId'],
        'is not a competency standard that is or was published',
        'STANDARD_NOT_FOUND',
      );
    if (target.kind === 'CREDENTIAL' && !known.credentials.has(target.id))
      problem(
        ['target', 'credentialId'],
        'is not a vendor credential of the catalog',
        'CREDENTIAL_NOT_FOUND',
      );
    record.participants.forEach((participant, j) => {
      if (!known.persons.has(participant.personId))
        problem(
          ['participants', j, 'personId'],
          'is not a registered person (certification registers people; training learns of them through its events)',
          'PERSON_NOT_FOUND',
        );
    });

    const agreement = agreementFor(record, known.agreements);
    if (!agreement) {
      problem(
        ['agreementId'],
        record.agreementId
          ? 'is not an agreement'
          : "names none, and none of the provider's agreements for this target was valid over the cohort's days: sign or name the agreement it was delivered under",
        'AGREEMENT_NOT_FOUND',
      );
    } else if (record.agreementId) {
      if (agreement.providerId !== record.providerId)
        problem(
          ['agreementId'],
          "is another provider's agreement",
          'AGREEMENT_MISMATCH',
        );
      else if (!sameTarget(agreement.target, target))
        problem(
          ['agreementId'],
          'is an agreement for another target',
          'AGREEMENT_MISMATCH',
        );
      else if (!covers(agreement, record))
        problem(
          ['endsOn'],
          'the cohort must run inside the agreement validity window',
          'OUTSIDE_AGREEMENT_VALIDITY',
        );
    }

    if (record.projectId) {
      const project = projects.get(record.projectId);
      if (!project)
        problem(
          ['projectId'],
          'is not a training project',
          'PROJECT_NOT_FOUND',
        );
      else if (agreement && project.agreementId !== agreement.id)
        problem(
          ['projectId'],
          'is a project under another agreement',
          'PROJECT_AGREEMENT_MISMATCH',
        );
      else if (
        project.status !== 'APPROVED' &&
        !(project.status === 'CLOSED' && project.approvedFundShareBps !== null)
      )
        problem(
          ['projectId'],
          'is a project the fund has not approved',
          'PROJECT_NOT_APPROVED',
        );
    }
  }
  return problems;
}

/** A cohort as imported: COMPLETED, with its provenance. */
export type ImportedCohort = Cohort & { provenance: CohortProvenance };

/**
 * The COMPLETED cohort and its enrollments a record becomes, dated
 * historically: scheduled and started on its first day, completed on its
 * last; every participant enrolled on the first day (legacy registers date
 * the course, not each enrollment) and COMPLETED or DROPPED on their
 * outcome's day. The capacity is the record's, or its participants. The
 * cohort holds a seat for each participant who completed (drop-outs gave
 * theirs back), as a live cohort does.
 *
 * @param ids the cohort's id and one enrollment id per participant, in order
 */
export function historicalCohort(
  record: HistoricalCohortRecord,
  agreement: Agreement,
  ctx: {
    cohortId: string;
    enrollmentIds: readonly string[];
    source: string;
    importedBy: string;
    importedAt: Date;
  },
): { cohort: ImportedCohort; enrollments: Enrollment[] } {
  const mode: CohortMode = record.mode ?? 'IN_PERSON';
  const inPerson = mode !== 'ONLINE';
  const startsOn = startOfDayUtc(record.startsOn);
  const endsOn = startOfDayUtc(record.endsOn);
  const enrollments = record.participants.map((participant, j): Enrollment => {
    const on = startOfDayUtc(participant.outcomeOn);
    const completed = participant.outcome === 'COMPLETED';
    return {
      id: ctx.enrollmentIds[j]!,
      cohortId: ctx.cohortId,
      personId: participant.personId,
      status: participant.outcome,
      attendancePercent: null,
      voucherIssuedAt: null,
      voucherUsedAt: null,
      examPassed: null,
      enrolledAt: startsOn,
      completedAt: completed ? on : null,
      droppedAt: completed ? null : on,
      dropReason: completed
        ? null
        : (participant.dropReason ?? `Recorded as dropped in ${ctx.source}`),
    };
  });
  const target: Target = record.target;
  return {
    cohort: {
      id: ctx.cohortId,
      agreementId: agreement.id,
      projectId: record.projectId ?? null,
      venueId: record.venueId ?? record.providerId,
      state: inPerson ? (record.state ?? null) : null,
      city: inPerson ? (record.city ?? null) : null,
      mode,
      target,
      startsOn,
      endsOn,
      capacity: record.capacity ?? record.participants.length,
      enrolled: enrollments.filter((e) => e.status === 'COMPLETED').length,
      status: 'COMPLETED',
      cancellationReason: null,
      scheduledAt: startsOn,
      provenance: {
        source: ctx.source,
        folio: record.folio,
        importedBy: ctx.importedBy,
        importedAt: ctx.importedAt,
      },
    },
    enrollments,
  };
}

/** The last moment of a cohort's last day: when an imported cohort completed. */
export const endOfCohort = (cohort: Cohort): Date =>
  new Date(startOfDayUtc(cohort.endsOn).getTime() + DAY_MS - 1);
