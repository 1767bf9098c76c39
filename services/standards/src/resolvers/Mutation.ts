import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  ConflictError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';
import type { EventEnvelope } from '@conecta/events';
import type { CommitteeView } from '../domain/committee';
import {
  appointCouncilSeatInput,
  assertHoldsSeat,
  assertOneSeatPerPerson,
  assertSeatInComposition,
} from '../domain/council';
import {
  PUBLISHER_ROLES,
  REVIEWER_ROLES,
  SEAT_APPOINTER_ROLES,
  VOTER_ROLES,
  assertCanWriteFor,
  assertRole,
} from '../domain/permissions';
import { runAutomatedChecks } from '../domain/review';
import {
  assertCanDraft,
  castCouncilVote,
  closeCouncilVote,
  draftStandard,
  draftStandardInput,
  editDraft,
  editDraftInput,
  findingsInput,
  publishStandard,
  publishStandardInput,
  returnToDraft,
  reviseStandard,
  sendToCouncil,
  startReview,
  submitStandard,
  withdrawStandard,
  withdrawalReason,
  type CompetencyStandard,
} from '../domain/standard';
import { supersedePrevious } from '../events/supersession';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import { loadForWrite } from './access';

/** The committee as the projection knows it now (not the request cache). */
async function committeeOf(
  ctx: Context,
  committeeId: string,
): Promise<CommitteeView | null> {
  const [committee] = await ctx.stores.committees.findByIds([committeeId]);
  return committee ?? null;
}

/**
 * One lifecycle step: load the current state, authorize (mutations whose
 * roles are fixed check them before calling, so the answer is FORBIDDEN
 * whatever the id), let the domain
 * compute the next state and its events, write both in one conditional
 * update (CONFLICT if the standard changed meanwhile).
 */
async function step(
  ctx: Context,
  id: string,
  authorize: (
    standard: CompetencyStandard,
    committee: CommitteeView | null,
  ) => void,
  apply: (
    standard: CompetencyStandard,
    committee: CommitteeView | null,
  ) => { next: CompetencyStandard; events: EventEnvelope[] },
): Promise<CompetencyStandard> {
  const standard = await loadForWrite(ctx, id);
  const committee = await committeeOf(ctx, standard.committeeId);
  authorize(standard, committee);
  const { next, events } = apply(standard, committee);
  await ctx.stores.standards.save(standard, next, events);
  return next;
}

const asCommitteeWriter =
  (ctx: Context) =>
  (_standard: CompetencyStandard, committee: CommitteeView | null) =>
    assertCanWriteFor(ctx.identity, committee);
/** For mutations whose roles are fixed: checked before loading, in `step`'s place. */
const checkedBefore = () => {};

export const Mutation: MutationResolvers = {
  draftStandard: async (_parent, args, ctx) => {
    const input = parseInput(draftStandardInput, args.input);
    const committee = await committeeOf(ctx, input.committeeId);
    assertCanWriteFor(ctx.identity, committee);
    // Refuse before a code is drawn: a refused draft must not use one up.
    assertCanDraft(committee, input);
    const meta = { traceId: ctx.requestId };
    const id = uuidv7();
    const now = new Date();
    const standard = await ctx.stores.standards.insertNew((code) => {
      const draft = draftStandard(input, { id, code, committee, now });
      return { standard: draft, events: [ctx.events.drafted(draft, meta)] };
    });
    return standard;
  },

  reviseStandard: async (_parent, { id }, ctx) => {
    const published = await loadForWrite(ctx, id);
    const committee = await committeeOf(ctx, published.committeeId);
    assertCanWriteFor(ctx.identity, committee);
    if (await ctx.stores.standards.hasOpenVersion(published.code))
      throw new ConflictError(
        'REVISION_IN_PROGRESS',
        `A version of ${published.code} is already on its way to publication`,
      );
    const versions = await ctx.stores.standards.findVersions(published.code);
    const revision = reviseStandard(published, {
      id: uuidv7(),
      latestVersion: Math.max(...versions.map((v) => v.version)),
      committee,
      now: new Date(),
    });
    await ctx.stores.standards.insertRevision(revision, [
      ctx.events.drafted(revision, { traceId: ctx.requestId }),
    ]);
    return revision;
  },

  editDraft: (_parent, args, ctx) => {
    const changes = parseInput(editDraftInput, args.input);
    return step(ctx, args.id, asCommitteeWriter(ctx), (standard) => {
      const next = editDraft(standard, changes, new Date());
      return {
        next,
        events: [ctx.events.draftEdited(next, { traceId: ctx.requestId })],
      };
    });
  },

  submitStandard: (_parent, { id }, ctx) =>
    step(ctx, id, asCommitteeWriter(ctx), (standard, committee) => {
      const next = submitStandard(standard, committee, new Date());
      return {
        next,
        events: [ctx.events.submitted(next, { traceId: ctx.requestId })],
      };
    }),

  startReview: (_parent, { id }, ctx) => {
    assertRole(ctx.identity, REVIEWER_ROLES);
    return step(ctx, id, checkedBefore, (standard) => {
      const next = startReview(standard, new Date());
      return {
        next,
        events: [ctx.events.reviewStarted(next, { traceId: ctx.requestId })],
      };
    });
  },

  returnStandard: (_parent, args, ctx) => {
    assertRole(ctx.identity, REVIEWER_ROLES);
    const findings = parseInput(findingsInput, args.findings, 'findings');
    return step(ctx, args.id, checkedBefore, (standard, committee) => {
      const { standard: next, returned } = returnToDraft(
        standard,
        findings,
        runAutomatedChecks(standard, committee),
        new Date(),
      );
      return {
        next,
        events: [
          ctx.events.returned(next, returned, { traceId: ctx.requestId }),
        ],
      };
    });
  },

  sendToCouncil: (_parent, { id }, ctx) => {
    assertRole(ctx.identity, REVIEWER_ROLES);
    return step(ctx, id, checkedBefore, (standard, committee) => {
      const next = sendToCouncil(
        standard,
        runAutomatedChecks(standard, committee),
        new Date(),
      );
      return {
        next,
        events: [
          ctx.events.councilVoteOpened(next, { traceId: ctx.requestId }),
        ],
      };
    });
  },

  castCouncilVote: async (_parent, { id, seat, vote }, ctx) => {
    assertRole(ctx.identity, VOTER_ROLES);
    const voter = ctx.identity.subject;
    if (!voter)
      throw new UnauthenticatedError(
        'A council vote must be cast by a signed-in person',
      );
    assertSeatInComposition(seat, ctx.council);
    const roster = await ctx.stores.councilSeats.roster();
    assertHoldsSeat(
      roster.find((h) => h.seat === seat),
      seat,
      voter,
    );
    return step(ctx, id, checkedBefore, (standard) => {
      const now = new Date();
      const cast = { seat, vote, voter, castAt: now };
      const next = castCouncilVote(standard, cast, ctx.council, now);
      const meta = { traceId: ctx.requestId };
      return {
        next,
        events: [
          ctx.events.voteCast(next, cast, meta),
          // The last seat's vote closes the vote.
          ...(next.status === 'IN_COUNCIL_VOTE'
            ? []
            : [ctx.events.decided(next, meta)]),
        ],
      };
    });
  },

  closeCouncilVote: (_parent, { id }, ctx) => {
    assertRole(ctx.identity, VOTER_ROLES);
    return step(ctx, id, checkedBefore, (standard) => {
      const next = closeCouncilVote(standard, ctx.council, new Date());
      return {
        next,
        events: [ctx.events.decided(next, { traceId: ctx.requestId })],
      };
    });
  },

  publishStandard: async (_parent, args, ctx) => {
    assertRole(ctx.identity, PUBLISHER_ROLES);
    const input = parseInput(publishStandardInput, args.input);
    const meta = { traceId: ctx.requestId };
    const current = await loadForWrite(ctx, args.id);
    const [previous] = current.revisionOf
      ? await ctx.stores.standards.findByIds([current.revisionOf])
      : [];
    const supersedes =
      previous?.status === 'PUBLISHED' ? previous.id : undefined;
    const published = await step(ctx, args.id, checkedBefore, (standard) => {
      const next = publishStandard(standard, input, new Date());
      return { next, events: [ctx.events.published(next, supersedes, meta)] };
    });
    // A second document. The publication stands whatever happens here: its
    // event makes the supersession again if this fails (see supersession.ts).
    await supersedePrevious(ctx, published, meta).catch((error: unknown) =>
      ctx.logger.warn(
        { err: error, standardId: published.id },
        'supersession deferred to the StandardPublished follow-up',
      ),
    );
    return published;
  },

  appointCouncilSeat: async (_parent, args, ctx) => {
    assertRole(ctx.identity, SEAT_APPOINTER_ROLES);
    const { seat, holderId } = parseInput(appointCouncilSeatInput, args, '');
    assertSeatInComposition(seat, ctx.council);
    const roster = await ctx.stores.councilSeats.roster();
    assertOneSeatPerPerson(roster, { seat, holderId });
    const previous = roster.find((h) => h.seat === seat);
    const holder = {
      seat,
      holderId,
      appointedAt: new Date(),
      appointedBy: ctx.identity.subject ?? 'unknown',
    };
    await ctx.stores.councilSeats.appoint(holder, previous, [
      ctx.events.seatAppointed(holder, previous, { traceId: ctx.requestId }),
    ]);
    return holder;
  },

  withdrawStandard: (_parent, args, ctx) => {
    assertRole(ctx.identity, PUBLISHER_ROLES);
    const reason = parseInput(withdrawalReason, args.reason, 'reason');
    return step(ctx, args.id, checkedBefore, (standard) => {
      const next = withdrawStandard(standard, reason, new Date());
      return {
        next,
        events: [ctx.events.withdrawn(next, { traceId: ctx.requestId })],
      };
    });
  },
};
