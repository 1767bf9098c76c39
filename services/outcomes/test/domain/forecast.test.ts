import {
  backtest,
  discloseForecast,
  forecastDemand,
  holtWinters,
  quantile,
  seasonalNaive,
  smape,
} from '../../src/domain/forecast';

// A season that sums to 0 (so the year's mean is the line's value at mid-year).
const SEASON = [-30, -20, -10, 0, 10, 20, 30, 20, 10, 0, -10, -20];
/** y(t) = 100 + 2t + season(t mod 12): exactly line + season, no noise. */
const lineAndSeason = (months: number) =>
  Array.from({ length: months }, (_, t) => 100 + 2 * t + SEASON[t % 12]!);
/** The same year again and again: season only. */
const seasonOnly = (months: number) =>
  Array.from({ length: months }, (_, t) => 200 + SEASON[t % 12]!);

describe('demand forecast', () => {
  it('Holt-Winters forecasts a line plus a season exactly (closed form)', () => {
    const history = lineAndSeason(48);
    // ŷ(48 + h − 1) = 100 + 2 (48 + h − 1) + season((48 + h − 1) mod 12)
    const expected = Array.from(
      { length: 12 },
      (_, i) => 100 + 2 * (48 + i) + SEASON[(48 + i) % 12]!,
    );
    holtWinters(history, 12).forEach((value, i) =>
      expect(value).toBeCloseTo(expected[i]!, 9),
    );
  });

  it('seasonal naive repeats last year, k years back beyond a year', () => {
    const history = lineAndSeason(24);
    expect(seasonalNaive(history, 14)).toEqual([
      ...history.slice(12, 24),
      history[12],
      history[13],
    ]);
  });

  it('sMAPE by hand: 2|F − A| ÷ (|A| + |F|), both zero counting 0', () => {
    expect(
      smape([
        { actual: 100, forecast: 80 }, // 40 / 180
        { actual: 0, forecast: 0 }, // 0
        { actual: 0, forecast: 10 }, // 2
      ]),
    ).toBeCloseTo(((40 / 180 + 0 + 2) / 3) * 100, 9);
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 9);
  });

  it('chooses Holt-Winters on a trending seasonal series, with its backtest error and a zero-width interval', () => {
    const history = lineAndSeason(48);
    const result = forecastDemand(history);
    expect(result.model).toBe('HOLT_WINTERS');
    expect(result.smape).toBeCloseTo(0, 6);
    // Seasonal naive is off by a year of trend, 24, at every horizon ≤ 12:
    // sMAPE = mean over its forecasts of 2·24 ÷ (A + A − 24).
    const naive = result.candidates.find((c) => c.model === 'SEASONAL_NAIVE')!;
    const pairs: number[] = [];
    for (let o = 12; o < 48; o++)
      for (let t = o; t < Math.min(o + 12, 48); t++)
        pairs.push(48 / (2 * history[t]! - 24));
    expect(naive.smape).toBeCloseTo(
      (pairs.reduce((a, b) => a + b) / pairs.length) * 100,
      9,
    );
    expect(naive.errors.flat().every((e) => e === 24)).toBe(true);
    result.steps.forEach((step, i) => {
      expect(step.horizon).toBe(i + 1);
      expect(step.value).toBeCloseTo(100 + 2 * (48 + i) + SEASON[i]!, 6);
      expect(step.upper - step.lower).toBeCloseTo(0, 6);
    });
  });

  it('prefers the simpler model on a tie, and takes the interval from the backtest errors', () => {
    const history = seasonOnly(36);
    const result = forecastDemand(history);
    expect(result.model).toBe('SEASONAL_NAIVE');
    expect(result.smape).toBe(0);
    expect(result.steps.map((s) => s.value)).toEqual(history.slice(24, 36));

    // One odd month of four years: 12 under when it comes, 12 over a year
    // later, exact otherwise — 36 one-month-ahead errors, whose 10th and 90th
    // percentiles are 0; at 4 months ahead the odd errors are 2 of 33.
    const odd = seasonOnly(48);
    odd[30] = odd[30]! + 12;
    const run = backtest('SEASONAL_NAIVE', odd);
    expect(run.origins).toBe(36);
    expect([...run.errors[0]!].sort((a, b) => a - b)).toEqual([
      -12,
      ...Array(34).fill(0),
      12,
    ]);
    expect(run.smape).toBeGreaterThan(0);
  });

  it('gives no forecast for less than two years of history', () => {
    expect(forecastDemand(seasonOnly(23))).toMatchObject({
      model: null,
      steps: [],
    });
    expect(forecastDemand(seasonOnly(24)).model).toBe('SEASONAL_NAIVE');
  });

  it('shows non-admins rounded points and bounds, withholding small points with their bounds', () => {
    const steps = [
      { horizon: 1, value: 42.4, lower: 30.2, upper: 51.9 },
      { horizon: 2, value: 3.2, lower: 0, upper: 8 },
    ];
    expect(discloseForecast(steps, { threshold: 5, revealAll: false })).toEqual(
      [
        {
          horizon: 1,
          value: { value: 40, suppressed: null, partial: false },
          lower: 30,
          upper: 50,
        },
        {
          horizon: 2,
          value: { value: null, suppressed: 'BELOW_THRESHOLD', partial: false },
          lower: null,
          upper: null,
        },
      ],
    );
    expect(
      discloseForecast(steps, { threshold: 5, revealAll: true })[1],
    ).toEqual({
      horizon: 2,
      value: { value: 3, suppressed: null, partial: false },
      lower: 0,
      upper: 8,
    });
  });
});
