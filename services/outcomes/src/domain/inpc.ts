// Mexico's consumer price index, to express salaries in pesos of one month
// (issue 14, item 1). Pure: a table shipped with the code, refreshed by hand.
//
// Source: INEGI (Instituto Nacional de Estadística y Geografía), Índice
// Nacional de Precios al Consumidor (INPC), base segunda quincena de julio
// de 2018 = 100, monthly, "Índice general" — the series of INEGI's Banco de
// Información Económica (BIE): Precios e inflación > Índice Nacional de
// Precios al Consumidor > Índice general (mensual), indicator 628194 of
// INEGI's Indicators API. Values as INEGI publishes them, three decimals.
//
// Taken on 2026-12-07, without network access to INEGI: transcribed from
// INEGI's monthly publications up to the one for July 2025 (released in
// August 2025), checked month by month against the monthly and annual
// inflation rates INEGI published with them (e.g. December on December:
// 2019 2.83 %, 2020 3.15 %, 2021 7.36 %, 2022 7.82 %, 2023 4.66 %, 2024
// 4.21 %), and every month since January 2018 against Banco de México's
// year-to-date inflation (test/domain/banxico-inflation-ytd.json: all 91
// within 0.005 points). Months after July 2025 are not in the table: refresh it from
// INEGI (README, "Salary uplift: the INPC table") — until then they are
// deflated with July 2025's index and flagged CARRIED_FORWARD.

/** Where the table comes from, for the README and the API's descriptions. */
export const INPC_SOURCE = {
  publisher: 'INEGI',
  series:
    'Índice Nacional de Precios al Consumidor, Índice general, mensual, base 2a. quincena de julio 2018 = 100 (BIE; Indicators API 628194)',
  takenOn: '2026-12-07',
} as const;

/** The first month of the table: December 2017, the "before" month of a job starting January 2018. */
export const INPC_FIRST_MONTH = '2017-12';

/**
 * The monthly index in thousandths (98.273 → 98_273), from
 * {@link INPC_FIRST_MONTH}, one value per month in order, as published.
 * Integers, so deflating is exact integer arithmetic.
 */
// prettier-ignore
const THOUSANDTHS: readonly number[] = [
  // 2017-12
  98_273,
  // 2018-01 … 2018-12
  98_795, 99_171, 99_492, 99_155, 98_994, 99_376, 99_909, 100_492, 100_917, 101_440, 102_303, 103_020,
  // 2019
  103_108, 103_079, 103_476, 103_531, 103_233, 103_299, 103_687, 103_670, 103_942, 104_503, 105_346, 105_934,
  // 2020
  106_447, 106_889, 106_838, 105_755, 106_162, 106_743, 107_444, 107_867, 108_114, 108_774, 108_856, 109_271,
  // 2021
  110_210, 110_907, 111_824, 112_190, 112_419, 113_018, 113_682, 113_899, 114_601, 115_561, 116_884, 117_308,
  // 2022
  118_002, 118_981, 120_159, 120_809, 121_022, 122_044, 122_948, 123_803, 124_571, 125_276, 125_997, 126_478,
  // 2023
  127_336, 128_046, 128_389, 128_363, 128_084, 128_214, 128_832, 129_545, 130_120, 130_609, 131_445, 132_373,
  // 2024
  133_555, 133_681, 134_065, 134_336, 134_087, 134_594, 136_003, 136_013, 136_080, 136_828, 137_424, 137_949,
  // 2025-01 … 2025-07
  138_343, 138_726, 139_161, 139_620, 140_012, 140_405, 140_780,
];

/** `YYYY-MM` of a month `offset` months after the table's first. */
function monthAt(offset: number): string {
  const [year, month] = INPC_FIRST_MONTH.split('-').map(Number) as [
    number,
    number,
  ];
  const index = year * 12 + (month - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last month of the table (July 2025 in this version). */
export const INPC_LAST_MONTH = monthAt(THOUSANDTHS.length - 1);

/**
 * How a figure was deflated: with published indexes only, or with at least
 * one month after the table's end, for which the last published index was
 * carried forward (the figure will change once the table is refreshed).
 */
export type Deflation = 'PUBLISHED' | 'CARRIED_FORWARD';

/** The index of one month, as used. */
export interface MonthIndex {
  /** The index in thousandths (100.000 → 100_000). */
  thousandths: number;
  deflatedWith: Deflation;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months from the table's first to `month` (`YYYY-MM`); negative before it. */
function offsetOf(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`Not a month: ${month}`);
  const [year, month0] = INPC_FIRST_MONTH.split('-').map(Number) as [
    number,
    number,
  ];
  return (Number(match[1]) - year) * 12 + (Number(match[2]) - month0);
}

/**
 * The INPC of `month` (`YYYY-MM`): the published value; for a month after
 * {@link INPC_LAST_MONTH}, the last published value, flagged
 * CARRIED_FORWARD; null for a month before {@link INPC_FIRST_MONTH} (no
 * published index to use, and none is guessed).
 */
export function inpcOf(month: string): MonthIndex | null {
  const offset = offsetOf(month);
  if (offset < 0) return null;
  if (offset < THOUSANDTHS.length)
    return { thousandths: THOUSANDTHS[offset]!, deflatedWith: 'PUBLISHED' };
  return {
    thousandths: THOUSANDTHS[THOUSANDTHS.length - 1]!,
    deflatedWith: 'CARRIED_FORWARD',
  };
}

/** `YYYY-MM` of a UTC instant. */
export function monthOf(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month before `month` (`YYYY-MM`). */
export function previousMonth(month: string): string {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`Not a month: ${month}`);
  const index = Number(match[1]) * 12 + Number(match[2]) - 2;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** An amount in pesos of another month. */
export interface Deflated {
  /** Integer centavos. */
  centavos: number;
  deflatedWith: Deflation;
}

/**
 * `centavos` of month `from` in centavos of month `to` (both `YYYY-MM`):
 * `centavos × INPC(to) ÷ INPC(from)`, to the nearest centavo, halves away
 * from zero — exact integer arithmetic (BigInt), so the result does not
 * depend on floating point for any amount. CARRIED_FORWARD when either
 * month is after the table (its index is the last published one); null when
 * either is before the table.
 *
 * Example: 1,000,000 centavos (10,000 pesos) of January 2019 (103.108) in
 * pesos of July 2025 (140.780): 1,000,000 × 140,780 ÷ 103,108 =
 * 1,365,364.47… → 1,365,364 centavos.
 */
export function deflate(
  centavos: number,
  from: string,
  to: string,
): Deflated | null {
  if (!Number.isSafeInteger(centavos))
    throw new RangeError(`Not whole centavos: ${centavos}`);
  const source = inpcOf(from);
  const target = inpcOf(to);
  if (!source || !target) return null;
  const numerator = BigInt(Math.abs(centavos)) * BigInt(target.thousandths);
  const denominator = BigInt(source.thousandths);
  const quotient = numerator / denominator;
  const remainder = numerator - quotient * denominator;
  const rounded = 2n * remainder >= denominator ? quotient + 1n : quotient;
  return {
    centavos: Math.sign(centavos) * Number(rounded) + 0,
    deflatedWith:
      source.deflatedWith === 'CARRIED_FORWARD' ||
      target.deflatedWith === 'CARRIED_FORWARD'
        ? 'CARRIED_FORWARD'
        : 'PUBLISHED',
  };
}
