import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import {
  appointCouncilSeatInput,
  assertOneSeatPerPerson,
  assertSeatInComposition,
  type CouncilSeatHolder,
} from '../domain/council';
import { SEAT_APPOINTER_ROLES, assertRole } from '../domain/permissions';
import type { Context } from '../context';

/**
 * An admin appoints the holder of a council seat (one seat per person),
 * written with its event on the seat's document, conditional on the holder
 * it was read with: CONFLICT `SEAT_CHANGED_CONCURRENTLY` runs it again on
 * the roster that won.
 */
export function appointCouncilSeatCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<CouncilSeatHolder> {
  assertRole(ctx.identity, SEAT_APPOINTER_ROLES);
  const appointment = parseInput(appointCouncilSeatInput, rawArgs, '');
  assertSeatInComposition(appointment.seat, ctx.council);
  return runCommand(appointment, {
    load: () => ctx.stores.councilSeats.roster(),
    authorize: authorizedBeforeLoad,
    decide: (roster, { seat, holderId }) => {
      assertOneSeatPerPerson(roster, { seat, holderId });
      const previous = roster.find((h) => h.seat === seat);
      const holder = {
        seat,
        holderId,
        appointedAt: new Date(),
        appointedBy: ctx.identity.subject ?? 'unknown',
      };
      return { holder, previous };
    },
    save: async (_roster, { holder, previous }) => {
      await ctx.stores.councilSeats.appoint(holder, previous, [
        ctx.events.seatAppointed(holder, previous, { traceId: ctx.requestId }),
      ]);
      return holder;
    },
  });
}
