import { z } from 'zod';
import { COUNCIL_SEATS, COUNCIL_VOTES } from '@conecta/events/contracts';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
} from '@conecta/service-kit/errors';

export type CouncilSeat = (typeof COUNCIL_SEATS)[number];
export type CouncilVoteChoice = (typeof COUNCIL_VOTES)[number];

/** The three sides of the tripartite council. */
export const COUNCIL_SIDES = ['GOVERNMENT', 'EMPLOYER', 'LABOR'] as const;
export type CouncilSide = (typeof COUNCIL_SIDES)[number];

export { COUNCIL_SEATS, COUNCIL_VOTES };

/** The chair's seat: one per council, appointed like the others. */
export const CHAIR_SEAT = 'CHAIR' satisfies CouncilSeat;

/** Seat names available to each side besides the chair (`GOVERNMENT_1` …). */
const SEAT_NAMES_PER_SIDE: Readonly<Record<CouncilSide, number>> = {
  GOVERNMENT: COUNCIL_SEATS.filter((s) => s.startsWith('GOVERNMENT_')).length,
  EMPLOYER: COUNCIL_SEATS.filter((s) => s.startsWith('EMPLOYER_')).length,
  LABOR: COUNCIL_SEATS.filter((s) => s.startsWith('LABOR_')).length,
};

/**
 * Who sits on the technical council and how many votes make a decision.
 * Configuration (`COUNCIL_COMPOSITION`), validated at startup by
 * {@link councilCompositionSchema}.
 */
export interface CouncilComposition {
  /** Name of the composition, as configured. */
  name: string;
  /** The chair: who holds it and the side whose seat it is. */
  chair: { title: string; side: CouncilSide };
  /** Seats of each side besides the chair (`GOVERNMENT_1` … `GOVERNMENT_n`). */
  members: Record<CouncilSide, number>;
  /**
   * Votes that must be cast (abstentions included, the chair counted) before
   * a vote may be decided; besides, every side must have voted (tripartism).
   */
  quorum: number;
}

/** Every seat of a composition: the chair's and each side's members'. */
export function seatsOf(composition: CouncilComposition): CouncilSeat[] {
  return [
    CHAIR_SEAT,
    ...COUNCIL_SIDES.flatMap((side) =>
      Array.from(
        { length: composition.members[side] },
        (_, i) => `${side}_${i + 1}` as CouncilSeat,
      ),
    ),
  ];
}

/** A majority of all seats, the chair counted: the default quorum. */
export function majorityOf(seats: number): number {
  return Math.floor(seats / 2) + 1;
}

/**
 * The composition's rules, checked at startup: each side has at least one
 * seat and no more than the seat names the API has; the quorum is at least
 * three (one vote per side) and a majority of all seats (two disjoint
 * minorities can never both decide), at most every seat.
 */
export const councilCompositionSchema = z
  .object({
    name: z.string().min(1),
    chair: z.object({ title: z.string().min(1), side: z.enum(COUNCIL_SIDES) }),
    members: z.object({
      GOVERNMENT: z.number().int().min(0).max(SEAT_NAMES_PER_SIDE.GOVERNMENT),
      EMPLOYER: z.number().int().min(1).max(SEAT_NAMES_PER_SIDE.EMPLOYER),
      LABOR: z.number().int().min(1).max(SEAT_NAMES_PER_SIDE.LABOR),
    }),
    quorum: z.number().int().min(COUNCIL_SIDES.length),
  })
  .superRefine((composition, ctx) => {
    const seats = seatsOf(composition).length;
    if (composition.quorum > seats)
      ctx.addIssue({
        code: 'custom',
        path: ['quorum'],
        message: `quorum ${composition.quorum} is more than the ${seats} seats`,
      });
    if (composition.quorum < majorityOf(seats))
      ctx.addIssue({
        code: 'custom',
        path: ['quorum'],
        message: `quorum ${composition.quorum} is less than a majority of the ${seats} seats (${majorityOf(seats)})`,
      });
    for (const side of COUNCIL_SIDES) {
      const sideSeats =
        composition.members[side] + (composition.chair.side === side ? 1 : 0);
      if (sideSeats < 1)
        ctx.addIssue({
          code: 'custom',
          path: ['members', side],
          message: `side ${side} has no seat`,
        });
    }
  });

const SECRETARY_OF_EDUCATION = 'Secretary of Education';

/**
 * The compositions `COUNCIL_COMPOSITION` names. `case-study` (the default) is
 * the council the CONOCER case study describes: chaired by the Secretary of
 * Education, with 6 government, 3 employer and 3 union representatives (13
 * seats, quorum 7). `equal-split` is what union and business leaders asked
 * for: three seats per side, the chair being one of the government's three
 * (9 seats, quorum 5).
 */
export const COUNCIL_COMPOSITIONS = {
  'case-study': {
    name: 'case-study',
    chair: { title: SECRETARY_OF_EDUCATION, side: 'GOVERNMENT' },
    members: { GOVERNMENT: 6, EMPLOYER: 3, LABOR: 3 },
    quorum: majorityOf(13),
  },
  'equal-split': {
    name: 'equal-split',
    chair: { title: SECRETARY_OF_EDUCATION, side: 'GOVERNMENT' },
    members: { GOVERNMENT: 2, EMPLOYER: 3, LABOR: 3 },
    quorum: majorityOf(9),
  },
} as const satisfies Record<string, CouncilComposition>;

export type CouncilCompositionName = keyof typeof COUNCIL_COMPOSITIONS;
export const COUNCIL_COMPOSITION_NAMES = Object.keys(COUNCIL_COMPOSITIONS) as [
  CouncilCompositionName,
  ...CouncilCompositionName[],
];
export const DEFAULT_COUNCIL_COMPOSITION: CouncilCompositionName = 'case-study';

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
 * Asserts the seat is one of the composition's: a seat beyond a side's
 * seats (or one the composition has dropped) is neither appointed nor voted.
 *
 * @throws InvalidInputError `SEAT_NOT_IN_COMPOSITION` (field `seat`)
 */
export function assertSeatInComposition(
  seat: CouncilSeat,
  composition: CouncilComposition,
): void {
  if (!seatsOf(composition).includes(seat))
    throw new InvalidInputError(
      'seat',
      `Seat ${seat} is not on the council (${composition.name}: ${describe(composition)})`,
      'SEAT_NOT_IN_COMPOSITION',
    );
}

/** `chair + 6 GOVERNMENT, 3 EMPLOYER, 3 LABOR`, for messages. */
function describe(composition: CouncilComposition): string {
  return `chair + ${COUNCIL_SIDES.map((side) => `${composition.members[side]} ${side}`).join(', ')}`;
}

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

/** The side a seat represents: `EMPLOYER_2` → `EMPLOYER`; the chair's is the composition's. */
export function sideOf(
  seat: CouncilSeat,
  composition: CouncilComposition,
): CouncilSide {
  if (seat === CHAIR_SEAT) return composition.chair.side;
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

/** Whether every seat of the composition has voted (the vote then closes by itself). */
export function allSeatsVoted(
  votes: readonly CouncilVote[],
  composition: CouncilComposition,
): boolean {
  return seatsOf(composition).every((seat) =>
    votes.some((v) => v.seat === seat),
  );
}

/**
 * What the quorum still lacks: how many more votes, and which sides have not
 * voted. Nothing lacking (`null`) means the vote may be decided.
 */
export function quorumShortfall(
  votes: readonly CouncilVote[],
  composition: CouncilComposition,
): { votesMissing: number; sidesMissing: CouncilSide[] } | null {
  const votesMissing = Math.max(0, composition.quorum - votes.length);
  const sidesMissing = COUNCIL_SIDES.filter(
    (side) => !votes.some((v) => sideOf(v.seat, composition) === side),
  );
  return votesMissing > 0 || sidesMissing.length > 0
    ? { votesMissing, sidesMissing }
    : null;
}

/**
 * Decides a closed vote, under the council's composition:
 *
 * - quorum: at least `composition.quorum` votes cast (abstentions count, the
 *   chair counts) and at least one vote from each side (the council is
 *   tripartite);
 * - approved when strictly more seats are in favour than against
 *   (abstentions count for neither), rejected when more are against;
 * - a tie is decided by the chair's vote (casting vote): in favour approves,
 *   against rejects; a tie the chair did not vote in, or abstained in,
 *   rejects (nothing was carried).
 *
 * @throws ConflictError `COUNCIL_QUORUM_NOT_MET` when the quorum is not met
 */
export function decide(
  votes: readonly CouncilVote[],
  composition: CouncilComposition,
): { approved: boolean; tally: CouncilTally; castingVote: boolean } {
  const shortfall = quorumShortfall(votes, composition);
  if (shortfall)
    throw new ConflictError(
      'COUNCIL_QUORUM_NOT_MET',
      [
        `The vote needs ${composition.quorum} votes cast and one from each side`,
        shortfall.votesMissing > 0
          ? `${shortfall.votesMissing} more vote(s) needed`
          : '',
        shortfall.sidesMissing.length > 0
          ? `missing sides: ${shortfall.sidesMissing.join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  const counts = tally(votes);
  if (counts.inFavor !== counts.against)
    return {
      approved: counts.inFavor > counts.against,
      tally: counts,
      castingVote: false,
    };
  return {
    approved: votes.find((v) => v.seat === CHAIR_SEAT)?.vote === 'IN_FAVOR',
    tally: counts,
    castingVote: decidedByCastingVote(votes),
  };
}

/**
 * Whether the chair's casting vote decided these votes: a tie between in
 * favour and against, and the chair voted one of them.
 */
export function decidedByCastingVote(votes: readonly CouncilVote[]): boolean {
  const counts = tally(votes);
  const chair = votes.find((v) => v.seat === CHAIR_SEAT)?.vote;
  return (
    counts.inFavor === counts.against &&
    (chair === 'IN_FAVOR' || chair === 'AGAINST')
  );
}
