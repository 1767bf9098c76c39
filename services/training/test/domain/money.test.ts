import fc from 'fast-check';
import {
  MAX_BROKER_MARKUP_BPS,
  DISCOUNT_CEILING_BPS,
  MAX_FUND_SHARE_BPS,
  MAX_PRICE_CENTAVOS,
  formatMxn,
  participantBreakdown,
  percentOf,
  projectBreakdown,
  type CostBreakdown,
  type PricingTerms,
} from '../../src/domain/money';

const terms: fc.Arbitrary<PricingTerms> = fc.record({
  marketPriceCentavos: fc.integer({ min: 0, max: MAX_PRICE_CENTAVOS }),
  discountBps: fc.integer({ min: 0, max: DISCOUNT_CEILING_BPS }),
  brokerMarkupBps: fc.integer({ min: 0, max: MAX_BROKER_MARKUP_BPS }),
  fundShareBps: fc.integer({ min: 0, max: MAX_FUND_SHARE_BPS }),
});
const participants = fc.integer({ min: 0, max: 100_000 });

const lines = (b: CostBreakdown) => Object.values(b);

describe('the cost breakdown', () => {
  it('follows a 70% discount, 5% broker fee and 50% fund share on a $24,000 course to the centavo', () => {
    expect(
      participantBreakdown({
        marketPriceCentavos: 2_400_000,
        discountBps: 7_000,
        brokerMarkupBps: 500,
        fundShareBps: 5_000,
      }),
    ).toEqual({
      marketPriceCentavos: 2_400_000,
      discountCentavos: 1_680_000,
      negotiatedPriceCentavos: 720_000,
      brokerFeeCentavos: 36_000,
      totalCentavos: 756_000,
      fundContributionCentavos: 378_000,
      participantShareCentavos: 378_000,
    });
  });

  it('takes every percentage by floor and lets the remainder absorb the odd centavo', () => {
    const b = participantBreakdown({
      marketPriceCentavos: 99_999,
      discountBps: 3_333,
      brokerMarkupBps: 250,
      fundShareBps: 8_000,
    });
    // 99_999 × 33.33% = 33_329.66… → 33_329; negotiated 66_670
    expect(b.discountCentavos).toBe(33_329);
    expect(b.negotiatedPriceCentavos).toBe(66_670);
    // 66_670 × 2.5% = 1_666.75 → 1_666; total 68_336
    expect(b.brokerFeeCentavos).toBe(1_666);
    expect(b.totalCentavos).toBe(68_336);
    // 68_336 × 80% = 54_668.8 → 54_668; the participant pays the other 13_668
    expect(b.fundContributionCentavos).toBe(54_668);
    expect(b.participantShareCentavos).toBe(13_668);
  });

  it('refuses a fund share above 80%, a discount above 90% and fractional centavos', () => {
    const base = {
      marketPriceCentavos: 100_000,
      discountBps: 5_000,
      brokerMarkupBps: 500,
      fundShareBps: 5_000,
    };
    expect(() =>
      participantBreakdown({ ...base, fundShareBps: 8_001 }),
    ).toThrow(RangeError);
    expect(() => participantBreakdown({ ...base, discountBps: 9_001 })).toThrow(
      RangeError,
    );
    expect(() =>
      participantBreakdown({ ...base, marketPriceCentavos: 10.5 }),
    ).toThrow(RangeError);
    expect(() => percentOf(-1, 100)).toThrow(RangeError);
  });

  it('keeps pricing an agreement signed at 90% before the discount cap was lowered to 70%', () => {
    const b = participantBreakdown({
      marketPriceCentavos: 1_500_000,
      discountBps: 9_000,
      brokerMarkupBps: 500,
      fundShareBps: 5_000,
    });
    // $15,000 − 90% = $1,500; + 5% = $1,575; the fund pays half, $787.50.
    expect(b.negotiatedPriceCentavos).toBe(150_000);
    expect(b.totalCentavos).toBe(157_500);
    expect(b.fundContributionCentavos).toBe(78_750);
  });

  it('multiplies every line by the participants for the project', () => {
    const per = participantBreakdown({
      marketPriceCentavos: 2_100_000,
      discountBps: 6_500,
      brokerMarkupBps: 500,
      fundShareBps: 8_000,
    });
    const project = projectBreakdown(per, 40);
    expect(project.totalCentavos).toBe(per.totalCentavos * 40);
    expect(project.participantShareCentavos).toBe(
      per.participantShareCentavos * 40,
    );
  });

  it('formats centavos as pesos for explanations', () => {
    expect(formatMxn(123_450)).toBe('$1,234.50 MXN');
    expect(formatMxn(5)).toBe('$0.05 MXN');
  });
});

describe('the cost breakdown over random inputs (fast-check)', () => {
  it('never has a negative part', () => {
    fc.assert(
      fc.property(terms, participants, (t, n) => {
        const per = participantBreakdown(t);
        const project = projectBreakdown(per, n);
        return [...lines(per), ...lines(project)].every(
          (v) => Number.isSafeInteger(v) && v >= 0,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('never lets the fund pay more than 80% of the total, nor more than the share asked', () => {
    fc.assert(
      fc.property(terms, participants, (t, n) => {
        const per = participantBreakdown(t);
        const project = projectBreakdown(per, n);
        return [per, project].every(
          (b) =>
            b.fundContributionCentavos * 10_000 <=
              b.totalCentavos * MAX_FUND_SHARE_BPS &&
            b.fundContributionCentavos * 10_000 <=
              b.totalCentavos * t.fundShareBps,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('always has parts that sum exactly to the total, per participant and per project', () => {
    fc.assert(
      fc.property(terms, participants, (t, n) => {
        const per = participantBreakdown(t);
        const project = projectBreakdown(per, n);
        return [per, project].every(
          (b) =>
            b.negotiatedPriceCentavos + b.discountCentavos ===
              b.marketPriceCentavos &&
            b.negotiatedPriceCentavos + b.brokerFeeCentavos ===
              b.totalCentavos &&
            b.fundContributionCentavos + b.participantShareCentavos ===
              b.totalCentavos,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('loses less than one centavo to rounding on each percentage', () => {
    fc.assert(
      fc.property(terms, (t) => {
        const b = participantBreakdown(t);
        const exactDiscount = (t.marketPriceCentavos * t.discountBps) / 10_000;
        const exactFund = (b.totalCentavos * t.fundShareBps) / 10_000;
        return (
          exactDiscount - b.discountCentavos < 1 &&
          exactDiscount - b.discountCentavos >= 0 &&
          exactFund - b.fundContributionCentavos < 1 &&
          exactFund - b.fundContributionCentavos >= 0
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('never charges the participant more as the fund share grows', () => {
    fc.assert(
      fc.property(
        terms,
        fc.integer({ min: 0, max: MAX_FUND_SHARE_BPS }),
        (t, other) => {
          const [low, high] = [
            Math.min(t.fundShareBps, other),
            Math.max(t.fundShareBps, other),
          ];
          return (
            participantBreakdown({ ...t, fundShareBps: high })
              .participantShareCentavos <=
            participantBreakdown({ ...t, fundShareBps: low })
              .participantShareCentavos
          );
        },
      ),
    );
  });
});
