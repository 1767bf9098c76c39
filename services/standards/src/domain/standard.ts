import { z } from 'zod';
import { entityId, isoDate } from '@conecta/events/contracts';
import { ConflictError, InvalidInputError } from '@conecta/service-kit/errors';
import {
  agendaItemInForce,
  assertCanOwnDraft,
  type AgendaItemKind,
  type CommitteeView,
} from './committee';
import {
  addVote,
  allSeatsVoted,
  decide,
  type CouncilComposition,
  type CouncilTally,
  type CouncilVote,
} from './council';
import {
  STANDARD_STATUSES,
  assertStatus,
  assertTransition,
  type StandardStatus,
} from './lifecycle';
import { failedChecks, type ReviewCheck } from './review';
import { pageArgs } from '@conecta/service-kit/cursor';

/** A key function of the occupation, with its evidence. */
export interface StandardElement {
  title: string;
  performanceCriteria: string[];
  products: string[];
  knowledge: string[];
  attitudes: string[];
}

export interface StandardValidity {
  certificateValidityYears: number;
  reviewIntervalYears: number;
}

/** What the committee writes: the editable content of a draft. */
export interface StandardContent {
  title: string;
  purpose: string;
  level: number;
  elements: StandardElement[];
  validity: StandardValidity;
}

export interface ReviewFinding {
  round: number;
  source: 'AUTOMATED_CHECK' | 'REVIEWER';
  code?: string;
  message: string;
  elementIndex?: number;
  recordedAt: Date;
}

/** When a standard entered a status (recorded on every transition). */
export interface StageEntry {
  status: StandardStatus;
  at: Date;
}

/**
 * The item of its committee's human-capital agenda a standard covers, as it
 * read in the agenda in force when the standard was drafted.
 */
export interface AgendaItemLink {
  id: string;
  /** The agenda version in force when it was linked. */
  agendaVersion: number;
  priority: number;
  kind: AgendaItemKind;
  title: string;
  targetYear: number;
}

export interface GazettePublication {
  /** YYYY-MM-DD. */
  date: string;
  reference: string;
  publishedAt: Date;
}

/** One version of a competency standard. */
export interface CompetencyStandard extends StandardContent {
  id: string;
  /** EC + 4 digits, shared by every version. */
  code: string;
  version: number;
  sectorId: string;
  committeeId: string;
  status: StandardStatus;
  /**
   * Optimistic-concurrency counter: +1 on every write; a write is applied only
   * if the stored document still has the revision it was computed from.
   */
  revision: number;
  /** Review rounds started so far (0 before the first review). */
  reviewRound: number;
  findings: ReviewFinding[];
  councilVotes: CouncilVote[];
  councilTally?: CouncilTally;
  gazette?: GazettePublication;
  withdrawalReason?: string;
  /**
   * The agenda item it covers. Absent on versions drafted before drafting
   * required one (they keep reading, with no item).
   */
  agendaItem?: AgendaItemLink;
  /** The published version this one revises. */
  revisionOf?: string;
  supersededBy?: string;
  /**
   * The review due date (ISO) whose `StandardReviewDue` was announced: set
   * once per due date by the periodic check (see periodic-review.ts).
   */
  reviewDueAnnounced?: string;
  /**
   * When it entered each status, oldest first (time-in-stage figures).
   * Absent on versions written before it was recorded.
   */
  stageHistory?: StageEntry[];
  draftedAt: Date;
  updatedAt: Date;
}

// Limits keep one standard well inside a 16 MB document and a readable page.
const MAX_ELEMENTS = 50;
const MAX_ITEMS = 50;

const item = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1_000, 'must have at most 1000 characters');
const items = z
  .array(item)
  .max(MAX_ITEMS, `must have at most ${MAX_ITEMS} items`);

export const elementInput = z.object({
  title: z
    .string()
    .trim()
    .min(2, 'must have at least 2 characters')
    .max(300, 'must have at most 300 characters'),
  performanceCriteria: items,
  products: items.default([]),
  knowledge: items,
  attitudes: items.default([]),
});

const elementsInput = z
  .array(elementInput)
  .max(MAX_ELEMENTS, `must have at most ${MAX_ELEMENTS} elements`)
  .superRefine((elements, ctx) => {
    const seen = new Set<string>();
    elements.forEach((element, index) => {
      const key = element.title.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'title'],
          message: 'must be unique within the standard',
        });
      seen.add(key);
    });
  });

const years = z
  .number()
  .int('must be a whole number of years')
  .min(1, 'must be at least 1')
  .max(10, 'must be at most 10');

const validityInput = z.object({
  certificateValidityYears: years,
  reviewIntervalYears: years,
});

const title = z
  .string()
  .trim()
  .min(5, 'must have at least 5 characters')
  .max(300, 'must have at most 300 characters');
const purpose = z
  .string()
  .trim()
  .min(10, 'must have at least 10 characters')
  .max(2_000, 'must have at most 2000 characters');
const level = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be 1 to 5')
  .max(5, 'must be 1 to 5');

/** A new draft: its committee, sector and content. */
export const draftStandardInput = z.object({
  committeeId: entityId,
  sectorId: entityId,
  // Optional in the SDL (adding a required input field breaks callers at
  // validation, with no field named); required here, so a caller that leaves
  // it out is told which field is missing.
  agendaItemId: z.uuid({
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? 'must name the item of the committee’s agenda in force that the standard covers'
        : 'must be a UUID',
  }),
  title,
  purpose,
  level,
  elements: elementsInput.default([]),
  validity: validityInput,
});
export type DraftStandardInput = z.output<typeof draftStandardInput>;

/** Changes to a draft; absent (or null) fields stay as they are. */
export const editDraftInput = z.object({
  title: title.nullish(),
  purpose: purpose.nullish(),
  level: level.nullish(),
  elements: elementsInput.nullish(),
  validity: validityInput.nullish(),
});
export type EditDraftInput = z.output<typeof editDraftInput>;

/** The reviewer's findings when returning a standard (may be empty if checks failed). */
export const findingsInput = z
  .array(
    z.object({
      message: z
        .string()
        .trim()
        .min(3, 'must have at least 3 characters')
        .max(2_000, 'must have at most 2000 characters'),
      elementIndex: z.number().int().min(0, 'must be 0 or more').nullish(),
    }),
  )
  .max(100, 'must have at most 100 findings');
export type FindingsInput = z.output<typeof findingsInput>;

/** The gazette publication: a past (or today's) date and the notice reference. */
export const publishStandardInput = z.object({
  gazetteDate: isoDate.refine(
    (date) => date <= new Date().toISOString().slice(0, 10),
    'must not be in the future',
  ),
  gazetteReference: z
    .string()
    .trim()
    .min(3, 'must have at least 3 characters')
    .max(300, 'must have at most 300 characters'),
});
export type PublishStandardInput = z.output<typeof publishStandardInput>;

export const withdrawalReason = z
  .string()
  .trim()
  .min(5, 'must have at least 5 characters')
  .max(1_000, 'must have at most 1000 characters');

/** The largest code number: codes are EC + 4 digits. */
const MAX_CODE_NUMBER = 9_999;

/** `EC` + the sequence number on 4 digits: 217 → `EC0217`. */
export function formatStandardCode(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_CODE_NUMBER)
    throw new ConflictError(
      'STANDARD_CODES_EXHAUSTED',
      `Standard code number ${sequence} is outside EC0001–EC9999`,
    );
  return `EC${String(sequence).padStart(4, '0')}`;
}

function touch(
  standard: CompetencyStandard,
  changes: Partial<CompetencyStandard>,
  now: Date,
): CompetencyStandard {
  const entered =
    changes.status && changes.status !== standard.status
      ? {
          stageHistory: [
            ...(standard.stageHistory ?? []),
            { status: changes.status, at: now },
          ],
        }
      : {};
  return {
    ...standard,
    ...changes,
    ...entered,
    revision: standard.revision + 1,
    updatedAt: now,
  };
}

/**
 * Asserts a committee may own a new draft of `input`: INSTALLED, of the same
 * sector, with the covered item on its agenda in force. Returns the link.
 *
 * @throws ConflictError `COMMITTEE_NOT_INSTALLED`, `SECTOR_MISMATCH`,
 *   `NO_AGENDA_IN_FORCE`, `AGENDA_ITEM_NOT_IN_FORCE`
 */
export function assertCanDraft(
  committee: CommitteeView | null,
  input: Pick<DraftStandardInput, 'sectorId' | 'agendaItemId'>,
): AgendaItemLink {
  assertCanOwnDraft(committee, input.sectorId);
  const { agenda, item } = agendaItemInForce(committee, input.agendaItemId);
  return {
    id: item.id,
    agendaVersion: agenda.version,
    priority: item.priority,
    kind: item.kind,
    title: item.title,
    targetYear: item.targetYear,
  };
}

/**
 * A new draft (version 1). Only an INSTALLED committee of the same sector may
 * own it, and it covers an item of the committee's agenda in force.
 *
 * @throws ConflictError `COMMITTEE_NOT_INSTALLED`, `SECTOR_MISMATCH`,
 *   `NO_AGENDA_IN_FORCE`, `AGENDA_ITEM_NOT_IN_FORCE`
 */
export function draftStandard(
  input: DraftStandardInput,
  {
    id,
    code,
    committee,
    now,
  }: { id: string; code: string; committee: CommitteeView | null; now: Date },
): CompetencyStandard {
  const agendaItem = assertCanDraft(committee, input);
  return {
    id,
    code,
    version: 1,
    committeeId: input.committeeId,
    sectorId: input.sectorId,
    agendaItem,
    title: input.title,
    purpose: input.purpose,
    level: input.level,
    elements: input.elements,
    validity: input.validity,
    status: 'DRAFT',
    stageHistory: [{ status: 'DRAFT', at: now }],
    revision: 1,
    reviewRound: 0,
    findings: [],
    councilVotes: [],
    draftedAt: now,
    updatedAt: now,
  };
}

/**
 * A revision of a PUBLISHED standard: a new DRAFT with the same code, the next
 * version, the same committee and a copy of the content.
 *
 * @param latestVersion the highest version of the code so far
 * @throws ConflictError `STANDARD_NOT_PUBLISHED`, `COMMITTEE_NOT_INSTALLED`
 */
export function reviseStandard(
  published: CompetencyStandard,
  {
    id,
    latestVersion,
    committee,
    now,
  }: {
    id: string;
    latestVersion: number;
    committee: CommitteeView | null;
    now: Date;
  },
): CompetencyStandard {
  assertStatus(published.status, 'PUBLISHED');
  assertCanOwnDraft(committee, published.sectorId);
  return {
    id,
    code: published.code,
    version: latestVersion + 1,
    committeeId: published.committeeId,
    sectorId: published.sectorId,
    // A revision maintains what was published: it keeps the item, even one
    // the agenda has since retired (absent on standards drafted before items).
    ...(published.agendaItem && { agendaItem: published.agendaItem }),
    title: published.title,
    purpose: published.purpose,
    level: published.level,
    elements: published.elements,
    validity: published.validity,
    status: 'DRAFT',
    stageHistory: [{ status: 'DRAFT', at: now }],
    revision: 1,
    reviewRound: 0,
    findings: [],
    councilVotes: [],
    revisionOf: published.id,
    draftedAt: now,
    updatedAt: now,
  };
}

/**
 * Applies changes to a DRAFT.
 *
 * @throws ConflictError `STANDARD_NOT_DRAFT`
 */
export function editDraft(
  standard: CompetencyStandard,
  changes: EditDraftInput,
  now: Date,
): CompetencyStandard {
  assertStatus(standard.status, 'DRAFT');
  return touch(
    standard,
    {
      title: changes.title ?? standard.title,
      purpose: changes.purpose ?? standard.purpose,
      level: changes.level ?? standard.level,
      elements: changes.elements ?? standard.elements,
      validity: changes.validity ?? standard.validity,
    },
    now,
  );
}

/**
 * DRAFT → SUBMITTED. The committee must still be installed.
 *
 * @throws ConflictError `STANDARD_NOT_DRAFT`, `COMMITTEE_NOT_INSTALLED`
 */
export function submitStandard(
  standard: CompetencyStandard,
  committee: CommitteeView | null,
  now: Date,
): CompetencyStandard {
  assertTransition(standard.status, 'SUBMITTED');
  assertCanOwnDraft(committee, standard.sectorId);
  return touch(standard, { status: 'SUBMITTED' }, now);
}

/**
 * SUBMITTED → IN_REVIEW: a new review round starts.
 *
 * @throws ConflictError `STANDARD_NOT_SUBMITTED`
 */
export function startReview(
  standard: CompetencyStandard,
  now: Date,
): CompetencyStandard {
  assertTransition(standard.status, 'IN_REVIEW');
  return touch(
    standard,
    { status: 'IN_REVIEW', reviewRound: standard.reviewRound + 1 },
    now,
  );
}

/**
 * Asserts every finding about an element points at one the standard has: the
 * input schema cannot know how many elements there are.
 *
 * @throws InvalidInputError `ELEMENT_INDEX_OUT_OF_RANGE`, field `findings[i].elementIndex`
 */
function assertFindingsPointAtElements(
  standard: CompetencyStandard,
  findings: FindingsInput,
): void {
  const count = standard.elements.length;
  const problems = findings.flatMap((finding, index) =>
    finding.elementIndex != null && finding.elementIndex >= count
      ? [
          {
            field: `findings[${index}].elementIndex`,
            message:
              count === 0
                ? 'must be absent: the standard has no elements'
                : `must be 0 to ${count - 1}: the standard has ${count} elements`,
          },
        ]
      : [],
  );
  if (problems.length > 0)
    throw InvalidInputError.fromProblems(
      problems,
      'ELEMENT_INDEX_OUT_OF_RANGE',
    );
}

/**
 * IN_REVIEW → DRAFT with findings: the reviewer's, plus one per failed
 * automated check. At least one finding overall: a return must say why.
 *
 * @throws ConflictError `STANDARD_NOT_IN_REVIEW`, `FINDINGS_REQUIRED`
 * @throws InvalidInputError `ELEMENT_INDEX_OUT_OF_RANGE` for a finding about an
 *   element the standard does not have
 */
export function returnToDraft(
  standard: CompetencyStandard,
  reviewerFindings: FindingsInput,
  checks: readonly ReviewCheck[],
  now: Date,
): { standard: CompetencyStandard; returned: ReviewFinding[] } {
  assertTransition(standard.status, 'DRAFT');
  assertFindingsPointAtElements(standard, reviewerFindings);
  const round = standard.reviewRound;
  const returned: ReviewFinding[] = [
    ...failedChecks(checks).map((check): ReviewFinding => ({
      round,
      source: 'AUTOMATED_CHECK',
      code: check.code,
      message: check.message,
      ...(check.elementIndex !== undefined && {
        elementIndex: check.elementIndex,
      }),
      recordedAt: now,
    })),
    ...reviewerFindings.map((finding): ReviewFinding => ({
      round,
      source: 'REVIEWER',
      message: finding.message,
      ...(finding.elementIndex != null && {
        elementIndex: finding.elementIndex,
      }),
      recordedAt: now,
    })),
  ];
  if (returned.length === 0)
    throw new ConflictError(
      'FINDINGS_REQUIRED',
      'Returning a standard to DRAFT needs at least one finding (every automated check passed)',
      'findings',
    );
  return {
    standard: touch(
      standard,
      { status: 'DRAFT', findings: [...standard.findings, ...returned] },
      now,
    ),
    returned,
  };
}

/**
 * IN_REVIEW → IN_COUNCIL_VOTE: the review passed. Every automated check must pass.
 *
 * @throws ConflictError `STANDARD_NOT_IN_REVIEW`, `REVIEW_CHECKS_FAILED`
 */
export function sendToCouncil(
  standard: CompetencyStandard,
  checks: readonly ReviewCheck[],
  now: Date,
): CompetencyStandard {
  assertTransition(standard.status, 'IN_COUNCIL_VOTE');
  const failed = failedChecks(checks);
  if (failed.length > 0)
    throw new ConflictError(
      'REVIEW_CHECKS_FAILED',
      `Automated checks failed: ${failed.map((c) => c.message).join('; ')}`,
    );
  return touch(standard, { status: 'IN_COUNCIL_VOTE', councilVotes: [] }, now);
}

function decided(
  standard: CompetencyStandard,
  votes: CouncilVote[],
  composition: CouncilComposition,
  now: Date,
): CompetencyStandard {
  const { approved, tally } = decide(votes, composition);
  const status = approved ? 'APPROVED' : 'REJECTED';
  assertTransition(standard.status, status);
  return touch(
    standard,
    { status, councilVotes: votes, councilTally: tally },
    now,
  );
}

/**
 * Records one seat's vote; when the last seat of the composition votes, the
 * vote is decided.
 *
 * @throws ConflictError `STANDARD_NOT_IN_COUNCIL_VOTE`, `SEAT_ALREADY_VOTED`,
 *   `VOTER_ALREADY_VOTED`
 */
export function castCouncilVote(
  standard: CompetencyStandard,
  vote: CouncilVote,
  composition: CouncilComposition,
  now: Date,
): CompetencyStandard {
  assertStatus(standard.status, 'IN_COUNCIL_VOTE');
  const votes = addVote(standard.councilVotes, vote);
  if (allSeatsVoted(votes, composition))
    return decided(standard, votes, composition, now);
  return touch(standard, { councilVotes: votes }, now);
}

/**
 * Closes the vote once the quorum is met: APPROVED on a majority in favour,
 * REJECTED on a majority against, a tie decided by the chair's casting vote
 * (see `decide`).
 *
 * @throws ConflictError `STANDARD_NOT_IN_COUNCIL_VOTE`, `COUNCIL_QUORUM_NOT_MET`
 */
export function closeCouncilVote(
  standard: CompetencyStandard,
  composition: CouncilComposition,
  now: Date,
): CompetencyStandard {
  assertStatus(standard.status, 'IN_COUNCIL_VOTE');
  return decided(standard, standard.councilVotes, composition, now);
}

/**
 * APPROVED → PUBLISHED with its gazette publication.
 *
 * @throws ConflictError `STANDARD_NOT_APPROVED`
 */
export function publishStandard(
  standard: CompetencyStandard,
  input: PublishStandardInput,
  now: Date,
): CompetencyStandard {
  assertTransition(standard.status, 'PUBLISHED');
  return touch(
    standard,
    {
      status: 'PUBLISHED',
      gazette: {
        date: input.gazetteDate,
        reference: input.gazetteReference,
        publishedAt: now,
      },
    },
    now,
  );
}

/**
 * PUBLISHED → WITHDRAWN.
 *
 * @throws ConflictError `STANDARD_NOT_PUBLISHED`
 */
export function withdrawStandard(
  standard: CompetencyStandard,
  reason: string,
  now: Date,
): CompetencyStandard {
  assertTransition(standard.status, 'WITHDRAWN');
  return touch(
    standard,
    { status: 'WITHDRAWN', withdrawalReason: reason },
    now,
  );
}

/**
 * PUBLISHED → SUPERSEDED, by the publication of a newer version.
 *
 * @throws ConflictError `STANDARD_NOT_PUBLISHED`
 */
export function supersedeStandard(
  standard: CompetencyStandard,
  by: string,
  now: Date,
): CompetencyStandard {
  assertTransition(standard.status, 'SUPERSEDED');
  return touch(standard, { status: 'SUPERSEDED', supersededBy: by }, now);
}

/**
 * Text as the search compares it: lower case, accents removed, so
 * "instalacion electrica" finds "Instalación eléctrica".
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Arguments of the search: `first` 1–100 (default 20). */
export const listStandardsArgs = z.object({
  filter: z
    .object({
      search: z.string().trim().min(1).max(100).nullish(),
      sectorId: z.string().min(1).nullish(),
      level: level.nullish(),
      status: z.enum(STANDARD_STATUSES).nullish(),
      committeeId: z.string().min(1).nullish(),
    })
    .nullish(),
  ...pageArgs,
});
export type StandardFilter = NonNullable<
  z.output<typeof listStandardsArgs>['filter']
>;
