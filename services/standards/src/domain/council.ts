import { z } from 'zod';
import { COUNCIL_SEATS, COUNCIL_VOTES } from '@conecta/events/contracts';
import { ConflictError, ForbiddenError } from '@conecta/service-kit/errors';

export type CouncilSeat = (typeof COUNCIL_SEATS)[number];
export type CouncilVoteChoice = (typeof COUNCIL_VOTES)[number];
export type CouncilSide = 'GOVERNMENT' | 'EMPLOYER' | 'LABOR';

export { COUNCIL_SEATS, COUNCIL_VOTES };

/** One seat's vote, with who cast it (kept, not exposed: the seat is public). */
export interface CouncilVote {
  seat: CouncilSeat;
  vote: CouncilVoteChoice;
  /** The council member (identity subject) who cast it. */
  voter: string;
  castAt: Date;
}

export interface CouncilTally {
  inFavor: number;
  against: number;
  abstentions: number;
}

/** Who holds a council seat: appointed by an admin, the only one who may vote through it. */
export interface CouncilSeatHolder {
  seat: CouncilSeat;
  /** The holder's identity subject (an opaque account id). */
  holderId: string;
  appointedAt: Date;
  /** The admin (identity subject) who made the appointment. */
  appointedBy: string;
}

/** Input of `appointCouncilSeat`. */
export const appointCouncilSeatInput = z.object({
  seat: z.enum(COUNCIL_SEATS),
  holderId: z.string().trim().min(1).max(200),
});

/**
 * Asserts nobody else's seat is being given to a person who already holds one:
 * one person, one seat (re-appointing the same holder to the same seat is fine).
 *
 * @throws ConflictError `HOLDS_ANOTHER_SEAT` (field `holderId`)
 */
export function assertOneSeatPerPerson(
  roster: readonly CouncilSeatHolder[],
  appointment: { seat: CouncilSeat; holderId: string },
): void {
  const other = roster.find(
    (h) => h.holderId === appointment.holderId && h.seat !== appointment.seat,
  );
  if (other)
    throw new ConflictError(
      'HOLDS_ANOTHER_SEAT',
      `This person already holds seat ${other.seat}; one person holds one seat`,
      'holderId',
    );
}

/**
 * Asserts the caller holds the seat they vote through.
 *
 * @throws ForbiddenError `SEAT_NOT_HELD`
 */
export function assertHoldsSeat(
  holder: CouncilSeatHolder | undefined,
  seat: CouncilSeat,
  voter: string,
): void {
  if (holder?.holderId !== voter)
    throw new ForbiddenError(
      `Only the person appointed to seat ${seat} may cast its vote`,
      'SEAT_NOT_HELD',
    );
}

/** The side a seat represents: `EMPLOYER_2` → `EMPLOYER`. */
export function sideOf(seat: CouncilSeat): CouncilSide {
  return seat.slice(0, seat.lastIndexOf('_')) as CouncilSide;
}

/**
 * Adds a seat's vote. A seat votes once, and one person holds one seat per
 * standard (so nobody votes twice through two seats).
 *
 * @throws ConflictError `SEAT_ALREADY_VOTED` or `VOTER_ALREADY_VOTED`
 */
export function addVote(
  votes: readonly CouncilVote[],
  vote: CouncilVote,
): CouncilVote[] {
  if (votes.some((v) => v.seat === vote.seat))
    throw new ConflictError(
      'SEAT_ALREADY_VOTED',
      `Seat ${vote.seat} has already voted on this standard`,
      'seat',
    );
  if (votes.some((v) => v.voter === vote.voter))
    throw new ConflictError(
      'VOTER_ALREADY_VOTED',
      'You have already voted on this standard through another seat',
    );
  return [...votes, vote];
}

export function tally(votes: readonly CouncilVote[]): CouncilTally {
  return {
    inFavor: votes.filter((v) => v.vote === 'IN_FAVOR').length,
    against: votes.filter((v) => v.vote === 'AGAINST').length,
    abstentions: votes.filter((v) => v.vote === 'ABSTAIN').length,
  };
}

/** Whether every seat has voted (the vote then closes by itself). */
export function allSeatsVoted(votes: readonly CouncilVote[]): boolean {
  return COUNCIL_SEATS.every((seat) => votes.some((v) => v.seat === seat));
}

/**
 * Decides a closed vote: approved when strictly more seats are in favour than
 * against (abstentions count for neither); a tie — including no votes either
 * way — rejects. The council is tripartite, so a decision needs at least one
 * vote from each side (quorum).
 *
 * @throws ConflictError `COUNCIL_QUORUM_NOT_MET` when a side has not voted
 */
export function decide(votes: readonly CouncilVote[]): {
  approved: boolean;
  tally: CouncilTally;
} {
  const missing = (['GOVERNMENT', 'EMPLOYER', 'LABOR'] as const).filter(
    (side) => !votes.some((v) => sideOf(v.seat) === side),
  );
  if (missing.length > 0)
    throw new ConflictError(
      'COUNCIL_QUORUM_NOT_MET',
      `The vote needs at least one vote from each side; missing: ${missing.join(', ')}`,
    );
  const counts = tally(votes);
  return { approved: counts.inFavor > counts.against, tally: counts };
}
