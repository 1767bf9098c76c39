import {
  COUNT_BASE,
  disclose,
  roundTo,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/**
 * The demand forecast (issue 14, item 3): the next months of requested
 * headcount from a monthly history, by the model that forecast that history
 * best when it was cut at earlier months (backtesting), with a prediction
 * interval from the errors it made there. Pure.
 *
 * Models (monthly, season of 12):
 * - SEASONAL_NAIVE: the same month a year earlier, ŷ(t + h) = y(t + h − 12k)
 *   with k the smallest whole number of years reaching back into the history.
 * - HOLT_WINTERS: additive level, trend and seasonal components, smoothing
 *   weights chosen from a grid by the smallest one-step squared error on the
 *   training part; initialised from the first two years (level and slope of
 *   their means, each month's deviation from the first year's line), so a
 *   series that is exactly line + season is forecast exactly.
 */

/** The season of a monthly series. */
export const SEASON = 12;
/** Months forecast. */
export const HORIZON = 12;
/** The coverage of the prediction interval: from the 10th to the 90th percentile of the backtest errors. */
export const INTERVAL_LEVEL = 0.8;

export type ForecastModel = 'SEASONAL_NAIVE' | 'HOLT_WINTERS';

/** Months a model needs before its first forecast. */
const MIN_TRAINING: Record<ForecastModel, number> = {
  SEASONAL_NAIVE: SEASON,
  HOLT_WINTERS: 2 * SEASON,
};

/** Fewest backtest origins a model must have been scored on to be chosen (a year of them). */
export const MIN_ORIGINS = SEASON;

// Simpler first: on a tie the simpler model is chosen.
const MODELS: readonly ForecastModel[] = ['SEASONAL_NAIVE', 'HOLT_WINTERS'];

/** `horizon` values after the end of `history` by `model`, fitted on `history` only. */
export function forecastWith(
  model: ForecastModel,
  history: readonly number[],
  horizon: number,
): number[] {
  return model === 'SEASONAL_NAIVE'
    ? seasonalNaive(history, horizon)
    : holtWinters(history, horizon);
}

/** The same month of the last year in the history. */
export function seasonalNaive(history: readonly number[], horizon: number) {
  const n = history.length;
  if (n < SEASON) throw new Error('seasonal naive needs a year of history');
  return Array.from({ length: horizon }, (_, i) => {
    const h = i + 1;
    return history[n - SEASON * Math.ceil(h / SEASON) + i]!;
  });
}

/** Holt-Winters' additive state after running through a series. */
interface HoltWintersState {
  level: number;
  trend: number;
  /** The seasonal component of each month, indexed by position mod 12. */
  seasonal: number[];
  /** Sum of squared one-step errors over the months after the first two years. */
  sse: number;
}

const mean = (xs: readonly number[]) =>
  xs.reduce((a, b) => a + b, 0) / xs.length;

function runHoltWinters(
  y: readonly number[],
  alpha: number,
  beta: number,
  gamma: number,
): HoltWintersState {
  const first = mean(y.slice(0, SEASON));
  const second = mean(y.slice(SEASON, 2 * SEASON));
  let trend = (second - first) / SEASON;
  // The first year's mean is its level at its middle (month 5.5).
  const middle = (SEASON - 1) / 2;
  let level = first + trend * (SEASON - 1 - middle);
  const seasonal = Array.from(
    { length: SEASON },
    (_, i) => y[i]! - (first + trend * (i - middle)),
  );
  let sse = 0;
  for (let t = SEASON; t < y.length; t++) {
    const s = seasonal[t % SEASON]!;
    const predicted = level + trend + s;
    if (t >= 2 * SEASON) sse += (y[t]! - predicted) ** 2;
    const previous = level;
    level = alpha * (y[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - previous) + (1 - beta) * trend;
    seasonal[t % SEASON] = gamma * (y[t]! - level) + (1 - gamma) * s;
  }
  return { level, trend, seasonal, sse };
}

// Smoothing weights tried; the common ranges (level and season 0.1–0.9,
// trend kept small so one odd month does not tilt a year of forecasts).
const ALPHAS = [0.1, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0.01, 0.05, 0.1, 0.2];
const GAMMAS = [0.05, 0.1, 0.3, 0.5];

/** Holt-Winters' additive forecast, weights chosen by the smallest one-step error. */
export function holtWinters(history: readonly number[], horizon: number) {
  const n = history.length;
  if (n < 2 * SEASON) throw new Error('Holt-Winters needs two years');
  let best: HoltWintersState | null = null;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS) {
        const state = runHoltWinters(history, alpha, beta, gamma);
        if (!best || state.sse < best.sse - 1e-9) best = state;
      }
  const { level, trend, seasonal } = best!;
  return Array.from(
    { length: horizon },
    (_, i) => level + (i + 1) * trend + seasonal[(n + i) % SEASON]!,
  );
}

/**
 * sMAPE in percent: the mean of 2 |F − A| ÷ (|A| + |F|) × 100 over the pairs;
 * a pair where both are 0 adds 0 (a month forecast at 0 that had none is
 * exact). Bounded 0–200, and defined where MAPE divides by a month without demand.
 */
export function smape(
  pairs: ReadonlyArray<{ actual: number; forecast: number }>,
): number {
  if (pairs.length === 0) return 0;
  let sum = 0;
  for (const { actual, forecast } of pairs) {
    const scale = Math.abs(actual) + Math.abs(forecast);
    if (scale > 0) sum += (2 * Math.abs(forecast - actual)) / scale;
  }
  return (sum / pairs.length) * 100;
}

/** The q-quantile of `xs` (linear interpolation between order statistics, R's type 7). */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** What a model did when the history was cut at every possible month. */
export interface Backtest {
  model: ForecastModel;
  /** sMAPE (%) over every forecast of every origin, horizons 1–12. */
  smape: number;
  /** How many cut points it was scored on. */
  origins: number;
  /** Errors (actual − forecast) per horizon, index h − 1. */
  errors: number[][];
}

/**
 * Rolling-origin backtest: for every cut point o from the model's minimum
 * training length to the last month but one, fit on months before o and
 * forecast up to 12 months, compared with the months that exist.
 */
export function backtest(
  model: ForecastModel,
  history: readonly number[],
): Backtest {
  const errors: number[][] = Array.from({ length: HORIZON }, () => []);
  const pairs: Array<{ actual: number; forecast: number }> = [];
  let origins = 0;
  for (let o = MIN_TRAINING[model]; o < history.length; o++) {
    const ahead = Math.min(HORIZON, history.length - o);
    const forecast = forecastWith(model, history.slice(0, o), ahead);
    origins += 1;
    for (let i = 0; i < ahead; i++) {
      const actual = history[o + i]!;
      errors[i]!.push(actual - forecast[i]!);
      pairs.push({ actual, forecast: forecast[i]! });
    }
  }
  return { model, smape: smape(pairs), origins, errors };
}

/** One forecast month: the point and its interval (never below 0). */
export interface ForecastStep {
  /** 1 = the month after the history. */
  horizon: number;
  value: number;
  lower: number;
  upper: number;
}

export interface DemandForecastResult {
  /** Null when the history is too short for any model to be backtested on a year of cut points. */
  model: ForecastModel | null;
  /** The chosen model's backtest sMAPE (%). */
  smape: number | null;
  /** Every model backtested, with its sMAPE. */
  candidates: Backtest[];
  steps: ForecastStep[];
}

/**
 * The next {@link HORIZON} months of `history` (monthly, oldest first, the
 * last complete month last): every model that can be backtested on at
 * least {@link MIN_ORIGINS} cut points is, the one with the smallest sMAPE
 * is chosen (the simpler on a tie), it is fitted on the whole history and
 * its forecast gets, per horizon h, the interval point + [10th, 90th
 * percentile] of its backtest errors at h (empirical quantiles), clamped
 * at 0.
 */
export function forecastDemand(
  history: readonly number[],
): DemandForecastResult {
  const candidates = MODELS.filter(
    (m) => history.length - MIN_TRAINING[m] >= MIN_ORIGINS,
  ).map((m) => backtest(m, history));
  if (candidates.length === 0)
    return { model: null, smape: null, candidates, steps: [] };
  const chosen = candidates.reduce((best, c) =>
    c.smape < best.smape - 1e-9 ? c : best,
  );
  const points = forecastWith(chosen.model, history, HORIZON);
  const tail = (1 - INTERVAL_LEVEL) / 2;
  const steps = points.map((value, i) => {
    const errors = chosen.errors[i]!;
    const low = errors.length > 0 ? quantile(errors, tail) : 0;
    const high = errors.length > 0 ? quantile(errors, 1 - tail) : 0;
    return {
      horizon: i + 1,
      value: Math.max(0, value),
      lower: Math.max(0, value + low),
      upper: Math.max(0, value + high),
    };
  });
  return { model: chosen.model, smape: chosen.smape, candidates, steps };
}

/** A forecast month as a caller sees it. */
export interface ShownForecastStep {
  horizon: number;
  value: OutcomeCount;
  lower: number | null;
  upper: number | null;
}

/**
 * The forecast as `policy` lets a caller see it: admins get whole numbers;
 * everyone else the point as a count (`disclose`: 1 … threshold − 1
 * withheld, others to the nearest 5) and the bounds to the nearest 5 (null
 * when the point is withheld, so they cannot pin it). The seasonal naive
 * forecast of a month is last year's same month: shown by the same rule it
 * reveals nothing the trend does not.
 */
export function discloseForecast(
  steps: readonly ForecastStep[],
  policy: DisclosurePolicy,
): ShownForecastStep[] {
  return steps.map(({ horizon, value, lower, upper }) => {
    const shown = disclose(Math.round(value), policy);
    const bound = (x: number) =>
      shown.value === null
        ? null
        : policy.revealAll
          ? Math.round(x)
          : roundTo(x, COUNT_BASE);
    return { horizon, value: shown, lower: bound(lower), upper: bound(upper) };
  });
}

/** Months of history a forecast reads at most: 10 years (the backtest's cost grows with it, its value much less). */
export const HISTORY_MONTHS = 120;

/**
 * The months a forecast made on `asOf` reads: the {@link HISTORY_MONTHS}
 * months ending with the last complete one (the month before `asOf`'s),
 * as the first instant of the first and the last day of the last (UTC).
 */
export function historyWindow(asOf: Date): { from: Date; to: Date } {
  const year = asOf.getUTCFullYear();
  const month = asOf.getUTCMonth();
  return {
    from: new Date(Date.UTC(year, month - HISTORY_MONTHS, 1)),
    to: new Date(Date.UTC(year, month, 0)),
  };
}

/**
 * The monthly series from `sums` (month label → headcount) over `months`
 * (oldest first), months before the first with demand left out: a state
 * whose demand began recently is not forecast from years of zeros.
 */
export function seriesFrom(
  months: readonly string[],
  sums: ReadonlyMap<string, number>,
): { months: string[]; values: number[] } {
  const first = months.findIndex((m) => (sums.get(m) ?? 0) !== 0);
  const kept = first < 0 ? [] : months.slice(first);
  return { months: kept, values: kept.map((m) => sums.get(m) ?? 0) };
}
