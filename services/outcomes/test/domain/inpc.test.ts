import {
  INPC_FIRST_MONTH,
  INPC_LAST_MONTH,
  deflate,
  inpcOf,
  monthOf,
  previousMonth,
} from '../../src/domain/inpc';
import banxico from './banxico-inflation-ytd.json';

// The INPC table (base 2nd half of July 2018 = 100) and deflation, with
// values computed by hand from the table.

const index = (month: string) => inpcOf(month)!.thousandths / 1_000;

describe('the INPC table', () => {
  it("reproduces Banco de México's year-to-date inflation of every month in it (an independent published series: a wrong month fails here)", () => {
    const { ytdPercent } = banxico as { ytdPercent: Record<string, number> };
    const checked: string[] = [];
    for (const [month, published] of Object.entries(ytdPercent)) {
      if (!inpcOf(month) || inpcOf(month)!.deflatedWith !== 'PUBLISHED')
        continue;
      const december = `${Number(month.slice(0, 4)) - 1}-12`;
      const ours = (index(month) / index(december) - 1) * 100;
      expect({ month, off: Math.abs(ours - published) > 0.0051 }).toEqual({
        month,
        off: false,
      });
      checked.push(month);
    }
    // Every month from January 2018 to the table's last.
    expect([checked.length, checked[0], checked.at(-1)]).toEqual([
      91,
      '2018-01',
      INPC_LAST_MONTH,
    ]);
  });

  it('runs from December 2017 to July 2025, as INEGI published it', () => {
    expect([INPC_FIRST_MONTH, INPC_LAST_MONTH]).toEqual(['2017-12', '2025-07']);
    expect(inpcOf('2018-07')).toEqual({
      thousandths: 99_909,
      deflatedWith: 'PUBLISHED',
    });
    expect(inpcOf('2025-07')).toEqual({
      thousandths: 140_780,
      deflatedWith: 'PUBLISHED',
    });
  });

  it("reproduces INEGI's published December-on-December inflation (a typo in the table fails here)", () => {
    // INEGI: 2018 4.83 %, 2019 2.83 %, 2020 3.15 %, 2021 7.36 %, 2022 7.82 %, 2023 4.66 %, 2024 4.21 %.
    const yearly = [2018, 2019, 2020, 2021, 2022, 2023, 2024].map((year) =>
      Number(
        ((index(`${year}-12`) / index(`${year - 1}-12`) - 1) * 100).toFixed(2),
      ),
    );
    expect(yearly).toEqual([4.83, 2.83, 3.15, 7.36, 7.82, 4.66, 4.21]);
    // And the annual rates of the last months of the table: 3.80 % (March), 4.42 % (May), 3.51 % (July 2025).
    expect(
      ['2025-03', '2025-05', '2025-07'].map((month) =>
        Number(
          ((index(month) / index(`2024-${month.slice(5)}`) - 1) * 100).toFixed(
            2,
          ),
        ),
      ),
    ).toEqual([3.8, 4.42, 3.51]);
  });

  it('moves by at most what INEGI ever published in a month of this period (−1.01 % in April 2020, +1.14 % in November 2021)', () => {
    const changes: number[] = [];
    for (let month = '2018-01'; month <= INPC_LAST_MONTH;) {
      changes.push(index(month) / index(previousMonth(month)) - 1);
      const [y, m] = month.split('-').map(Number) as [number, number];
      month =
        m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    }
    expect(changes).toHaveLength(91);
    expect(Math.min(...changes)).toBeCloseTo(-0.010_14, 5);
    expect(Math.max(...changes)).toBeCloseTo(0.011_45, 5);
  });

  it('carries the last published index forward after the table, flagged, and has none before it', () => {
    expect(inpcOf('2026-11')).toEqual({
      thousandths: 140_780,
      deflatedWith: 'CARRIED_FORWARD',
    });
    expect(inpcOf('2017-11')).toBeNull();
  });

  it('names months in UTC and steps back across a year', () => {
    expect(monthOf(new Date('2025-03-01T00:00:00Z'))).toBe('2025-03');
    expect(previousMonth('2025-01')).toBe('2024-12');
    expect(previousMonth('2025-03')).toBe('2025-02');
  });
});

describe('deflating an amount to pesos of another month', () => {
  it('multiplies by the ratio of the two indexes, to the nearest centavo', () => {
    // 1,000,000 × 140.780 ÷ 103.108 = 140,780,000,000 ÷ 103,108 = 1,365,364.47… → 1,365,364.
    expect(deflate(1_000_000, '2019-01', '2025-07')).toEqual({
      centavos: 1_365_364,
      deflatedWith: 'PUBLISHED',
    });
    // Back in time the amount shrinks: 1,000,000 × 103.108 ÷ 140.780 = 732,405.17… → 732,405.
    expect(deflate(1_000_000, '2025-07', '2019-01')?.centavos).toBe(732_405);
    expect(deflate(1_234_567, '2023-04', '2023-04')?.centavos).toBe(1_234_567);
    expect(deflate(0, '2019-01', '2025-07')?.centavos).toBe(0);
  });

  it('rounds halves away from zero', () => {
    // 16,499 × 99,909 = 1,648,398,591 = 98,994 × 16,651 + 49,497: exactly 16,651.5.
    expect(deflate(16_499, '2018-05', '2018-07')?.centavos).toBe(16_652);
    expect(deflate(-16_499, '2018-05', '2018-07')?.centavos).toBe(-16_652);
  });

  it('flags an amount of a month after the table, or into one, as carried forward', () => {
    // March 2026 and July 2025 both use 140.780: the amount is unchanged, but not published.
    expect(deflate(2_000_000, '2026-03', '2025-07')).toEqual({
      centavos: 2_000_000,
      deflatedWith: 'CARRIED_FORWARD',
    });
    // 1,000,000 × 140.780 ÷ 138.343 (January 2025) = 1,017,615.6… → 1,017,616.
    expect(deflate(1_000_000, '2025-01', '2026-11')).toEqual({
      centavos: 1_017_616,
      deflatedWith: 'CARRIED_FORWARD',
    });
  });

  it('gives nothing for a month before the table', () => {
    expect(deflate(1_000_000, '2017-11', '2025-07')).toBeNull();
  });
});
