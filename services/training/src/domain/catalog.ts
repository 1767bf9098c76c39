import { z } from 'zod';
import { InvalidInputError } from '@conecta/service-kit/errors';
import {
  DEFAULT_DISCOUNT_CAP_BPS,
  DISCOUNT_CEILING_BPS,
  MAX_PRICE_CENTAVOS,
} from './money';
import {
  assertFuture,
  assertOrdered,
  bpsField,
  targetInput,
  type Target,
} from './common';
import { stateCodeSchema, type StateCode } from '@conecta/mexico';

/** An industry certification of a global vendor, with its market prices. */
export interface VendorCredential {
  id: string;
  vendor: string;
  name: string;
  code: string;
  examMarketPriceCentavos: number;
  trainingMarketPriceCentavos: number;
  /** The competency standard it is aligned with (its certificates count as certified). */
  standardId: string | null;
  registeredAt: Date;
}

const priceField = z
  .number()
  .int('must be whole centavos')
  .min(0, 'must not be negative')
  .max(MAX_PRICE_CENTAVOS, `must be at most ${MAX_PRICE_CENTAVOS} centavos`);

export const registerCredentialInput = z.object({
  vendor: z.string().trim().min(1, 'must not be empty').max(120),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  code: z.string().trim().min(1, 'must not be empty').max(60),
  examMarketPriceCentavos: priceField,
  trainingMarketPriceCentavos: priceField,
  standardId: z.uuid().nullish(),
});
export type RegisterCredentialInput = z.input<typeof registerCredentialInput>;

export function registerCredential(
  input: z.output<typeof registerCredentialInput>,
  ctx: { id: string; now: Date },
): VendorCredential {
  return {
    id: ctx.id,
    vendor: input.vendor,
    name: input.name,
    code: input.code.toUpperCase(),
    examMarketPriceCentavos: input.examMarketPriceCentavos,
    trainingMarketPriceCentavos: input.trainingMarketPriceCentavos,
    standardId: input.standardId ?? null,
    registeredAt: ctx.now,
  };
}

/** A deal negotiated with a training provider for a standard or credential. */
export interface Agreement {
  id: string;
  providerId: string;
  target: Target;
  /**
   * Discount on the market price, basis points: at most the vendor discount
   * cap configured when signed (0–9 000; an agreement signed under a higher
   * cap keeps its discount).
   */
  discountBps: number;
  extraTrainingHours: number;
  examVouchersPerParticipant: number;
  /** Market price per participant this deal is measured against (centavos). */
  marketPriceCentavos: number;
  validFrom: Date;
  validUntil: Date;
  minCohortSize: number;
  /** States where it delivers in person. */
  states: StateCode[];
  /** Whether it also delivers online (serves every state). */
  online: boolean;
  /**
   * The program's length in training hours, as delivered. Agreements signed
   * before it existed read {@link DEFAULT_PROGRAM_HOURS}.
   */
  durationHours: number;
  /**
   * How many calendar weeks a cohort of the program runs, first day to last:
   * what the deadline check of matching uses. Agreements signed before it
   * existed read {@link DEFAULT_PROGRAM_WEEKS}.
   */
  durationWeeks: number;
  signedAt: Date;
}

/**
 * The program length assumed for agreements signed before durations were
 * recorded (and for new ones that omit it): 40 hours, a typical vendor
 * certification course (five 8-hour days)...
 */
export const DEFAULT_PROGRAM_HOURS = 40;
/**
 * ...spread over 8 weeks (5 hours a week, evenings for people who work): the
 * conservative reading, so matching never promises a legacy agreement finishes
 * sooner than it may.
 */
export const DEFAULT_PROGRAM_WEEKS = 8;
/** The longest program an agreement may carry, in weeks (two years). */
export const MAX_PROGRAM_WEEKS = 104;
/** The longest program in hours (the ceiling of extra hours, too). */
export const MAX_PROGRAM_HOURS = 2_000;
/** More than 60 training hours a week is not a program people can follow. */
export const MAX_HOURS_PER_WEEK = 60;

/**
 * An agreement as stored: one signed before durations were recorded has none,
 * and reads the defaults (README: Decisions, program duration).
 */
export function withProgramDefaults(
  stored: Omit<Agreement, 'durationHours' | 'durationWeeks'> &
    Partial<Pick<Agreement, 'durationHours' | 'durationWeeks'>>,
): Agreement {
  return {
    ...stored,
    durationHours: stored.durationHours ?? DEFAULT_PROGRAM_HOURS,
    durationWeeks: stored.durationWeeks ?? DEFAULT_PROGRAM_WEEKS,
  };
}

/**
 * The input of a new agreement under a vendor discount cap (configuration,
 * `VENDOR_DISCOUNT_CAP_BPS`; default 7 000 = 70 %, the seeds' figure). A
 * discount above the cap is `DISCOUNT_OUT_OF_RANGE` naming the cap.
 *
 * @throws RangeError when the cap itself is outside 0–9 000 (config refuses it first)
 */
export const signAgreementInput = (
  discountCapBps: number = DEFAULT_DISCOUNT_CAP_BPS,
) => {
  if (
    !Number.isInteger(discountCapBps) ||
    discountCapBps < 0 ||
    discountCapBps > DISCOUNT_CEILING_BPS
  )
    throw new RangeError(
      `the vendor discount cap must be 0–${DISCOUNT_CEILING_BPS} bps, got ${discountCapBps}`,
    );
  return signAgreementShape(discountCapBps);
};

const signAgreementShape = (discountCapBps: number) =>
  z.object({
    providerId: z.uuid(),
    target: targetInput,
    discountBps: bpsField(
      discountCapBps,
      'DISCOUNT_OUT_OF_RANGE',
      'the vendor discount cap',
    ),
    extraTrainingHours: z
      .number()
      .int()
      .min(0, 'must not be negative')
      .max(2_000),
    examVouchersPerParticipant: z
      .number()
      .int()
      .min(0, 'must not be negative')
      .max(10),
    marketPriceCentavos: priceField.nullish(),
    validFrom: z.date(),
    validUntil: z.date(),
    minCohortSize: z.number().int().min(1, 'must be at least 1').max(1_000),
    states: z.array(stateCodeSchema).max(32).default([]),
    online: z.boolean().default(false),
    durationHours: z
      .number()
      .int('must be whole hours')
      .min(1, 'must be at least 1')
      .max(MAX_PROGRAM_HOURS, `must be at most ${MAX_PROGRAM_HOURS}`)
      .nullish(),
    durationWeeks: z
      .number()
      .int('must be whole weeks')
      .min(1, 'must be at least 1')
      .max(MAX_PROGRAM_WEEKS, `must be at most ${MAX_PROGRAM_WEEKS}`)
      .nullish(),
  });
export type SignAgreementInput = z.input<ReturnType<typeof signAgreementInput>>;

/**
 * A new agreement. Its market price is the input's, or for a credential the
 * catalog's training price plus one exam per voucher.
 *
 * Its program lasts `durationHours` over `durationWeeks` (each defaulting to
 * {@link DEFAULT_PROGRAM_HOURS} / {@link DEFAULT_PROGRAM_WEEKS}); at most
 * {@link MAX_HOURS_PER_WEEK} hours a week.
 *
 * @throws InvalidInputError DATES_REVERSED, DATE_IN_PAST (validUntil), NO_DELIVERY
 *   (no state and not online), MARKET_PRICE_REQUIRED (a standard without price),
 *   DURATION_TOO_DENSE (more than 60 hours a week)
 */
export function signAgreement(
  input: z.output<ReturnType<typeof signAgreementInput>>,
  credential: VendorCredential | null,
  ctx: { id: string; now: Date },
): Agreement {
  assertOrdered(
    input.validFrom,
    input.validUntil,
    'input.validUntil',
    'validFrom',
  );
  assertFuture(input.validUntil, ctx.now, 'input.validUntil');
  if (input.states.length === 0 && !input.online)
    throw new InvalidInputError(
      'input.states',
      'list at least one state served in person, or set online',
      'NO_DELIVERY',
    );
  const marketPrice =
    input.marketPriceCentavos ??
    (credential
      ? credential.trainingMarketPriceCentavos +
        credential.examMarketPriceCentavos * input.examVouchersPerParticipant
      : null);
  if (marketPrice === null)
    throw new InvalidInputError(
      'input.marketPriceCentavos',
      'is required for a competency standard (it has no catalog price)',
      'MARKET_PRICE_REQUIRED',
    );
  if (marketPrice > MAX_PRICE_CENTAVOS)
    throw new InvalidInputError(
      'input.marketPriceCentavos',
      `must be at most ${MAX_PRICE_CENTAVOS} centavos`,
    );
  const durationHours = input.durationHours ?? DEFAULT_PROGRAM_HOURS;
  const durationWeeks = input.durationWeeks ?? DEFAULT_PROGRAM_WEEKS;
  if (durationHours > durationWeeks * MAX_HOURS_PER_WEEK)
    throw new InvalidInputError(
      'input.durationHours',
      `must be at most ${MAX_HOURS_PER_WEEK} hours a week: ${durationHours} hours in ${durationWeeks} week(s) is ${Math.ceil(durationHours / durationWeeks)} a week`,
      'DURATION_TOO_DENSE',
    );
  return {
    id: ctx.id,
    providerId: input.providerId,
    target: input.target,
    discountBps: input.discountBps,
    extraTrainingHours: input.extraTrainingHours,
    examVouchersPerParticipant: input.examVouchersPerParticipant,
    marketPriceCentavos: marketPrice,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    minCohortSize: input.minCohortSize,
    states: [...new Set(input.states)],
    online: input.online,
    durationHours,
    durationWeeks,
    signedAt: ctx.now,
  };
}

/** Whether the agreement delivers in `state` (in person there, or online). */
export const servesState = (agreement: Agreement, state: StateCode): boolean =>
  agreement.online || agreement.states.includes(state);
