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
  signedAt: Date;
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
  });
export type SignAgreementInput = z.input<ReturnType<typeof signAgreementInput>>;

/**
 * A new agreement. Its market price is the input's, or for a credential the
 * catalog's training price plus one exam per voucher.
 *
 * @throws InvalidInputError DATES_REVERSED, DATE_IN_PAST (validUntil), NO_DELIVERY
 *   (no state and not online), MARKET_PRICE_REQUIRED (a standard without price)
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
    signedAt: ctx.now,
  };
}

/** Whether the agreement delivers in `state` (in person there, or online). */
export const servesState = (agreement: Agreement, state: StateCode): boolean =>
  agreement.online || agreement.states.includes(state);
