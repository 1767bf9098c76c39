import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  ConflictError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';
import type { EventEnvelope } from '@conecta/events';
import type { CommitteeView } from '../domain/committee';
import {
  PUBLISHER_ROLES,
  REVIEWER_ROLES,
  VOTER_ROLES,
  assertCanWriteFor,
  assertRole,
} from '../domain/permissions';
import { runAutomatedChecks } from '../domain/review';
import {
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
 * One lifecycle step: load the current state, authorize, let the domain
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
const asRole = (ctx: Context, roles: Parameters<typeof assertRole>[1]) => () =>
  assertRole(ctx.identity, roles);

export const Mutation: MutationResolvers = {
  draftStandard: async (_parent, args, ctx) => {
    const input = parseInput(draftStandardInput, args.input);
    const committee = await committeeOf(ctx, input.committeeId);
    assertCanWriteFor(ctx.identity, committee);
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

  startReview: (_parent, { id }, ctx) =>
    step(ctx, id, asRole(ctx, REVIEWER_ROLES), (standard) => {
      const next = startReview(standard, new Date());
      return {
        next,
        events: [ctx.events.reviewStarted(next, { traceId: ctx.requestId })],
      };
    }),

  returnStandard: (_parent, args, ctx) => {
    const findings = parseInput(findingsInput, args.findings, 'findings');
    return step(
      ctx,
      args.id,
      asRole(ctx, REVIEWER_ROLES),
      (standard, committee) => {
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
      },
    );
  },

  sendToCouncil: (_parent, { id }, ctx) =>
    step(ctx, id, asRole(ctx, REVIEWER_ROLES), (standard, committee) => {
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
    }),

  castCouncilVote: (_parent, { id, seat, vote }, ctx) =>
    step(ctx, id, asRole(ctx, VOTER_ROLES), (standard) => {
      const voter = ctx.identity.subject;
      if (!voter)
        throw new UnauthenticatedError(
          'A council vote must be cast by a signed-in person',
        );
      const now = new Date();
      const cast = { seat, vote, voter, castAt: now };
      const next = castCouncilVote(standard, cast, now);
      const meta = { traceId: ctx.requestId };
      return {
        next,
        events: [
          ctx.events.voteCast(next, cast, meta),
          // The sixth seat's vote closes the vote.
          ...(next.status === 'IN_COUNCIL_VOTE'
            ? []
            : [ctx.events.decided(next, meta)]),
        ],
      };
    }),

  closeCouncilVote: (_parent, { id }, ctx) =>
    step(ctx, id, asRole(ctx, VOTER_ROLES), (standard) => {
      const next = closeCouncilVote(standard, new Date());
      return {
        next,
        events: [ctx.events.decided(next, { traceId: ctx.requestId })],
      };
    }),

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
    const published = await step(
      ctx,
      args.id,
      () => {},
      (standard) => {
        const next = publishStandard(standard, input, new Date());
        return { next, events: [ctx.events.published(next, supersedes, meta)] };
      },
    );
    // A second document: see supersession.ts for what happens on a crash here.
    await supersedePrevious(ctx, published, meta);
    return published;
  },

  withdrawStandard: (_parent, args, ctx) => {
    const reason = parseInput(withdrawalReason, args.reason, 'reason');
    return step(ctx, args.id, asRole(ctx, PUBLISHER_ROLES), (standard) => {
      const next = withdrawStandard(standard, reason, new Date());
      return {
        next,
        events: [ctx.events.withdrawn(next, { traceId: ctx.requestId })],
      };
    });
  },
};
