import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, isoDate, isoDateTime } from './common';

/** Levels of the national qualifications framework. */
export const STANDARD_LEVELS = [1, 2, 3, 4, 5] as const;

/** A competency standard's code: EC followed by 4 digits (e.g. EC0217). */
export const standardCode = z
  .string()
  .regex(/^EC\d{4}$/, 'must be EC followed by 4 digits');

const level = z.number().int().min(1).max(5);

/** What every lifecycle event of a standard carries, so projections need no lookup. */
const standardRef = {
  id: entityId,
  code: standardCode,
  version: z.number().int().min(1),
  committeeId: entityId,
  sectorId: entityId,
  level,
};

/** A committee drafted a standard (or a revision of a published one). */
export const StandardDraftedV1 = defineEvent({
  type: 'standards.StandardDrafted',
  version: 1,
  description:
    'A committee drafted a competency standard, or a new version (revision) of one.',
  data: z.object({
    ...standardRef,
    title: z.string().trim().min(1),
    /** The published version this revision will supersede, if any. */
    revisionOf: entityId.optional(),
  }),
});

/** A draft was submitted for methodology review. */
export const StandardSubmittedV1 = defineEvent({
  type: 'standards.StandardSubmitted',
  version: 1,
  description: 'A draft was submitted for methodology review.',
  data: z.object({ ...standardRef }),
});

/** Methodology review started (automated checks ran; reviewer findings follow). */
export const StandardReviewStartedV1 = defineEvent({
  type: 'standards.StandardReviewStarted',
  version: 1,
  description: 'The methodology review of a standard started.',
  data: z.object({ ...standardRef }),
});

/** Review returned the standard to DRAFT with findings. */
export const StandardReturnedV1 = defineEvent({
  type: 'standards.StandardReturned',
  version: 1,
  description:
    'The methodology review returned the standard to DRAFT with findings.',
  data: z.object({
    ...standardRef,
    findings: z.array(z.string().min(1)).min(1),
  }),
});

/** The committee edited its draft (content changed; still DRAFT). */
export const StandardDraftEditedV1 = defineEvent({
  type: 'standards.StandardDraftEdited',
  version: 1,
  description:
    'The owning committee edited a DRAFT standard (title, purpose, level, elements or validity).',
  data: z.object({
    ...standardRef,
    title: z.string().trim().min(1),
  }),
});

/**
 * Every seat of the technical council, in roster order: the chair (the
 * Secretary of Education, a government seat) and up to six government, three
 * employers' and three labor seats — the CONOCER case study's council, the
 * largest composition standards supports. A composition (standards'
 * `COUNCIL_COMPOSITION`) uses these seats or a subset of them; the two seats
 * per side of the first councils are among them, so their events still parse.
 */
export const COUNCIL_SEATS = [
  'CHAIR',
  'GOVERNMENT_1',
  'GOVERNMENT_2',
  'GOVERNMENT_3',
  'GOVERNMENT_4',
  'GOVERNMENT_5',
  'GOVERNMENT_6',
  'EMPLOYER_1',
  'EMPLOYER_2',
  'EMPLOYER_3',
  'LABOR_1',
  'LABOR_2',
  'LABOR_3',
] as const;

/** How a council seat voted. */
export const COUNCIL_VOTES = ['IN_FAVOR', 'AGAINST', 'ABSTAIN'] as const;

/**
 * An admin appointed a person to a seat of the technical council. Only the
 * seat's holder may cast its vote; the holder is an identity subject (an
 * opaque account id, no personal data).
 */
export const CouncilSeatAppointedV1 = defineEvent({
  type: 'standards.CouncilSeatAppointed',
  version: 1,
  description:
    'A person (identity subject) was appointed to a seat of the technical council; only they may cast its vote.',
  data: z.object({
    seat: z.enum(COUNCIL_SEATS),
    holderId: z.string().trim().min(1).max(200),
    /** The holder this appointment replaced, if the seat was held. */
    previousHolderId: z.string().trim().min(1).max(200).optional(),
    appointedAt: isoDateTime,
  }),
});

/** Review passed: the technical council vote is open. */
export const CouncilVoteOpenedV1 = defineEvent({
  type: 'standards.CouncilVoteOpened',
  version: 1,
  description:
    'The standard passed review and went to the technical council vote.',
  data: z.object({ ...standardRef }),
});

const tally = z.object({
  inFavor: z.number().int().min(0),
  against: z.number().int().min(0),
  abstentions: z.number().int().min(0),
});

/** One seat of the technical council cast its vote on a standard. */
export const CouncilVoteCastV1 = defineEvent({
  type: 'standards.CouncilVoteCast',
  version: 1,
  description:
    'One seat of the technical council voted on a standard in IN_COUNCIL_VOTE.',
  data: z.object({
    ...standardRef,
    seat: z.enum(COUNCIL_SEATS),
    vote: z.enum(COUNCIL_VOTES),
    castAt: isoDateTime,
  }),
});

/** The council approved the standard by majority. */
export const StandardApprovedV1 = defineEvent({
  type: 'standards.StandardApproved',
  version: 1,
  description: 'The technical council approved the standard by majority.',
  data: z.object({ ...standardRef, tally }),
});

/** The council rejected the standard (no majority; ties reject). */
export const StandardRejectedV1 = defineEvent({
  type: 'standards.StandardRejected',
  version: 1,
  description:
    'The technical council rejected the standard (no majority in favour; ties reject).',
  data: z.object({ ...standardRef, tally }),
});

/** A standard was published in the official gazette: certification against it may begin. */
export const StandardPublishedV1 = defineEvent({
  type: 'standards.StandardPublished',
  version: 1,
  description:
    'A standard was published in the official gazette (DOF). Certificates against it may be issued once bodies are accredited.',
  data: z.object({
    ...standardRef,
    title: z.string().trim().min(1),
    /** Years a certificate against this standard stays valid. */
    certificateValidityYears: z.number().int().min(1).max(10),
    /** Years between reviews of the standard. */
    reviewIntervalYears: z.number().int().min(1).max(10),
    gazetteDate: isoDate,
    gazetteReference: z.string().trim().min(1),
    publishedAt: isoDateTime,
    /** The previous version this publication supersedes, if a revision. */
    supersedes: entityId.optional(),
  }),
});

/** A published standard was withdrawn: no new certificates; existing ones stay valid to expiry. */
export const StandardWithdrawnV1 = defineEvent({
  type: 'standards.StandardWithdrawn',
  version: 1,
  description:
    'A published standard was withdrawn: no new certificates; existing ones stay valid to expiry.',
  data: z.object({
    ...standardRef,
    reason: z.string().trim().min(1),
    withdrawnAt: isoDateTime,
  }),
});

/** A published standard was superseded by the publication of its revision. */
export const StandardSupersededV1 = defineEvent({
  type: 'standards.StandardSuperseded',
  version: 1,
  description:
    'A published standard was superseded by the publication of a newer version.',
  data: z.object({
    ...standardRef,
    supersededBy: entityId,
    supersededAt: isoDateTime,
  }),
});

/**
 * A published standard's periodic review fell due (its gazette date plus its
 * review interval passed): its committee and the technical council should
 * open a revision. Announced once per publication, by standards' periodic
 * check; the standard stays PUBLISHED.
 */
export const StandardReviewDueV1 = defineEvent({
  type: 'standards.StandardReviewDue',
  version: 1,
  description:
    'A published standard reached its review date (gazette date plus review interval): its committee and the technical council should open a revision.',
  data: z.object({
    ...standardRef,
    title: z.string().trim().min(1),
    gazetteDate: isoDate,
    reviewIntervalYears: z.number().int().min(1).max(10),
    /** The day the review fell due, 00:00 UTC. */
    reviewDueAt: isoDateTime,
  }),
});

/** Every standards contract, every version. */
export const standardsContracts = [
  StandardDraftedV1,
  StandardSubmittedV1,
  StandardReviewStartedV1,
  StandardReturnedV1,
  CouncilSeatAppointedV1,
  CouncilVoteOpenedV1,
  StandardApprovedV1,
  StandardDraftEditedV1,
  CouncilVoteCastV1,
  StandardRejectedV1,
  StandardPublishedV1,
  StandardWithdrawnV1,
  StandardSupersededV1,
  StandardReviewDueV1,
] as const;
