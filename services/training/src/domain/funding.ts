import { z } from 'zod';
import { InvalidInputError } from '@conecta/service-kit/errors';
import { bpsField } from './common';
import type { Enrollment } from './enrollment';
import { isCertified, type CertificateFact } from './indicators';
import { FULL_BPS, MAX_PRICE_CENTAVOS, formatMxn } from './money';

/**
 * Prosoft's rule (issue 17, item 4): the seeds' fund pays for training on the
 * basis of certifications. A project's public contribution (the fund's share
 * of the project's cost, `ProjectCost.project.fundContribution`) can be paid
 * as an upfront share plus an amount per trainee certified on the project's
 * target standard; closing the project settles what the fund owes.
 *
 * Rounding rule: the upfront amount is `floor(contribution × upfrontBps /
 * 10_000)` (the rule of every percentage, see money.ts); the per-certified
 * amount is whole centavos; what is owed is `upfront + perCertified ×
 * certified`, capped at the contribution. Every centavo not owed (the floor's
 * remainder, trainees not certified, the cap) stays with the fund:
 * `owed + unpaid = contribution` exactly.
 */

/** How the public contribution is paid: part upfront, part per certified trainee. */
export interface FundingSplit {
  /** Share of the public contribution paid upfront, basis points of it (0–10 000). */
  upfrontBps: number;
  /** Paid per trainee certified on the project's target standard, centavos. */
  perCertifiedCentavos: number;
}

/** The split's amounts at a given contribution. */
export interface FundingTerms extends FundingSplit {
  /** The public contribution the amounts are of (and capped at), centavos. */
  contributionCentavos: number;
  /** `floor(contribution × upfrontBps / 10_000)`. */
  upfrontCentavos: number;
  /** What the fund pays if every participant is certified: upfront + perCertified × participants, capped at the contribution. */
  maximumCentavos: number;
}

/** What the fund owes a closed project, recorded when it closed. */
export interface FundingSettlement extends FundingSplit {
  /** The approved public contribution: the most the fund ever pays. */
  contributionCentavos: number;
  upfrontCentavos: number;
  /** The project's trainees certified on its target standard when it closed (people, not certificates). */
  certified: number;
  /** min(contribution, upfront + perCertified × certified). */
  owedCentavos: number;
  /** contribution − owed: the balance the fund does not pay. */
  unpaidCentavos: number;
  settledAt: Date;
}

/** A split as a mutation takes it (`input.fundingSplit`). */
export const fundingSplitInput = z.object({
  upfrontBps: bpsField(FULL_BPS, 'UPFRONT_SHARE_OUT_OF_RANGE'),
  perCertifiedCentavos: z
    .number()
    .int('must be whole centavos')
    .min(0, 'must not be negative')
    // A certified trainee is never worth more than the dearest course we price.
    .max(MAX_PRICE_CENTAVOS, `must be at most ${MAX_PRICE_CENTAVOS} centavos`),
});

/**
 * `floor(contribution × upfrontBps / 10_000)`, exact for any safe contribution:
 * a project's contribution may pass 2^53 / 10_000 (≈ 9 billion pesos), where
 * money.ts's `percentOf` would multiply past exact floats, so this one
 * multiplies in BigInt.
 */
export function upfrontOf(contributionCentavos: number, upfrontBps: number) {
  assertCount(contributionCentavos, 'contributionCentavos');
  if (!Number.isInteger(upfrontBps) || upfrontBps < 0 || upfrontBps > FULL_BPS)
    throw new RangeError(`upfrontBps must be 0–${FULL_BPS}, got ${upfrontBps}`);
  return Number(
    (BigInt(contributionCentavos) * BigInt(upfrontBps)) / BigInt(FULL_BPS),
  );
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer`);
}

/**
 * `upfront + perCertified × count`, capped at `contribution`. The cap is taken
 * before multiplying past it, so the answer is exact for any count.
 */
function owedAt(
  contribution: number,
  split: FundingSplit,
  count: number,
): { upfront: number; owed: number } {
  assertCount(count, 'count');
  assertCount(split.perCertifiedCentavos, 'perCertifiedCentavos');
  const upfront = upfrontOf(contribution, split.upfrontBps);
  const room = contribution - upfront;
  // A product within `room` (< 2^53) is exact; one beyond 2^53 is rounded
  // but stays above `room`, so the comparison never errs.
  const product = split.perCertifiedCentavos * count;
  return { upfront, owed: upfront + Math.min(product, room) };
}

/** The split's amounts at `contributionCentavos` for `participants` trainees. */
export function fundingTerms(
  split: FundingSplit,
  contributionCentavos: number,
  participants: number,
): FundingTerms {
  const { upfront, owed } = owedAt(contributionCentavos, split, participants);
  return {
    ...split,
    contributionCentavos,
    upfrontCentavos: upfront,
    maximumCentavos: owed,
  };
}

/**
 * Refuses a split whose maximum (every participant certified) would exceed
 * the contribution it is drafted against: the fund could not pay what it
 * promises per trainee. `field` names the split input (`input.fundingSplit`).
 *
 * @throws InvalidInputError `SPLIT_ABOVE_CONTRIBUTION` on `<field>.perCertified`
 */
export function assertSplitFits(
  split: FundingSplit,
  contributionCentavos: number,
  participants: number,
  field: string,
): void {
  const upfront = upfrontOf(contributionCentavos, split.upfrontBps);
  const room = contributionCentavos - upfront;
  if (split.perCertifiedCentavos * participants > room)
    throw new InvalidInputError(
      `${field}.perCertified`,
      `must be at most ${formatMxn(participants === 0 ? room : Math.floor(room / participants))} per certified trainee: ` +
        `the contribution of ${formatMxn(contributionCentavos)} less ${formatMxn(upfront)} upfront ` +
        `leaves ${formatMxn(room)} for ${participants} participants`,
      'SPLIT_ABOVE_CONTRIBUTION',
    );
}

/**
 * What the fund owes at close: the upfront amount plus the per-certified
 * amount for each of `certified` trainees, never above the contribution.
 */
export function settleFunding(
  split: FundingSplit,
  contributionCentavos: number,
  certified: number,
  settledAt: Date,
): FundingSettlement {
  const { upfront, owed } = owedAt(contributionCentavos, split, certified);
  return {
    ...split,
    contributionCentavos,
    upfrontCentavos: upfront,
    certified,
    owedCentavos: owed,
    unpaidCentavos: contributionCentavos - owed,
    settledAt,
  };
}

/**
 * How many of a project's trainees are certified on `standardId`: distinct
 * people with an enrollment in one of its cohorts that {@link isCertified}
 * (an unrevoked certificate on the standard issued on or after enrolling; a
 * drop-out does not count). A person enrolled in two of its cohorts counts once.
 */
export function certifiedTrainees(
  enrollments: readonly Enrollment[],
  standardId: string | null,
  certificates: readonly CertificateFact[],
): number {
  return new Set(
    enrollments
      .filter((e) => isCertified(e, standardId, certificates))
      .map((e) => e.personId),
  ).size;
}
