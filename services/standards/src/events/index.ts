import {
  CouncilSeatAppointedV1,
  CouncilVoteCastV1,
  CouncilVoteOpenedV1,
  StandardApprovedV1,
  StandardDraftEditedV1,
  StandardDraftedV1,
  StandardPublishedV1,
  StandardRejectedV1,
  StandardReturnedV1,
  StandardReviewDueV1,
  StandardReviewStartedV1,
  StandardSubmittedV1,
  StandardSupersededV1,
  StandardWithdrawnV1,
  newEvent,
  type EventEnvelope,
} from '@conecta/events';
import type { CouncilSeatHolder, CouncilVote } from '../domain/council';
import { reviewDueAt } from '../domain/periodic-review';
import type { CompetencyStandard, ReviewFinding } from '../domain/standard';

/** Where an event came from: ties it to the request that caused it. */
export interface EventMeta {
  traceId?: string;
}

/** What every standards lifecycle event carries, so consumers need no lookup. */
function ref(standard: CompetencyStandard) {
  return {
    id: standard.id,
    code: standard.code,
    version: standard.version,
    committeeId: standard.committeeId,
    sectorId: standard.sectorId,
    level: standard.level,
  };
}

function envelope(standard: CompetencyStandard, meta: EventMeta) {
  return {
    subject: standard.id,
    traceId: meta.traceId,
    occurredAt: standard.updatedAt,
  };
}

function tallyOf(standard: CompetencyStandard) {
  return standard.councilTally ?? { inFavor: 0, against: 0, abstentions: 0 };
}

/**
 * What standards publishes, one builder per fact. Events are validated against
 * their contracts here and written by the store inside the standard's own
 * document (transactional outbox); the runtime's relay publishes them, keyed
 * by the standard version's id.
 */
export function createStandardsEvents() {
  return {
    /** The review of a PUBLISHED standard fell due (the periodic check). */
    reviewDue: (s: CompetencyStandard, now: Date): EventEnvelope => {
      const due = reviewDueAt(s);
      if (!due || !s.gazette)
        throw new Error(`reviewDue: standard ${s.id} is not PUBLISHED`);
      return newEvent(StandardReviewDueV1, {
        subject: s.id,
        occurredAt: now,
        data: {
          ...ref(s),
          title: s.title,
          gazetteDate: s.gazette.date,
          reviewIntervalYears: s.validity.reviewIntervalYears,
          reviewDueAt: due.toISOString(),
        },
      });
    },

    drafted: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      newEvent(StandardDraftedV1, {
        ...envelope(s, meta),
        data: {
          ...ref(s),
          title: s.title,
          ...(s.revisionOf && { revisionOf: s.revisionOf }),
        },
      }),

    draftEdited: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      newEvent(StandardDraftEditedV1, {
        ...envelope(s, meta),
        data: { ...ref(s), title: s.title },
      }),

    submitted: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      newEvent(StandardSubmittedV1, { ...envelope(s, meta), data: ref(s) }),

    reviewStarted: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      newEvent(StandardReviewStartedV1, {
        ...envelope(s, meta),
        data: ref(s),
      }),

    returned: (
      s: CompetencyStandard,
      findings: readonly ReviewFinding[],
      meta: EventMeta,
    ): EventEnvelope =>
      newEvent(StandardReturnedV1, {
        ...envelope(s, meta),
        data: { ...ref(s), findings: findings.map((f) => f.message) },
      }),

    councilVoteOpened: (
      s: CompetencyStandard,
      meta: EventMeta,
    ): EventEnvelope =>
      newEvent(CouncilVoteOpenedV1, { ...envelope(s, meta), data: ref(s) }),

    voteCast: (
      s: CompetencyStandard,
      vote: CouncilVote,
      meta: EventMeta,
    ): EventEnvelope =>
      newEvent(CouncilVoteCastV1, {
        ...envelope(s, meta),
        data: {
          ...ref(s),
          seat: vote.seat,
          vote: vote.vote,
          castAt: vote.castAt.toISOString(),
        },
      }),

    /** StandardApproved or StandardRejected, for a standard whose vote was just decided. */
    decided: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      s.status === 'APPROVED'
        ? newEvent(StandardApprovedV1, {
            ...envelope(s, meta),
            data: { ...ref(s), tally: tallyOf(s) },
          })
        : newEvent(StandardRejectedV1, {
            ...envelope(s, meta),
            data: { ...ref(s), tally: tallyOf(s) },
          }),

    /** `supersedes`: the previous version this publication supersedes, if it was still PUBLISHED. */
    published: (
      s: CompetencyStandard,
      supersedes: string | undefined,
      meta: EventMeta,
    ): EventEnvelope =>
      newEvent(StandardPublishedV1, {
        ...envelope(s, meta),
        data: {
          ...ref(s),
          title: s.title,
          certificateValidityYears: s.validity.certificateValidityYears,
          reviewIntervalYears: s.validity.reviewIntervalYears,
          gazetteDate: s.gazette?.date ?? '',
          gazetteReference: s.gazette?.reference ?? '',
          publishedAt: (s.gazette?.publishedAt ?? s.updatedAt).toISOString(),
          ...(supersedes && { supersedes }),
        },
      }),

    withdrawn: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      newEvent(StandardWithdrawnV1, {
        ...envelope(s, meta),
        data: {
          ...ref(s),
          reason: s.withdrawalReason ?? '',
          withdrawnAt: s.updatedAt.toISOString(),
        },
      }),

    superseded: (s: CompetencyStandard, meta: EventMeta): EventEnvelope =>
      newEvent(StandardSupersededV1, {
        ...envelope(s, meta),
        data: {
          ...ref(s),
          supersededBy: s.supersededBy ?? '',
          supersededAt: s.updatedAt.toISOString(),
        },
      }),

    /** Keyed by the seat, so a seat's appointments stay in order. */
    seatAppointed: (
      holder: CouncilSeatHolder,
      previous: CouncilSeatHolder | undefined,
      meta: EventMeta,
    ): EventEnvelope =>
      newEvent(CouncilSeatAppointedV1, {
        subject: holder.seat,
        traceId: meta.traceId,
        occurredAt: holder.appointedAt,
        data: {
          seat: holder.seat,
          holderId: holder.holderId,
          ...(previous && { previousHolderId: previous.holderId }),
          appointedAt: holder.appointedAt.toISOString(),
        },
      }),
  };
}

export type StandardsEvents = ReturnType<typeof createStandardsEvents>;
