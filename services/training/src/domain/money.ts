/**
 * The money rules of the brokerage. Money is integer centavos (MXN) and rates
 * are integer basis points (1 bp = 0.01 %), so every amount is exact.
 *
 * Rounding rule (the only one): every percentage of an amount is taken by
 * FLOOR (`floor(amount × bps / 10_000)`) and the remainder absorbs the
 * centavos — negotiated price = market − discount, participant share = total −
 * fund contribution. So the fund never pays a centavo above its share, a
 * discount never exceeds its rate, and the parts always sum exactly to the total.
 */

/** 100 % in basis points. */
export const FULL_BPS = 10_000;
/** The public fund never pays more than 80 % of the cost (DESIGN.md §2). */
export const MAX_FUND_SHARE_BPS = 8_000;
/**
 * The vendor discount cap when `VENDOR_DISCOUNT_CAP_BPS` is unset: the seeds
 * say vendor discounts go "up to 70 %" (issue 17, item 5).
 */
export const DEFAULT_DISCOUNT_CAP_BPS = 7_000;
/**
 * The highest cap configuration may set (90 %, the cap before issue 17), and
 * the highest discount a stored agreement is priced with: agreements signed
 * under that cap keep reading and pricing after the cap is lowered.
 */
export const DISCOUNT_CEILING_BPS = 9_000;
/** A broker markup above 30 % is not "small": refused at configuration. */
export const MAX_BROKER_MARKUP_BPS = 3_000;
/**
 * The highest market price per participant we accept, 10 million MXN: keeps
 * `amount × bps` and project totals far below Number.MAX_SAFE_INTEGER.
 */
export const MAX_PRICE_CENTAVOS = 1_000_000_000;

/** `floor(amount × bps / 10_000)` for non-negative safe integers. */
export function percentOf(amountCentavos: number, bps: number): number {
  assertCentavos(amountCentavos, 'amount');
  if (!Number.isInteger(bps) || bps < 0 || bps > FULL_BPS)
    throw new RangeError(`rate must be 0–${FULL_BPS} bps, got ${bps}`);
  return Math.floor((amountCentavos * bps) / FULL_BPS);
}

/** The terms a price is computed from. */
export interface PricingTerms {
  /** Market (list) price per participant: training plus exam vouchers, centavos. */
  marketPriceCentavos: number;
  /** Discount negotiated with the provider, 0–9 000 bps (new ones: 0–the configured cap). */
  discountBps: number;
  /** The broker's markup on the negotiated price, 0–3 000 bps. */
  brokerMarkupBps: number;
  /** Share of the total the public fund pays, 0–8 000 bps. */
  fundShareBps: number;
}

/**
 * One breakdown: market price → discount → negotiated price → broker fee →
 * total → fund contribution → participant (or company) share.
 * Invariants: negotiated + discount = market; negotiated + brokerFee = total;
 * fundContribution + participantShare = total; all ≥ 0.
 */
export interface CostBreakdown {
  marketPriceCentavos: number;
  discountCentavos: number;
  negotiatedPriceCentavos: number;
  brokerFeeCentavos: number;
  totalCentavos: number;
  fundContributionCentavos: number;
  participantShareCentavos: number;
}

/** The per-participant breakdown under `terms` (rounding rule: see the module comment). */
export function participantBreakdown(terms: PricingTerms): CostBreakdown {
  assertCentavos(terms.marketPriceCentavos, 'marketPriceCentavos');
  if (terms.marketPriceCentavos > MAX_PRICE_CENTAVOS)
    throw new RangeError('marketPriceCentavos is above the supported maximum');
  assertRate(terms.discountBps, DISCOUNT_CEILING_BPS, 'discountBps');
  assertRate(terms.brokerMarkupBps, MAX_BROKER_MARKUP_BPS, 'brokerMarkupBps');
  assertRate(terms.fundShareBps, MAX_FUND_SHARE_BPS, 'fundShareBps');

  const market = terms.marketPriceCentavos;
  const discount = percentOf(market, terms.discountBps);
  const negotiated = market - discount;
  const brokerFee = percentOf(negotiated, terms.brokerMarkupBps);
  const total = negotiated + brokerFee;
  const fund = percentOf(total, terms.fundShareBps);
  return {
    marketPriceCentavos: market,
    discountCentavos: discount,
    negotiatedPriceCentavos: negotiated,
    brokerFeeCentavos: brokerFee,
    totalCentavos: total,
    fundContributionCentavos: fund,
    participantShareCentavos: total - fund,
  };
}

/**
 * The project breakdown: each line of the per-participant breakdown times the
 * number of participants. Multiplying (rather than re-rounding the project
 * total) keeps the per-participant and project views consistent to the centavo,
 * and every invariant survives multiplication.
 */
export function projectBreakdown(
  perParticipant: CostBreakdown,
  participants: number,
): CostBreakdown {
  if (!Number.isSafeInteger(participants) || participants < 0)
    throw new RangeError('participants must be a non-negative integer');
  const times = (value: number) => {
    const product = value * participants;
    if (!Number.isSafeInteger(product))
      throw new RangeError('project total is too large');
    return product;
  };
  return {
    marketPriceCentavos: times(perParticipant.marketPriceCentavos),
    discountCentavos: times(perParticipant.discountCentavos),
    negotiatedPriceCentavos: times(perParticipant.negotiatedPriceCentavos),
    brokerFeeCentavos: times(perParticipant.brokerFeeCentavos),
    totalCentavos: times(perParticipant.totalCentavos),
    fundContributionCentavos: times(perParticipant.fundContributionCentavos),
    participantShareCentavos: times(perParticipant.participantShareCentavos),
  };
}

/** "$1,234.50 MXN" for explanations (es-MX grouping, two decimals). */
export function formatMxn(centavos: number): string {
  const sign = centavos < 0 ? '-' : '';
  const abs = Math.abs(centavos);
  const pesos = Math.floor(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}$${pesos}.${cents} MXN`;
}

/** "70%" or "12.5%" from basis points. */
export function formatBps(bps: number): string {
  return `${Number((bps / 100).toFixed(2))}%`;
}

function assertCentavos(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer of centavos`);
}

function assertRate(value: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${name} must be an integer 0–${max} bps`);
}
