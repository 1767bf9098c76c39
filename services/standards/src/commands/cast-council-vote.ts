import { authorizedBeforeLoad, runCommand } from '@conecta/service-kit';
import {
  assertHoldsSeat,
  assertSeatInComposition,
  type CouncilSeat,
  type CouncilVoteChoice,
} from '../domain/council';
import { VOTER_ROLES, assertRole, voterOf } from '../domain/permissions';
import { castCouncilVote, type CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { loadStandard, saveChange } from './load';

/**
 * A council member votes through the seat they hold; the last seat's vote
 * closes the vote. Who may vote through the seat is checked before the
 * standard is read (the seat's holder, whatever the standard).
 */
export async function castCouncilVoteCommand(
  ctx: Context,
  args: { id: string; seat: CouncilSeat; vote: CouncilVoteChoice },
): Promise<CompetencyStandard> {
  assertRole(ctx.identity, VOTER_ROLES);
  const voter = voterOf(ctx.identity);
  assertSeatInComposition(args.seat, ctx.council);
  const roster = await ctx.stores.councilSeats.roster();
  assertHoldsSeat(
    roster.find((h) => h.seat === args.seat),
    args.seat,
    voter,
  );
  return runCommand(args, {
    load: ({ id }) => loadStandard(ctx, id),
    authorize: authorizedBeforeLoad,
    decide: ({ standard }, { seat, vote }) => {
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
    },
    save: ({ standard }, change) => saveChange(ctx, standard, change),
  });
}
