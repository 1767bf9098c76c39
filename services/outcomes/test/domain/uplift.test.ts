import {
  alignedPeriods,
  rowPeriods,
  type Granularity,
} from '../../src/domain/periods';
import type { SeriesSpan } from '../../src/domain/series';
import {
  pricesMonth,
  realSalariesOf,
  salaryChangeFigures,
  salaryUpliftReport,
} from '../../src/domain/uplift';
import { ADMIN, PUBLIC } from '../fixtures/mothers';

// Salary uplift in real pesos (INPC, base 2nd half of July 2018 = 100), and
// newly employed people apart from people whose salary changed. Every figure
// is computed by hand from the INPC table (README, "Salary uplift"):
// December 2023 132.373, January 2024 133.555, June 2024 134.594, July 2024
// 136.003, July 2025 140.780 (the table's last month, the default base).

const d = (iso: string) => new Date(iso);
const job = (startDate: string, before: number, after: number) => ({
  startDate: d(startDate),
  salaryBeforeCentavos: before,
  salaryAfterCentavos: after,
});

function spanOf(
  from: string,
  to: string,
  granularity: Granularity,
): SeriesSpan {
  const periods = alignedPeriods(d(from), d(to), granularity);
  return { periods, rows: rowPeriods(periods, granularity), granularity };
}

const shown = (value: number, partial = false) => ({
  value,
  suppressed: null,
  partial,
});

describe("a placement's salaries in real pesos", () => {
  it('deflates the after-salary from the start month and the before-salary from the month before', () => {
    // Starts 2024-07-10, 10,000 → 10,050 pesos a month; in pesos of July 2025:
    // after 1,005,000 × 140,780 ÷ 136,003 = 1,040,299.85 → 1,040,300;
    // before (June 2024) 1,000,000 × 140,780 ÷ 134,594 = 1,045,960.44 → 1,045,960.
    expect(
      realSalariesOf(job('2024-07-10', 1_000_000, 1_005_000), '2025-07'),
    ).toEqual({
      before: 1_045_960,
      after: 1_040_300,
      change: -5_660,
      // 1,005,000 × 134,594 = 135,266,970,000 < 1,000,000 × 136,003 = 136,003,000,000:
      // a nominal raise of 0.5 % in a month whose prices rose 1.05 %.
      realRaise: false,
      deflatedWith: 'PUBLISHED',
    });
  });

  it('gives a newly employed person a before-salary of 0 in any prices', () => {
    // 1,000,000 × 140,780 ÷ 133,555 = 1,054,097.56 → 1,054,098.
    expect(
      realSalariesOf(job('2024-01-15', 0, 1_000_000), '2025-07'),
    ).toMatchObject({
      before: 0,
      after: 1_054_098,
      change: 1_054_098,
    });
  });

  it('has no real salaries for a job whose month before precedes the table', () => {
    expect(
      realSalariesOf(job('2017-12-01', 900_000, 1_000_000), '2025-07'),
    ).toBeNull();
    // Its before-salary is of November 2017, not in the table; a newly employed person of December 2017 is.
    expect(
      realSalariesOf(job('2017-12-01', 0, 1_000_000), '2025-07')?.after,
    ).toBe(
      // 1,000,000 × 140,780 ÷ 98,273 = 1,432,539.97 → 1,432,540.
      1_432_540,
    );
  });

  it('takes the base month from any day of it, the table’s last month by default, and refuses one before the table', () => {
    expect(pricesMonth(undefined)).toBe('2025-07');
    expect(pricesMonth(d('2026-11-30'))).toBe('2026-11');
    expect(() => pricesMonth(d('2017-11-30'))).toThrow(
      expect.objectContaining({ field: 'pricesOf' }),
    );
  });
});

// The README's worked example: 12 placements of 2024 (YEAR), six newly
// employed and six who had a salary, in January and July.
const NEWLY = [
  job('2024-01-15', 0, 1_000_000),
  job('2024-01-22', 0, 1_200_000),
  job('2024-07-01', 0, 1_500_000),
  job('2024-07-01', 0, 1_300_000),
  job('2024-07-08', 0, 1_100_000),
  job('2024-07-15', 0, 1_400_000),
];
const PREVIOUSLY = [
  job('2024-01-08', 1_000_000, 1_050_000),
  job('2024-01-08', 1_200_000, 1_200_000),
  job('2024-07-01', 1_500_000, 1_800_000),
  job('2024-07-01', 800_000, 1_000_000),
  job('2024-07-22', 2_000_000, 1_900_000),
  job('2024-07-10', 1_000_000, 1_005_000),
];
const YEAR_2024 = spanOf('2024-01-01', '2024-12-31', 'YEAR');

describe('salary uplift, real and nominal, newly employed apart from raises', () => {
  it('as an admin sees it: exact figures, in nominal pesos and in pesos of July 2025', () => {
    const report = salaryUpliftReport(
      [...NEWLY, ...PREVIOUSLY],
      YEAR_2024,
      ADMIN,
    );
    // Nominal changes, sorted: −100,000 0 5,000 50,000 200,000 300,000 (raises)
    // and 1,000,000 … 1,500,000 (new salaries): median (50,000 + 1,000,000 +
    // … no: the 6th and 7th of 12 are 300,000 and 1,000,000) = 650,000; mean
    // 7,955,000 ÷ 12 = 662,916.67.
    expect(report).toMatchObject({
      placements: shown(12),
      medianChange: 650_000,
      pricesOf: '2025-07',
      deflatedWith: 'PUBLISHED',
    });
    expect(report.meanChange).toBeCloseTo(7_955_000 / 12, 6);
    // Real changes (below), the 6th and 7th of 12: 294,283 and 1,054,098 → 674,190.5;
    // sum 8,198,964 ÷ 12 = 683,247.
    expect(report.realMedianChange).toBe(674_190.5);
    expect(report.realMeanChange).toBe(683_247);

    // Newly employed: new salaries 10,000 … 15,000 pesos, median and mean 12,500.
    // In July 2025 pesos: January's × 140,780 ÷ 133,555 — 1,054,098, 1,264,917;
    // July's × 140,780 ÷ 136,003 — 1,552,686, 1,345,661, 1,138,637, 1,449,174.
    // Sorted: 1,054,098 1,138,637 1,264,917 1,345,661 1,449,174 1,552,686:
    // median (1,264,917 + 1,345,661) ÷ 2 = 1,305,289; mean 7,805,173 ÷ 6.
    expect(report.newlyEmployed).toEqual({
      placements: shown(6),
      medianSalary: 1_250_000,
      meanSalary: 1_250_000,
      realMedianSalary: 1_305_289,
      realMeanSalary: 7_805_173 / 6,
    });

    // Previously employed, real change = after (start month) − before (month before):
    //   Jan: 1,106,802 − 1,063,510 = 43,292 (raise); 1,264,917 − 1,276,212 = −11,295
    //   Jul: 1,863,224 − 1,568,941 = 294,283 (raise); 1,035,124 − 836,768 = 198,356 (raise);
    //        1,966,736 − 2,091,921 = −125,185; 1,040,300 − 1,045,960 = −5,660
    // Sorted: −125,185 −11,295 −5,660 43,292 198,356 294,283: median
    // (−5,660 + 43,292) ÷ 2 = 18,816; mean 393,791 ÷ 6. Nominal: −100,000 0
    // 5,000 50,000 200,000 300,000: median 27,500, mean 455,000 ÷ 6.
    expect(report.previouslyEmployed).toEqual({
      placements: shown(6),
      medianChange: 27_500,
      meanChange: 455_000 / 6,
      realMedianChange: 18_816,
      realMeanChange: 393_791 / 6,
      realRaises: shown(3),
      realRaiseShare: 0.5,
    });
  });

  it('as a university sees it: counts rounded to 5, money to 500 MXN, a split of 3 and 3 withheld', () => {
    const report = salaryUpliftReport(
      [...NEWLY, ...PREVIOUSLY],
      YEAR_2024,
      PUBLIC,
    );
    expect(report).toEqual({
      placements: shown(10),
      medianChange: 650_000,
      meanChange: 650_000,
      // 674,190.5 and 683,247 to the nearest 50,000.
      realMedianChange: 650_000,
      realMeanChange: 700_000,
      pricesOf: '2025-07',
      deflatedWith: 'PUBLISHED',
      newlyEmployed: {
        placements: shown(5),
        medianSalary: 1_250_000,
        meanSalary: 1_250_000,
        // 1,305,289 and 1,300,862.17 → 1,300,000.
        realMedianSalary: 1_300_000,
        realMeanSalary: 1_300_000,
      },
      previouslyEmployed: {
        placements: shown(5),
        // 27,500 → 50,000 (halves away from zero); 75,833.33 → 100,000.
        medianChange: 50_000,
        meanChange: 100_000,
        // 18,816 → 0; 65,631.83 → 50,000.
        realMedianChange: 0,
        realMeanChange: 50_000,
        // 3 raised and 3 not: both from 1 to 4.
        realRaises: shown(0, true),
        realRaiseShare: null,
      },
    });
  });

  it('states prices of a month after the table as carried forward', () => {
    // November 2026 is deflated with July 2025's index: the same centavos, flagged.
    const report = salaryUpliftReport(
      [...NEWLY, ...PREVIOUSLY],
      YEAR_2024,
      ADMIN,
      '2026-11',
    );
    expect(report).toMatchObject({
      pricesOf: '2026-11',
      deflatedWith: 'CARRIED_FORWARD',
      realMedianChange: 674_190.5,
    });
  });

  it('gives no real figure over a period with a job the table cannot deflate, and says the raises are not recorded', () => {
    const old = [1, 2, 3, 4, 5, 6].map((i) =>
      job(`2017-0${i}-01`, 800_000, 900_000 + i),
    );
    const report = salaryUpliftReport(
      old,
      spanOf('2017-01-01', '2017-12-31', 'YEAR'),
      ADMIN,
    );
    expect(report).toMatchObject({
      placements: shown(6),
      medianChange: 100_003.5,
      realMedianChange: null,
      realMeanChange: null,
      deflatedWith: null,
      previouslyEmployed: {
        placements: shown(6),
        realMedianChange: null,
        realRaises: { value: null, suppressed: 'NOT_RECORDED' },
        realRaiseShare: null,
      },
    });
  });
});

describe('newly employed and previously employed, protected per period', () => {
  // Q1 2025 by month: January 6 newly + 6 with a salary, February 2 + 8,
  // March 7 + 5; everyone with a salary got a real raise (+10 %).
  const people = [
    ...Array.from({ length: 6 }, () => job('2025-01-06', 0, 1_500_000)),
    ...Array.from({ length: 6 }, () => job('2025-01-06', 1_000_000, 1_100_000)),
    ...Array.from({ length: 2 }, () => job('2025-02-03', 0, 1_500_000)),
    ...Array.from({ length: 8 }, () => job('2025-02-03', 1_000_000, 1_100_000)),
    ...Array.from({ length: 7 }, () => job('2025-03-03', 0, 1_500_000)),
    ...Array.from({ length: 5 }, () => job('2025-03-03', 1_000_000, 1_100_000)),
  ];

  it("withholds February's 2 newly employed, their complement in the month and in the quarter, and never leaves one part to be differenced", () => {
    const q1 = spanOf('2025-01-01', '2025-03-31', 'MONTH');
    const report = salaryUpliftReport(people, q1, PUBLIC);
    // Every month's total is shown (12, 10, 12 → 10, 10, 10). February's 2
    // newly employed are withheld, so are its 8 with a salary (else 10 − 8);
    // the newly employed of Q1 (15, asked by quarter) minus March's would give
    // January + February: January's 6 are withheld too (the smallest other
    // month, its sibling non-zero), and with them January's 6 with a salary.
    // What is left: March, 7 → 5 newly, 5 with a salary.
    expect(report.placements).toEqual(shown(30));
    expect(report.newlyEmployed.placements).toEqual(shown(5, true));
    expect(report.previouslyEmployed.placements).toEqual(shown(5, true));
    expect(report.previouslyEmployed.realRaises).toEqual(shown(5, true));
    // Statistics only over March's 7 and 5: all equal, so exact after rounding.
    expect(report.newlyEmployed.medianSalary).toBe(1_500_000);
    expect(report.previouslyEmployed.medianChange).toBe(100_000);
    // A share of partial counts means nothing.
    expect(report.previouslyEmployed.realRaiseShare).toBeNull();
    // By quarter each part is one shown cell: 15 newly, 19 → 20 with a salary.
    const byQuarter = salaryUpliftReport(
      people,
      spanOf('2025-01-01', '2025-03-31', 'QUARTER'),
      PUBLIC,
    );
    expect(byQuarter.newlyEmployed.placements).toEqual(shown(15));
    expect(byQuarter.previouslyEmployed.placements).toEqual(shown(20));
    expect(byQuarter.previouslyEmployed.realRaiseShare).toBe(1);
  });

  it('shows admins every part exactly', () => {
    const report = salaryUpliftReport(
      people,
      spanOf('2025-01-01', '2025-03-31', 'MONTH'),
      ADMIN,
    );
    expect(report.newlyEmployed.placements).toEqual(shown(15));
    expect(report.previouslyEmployed.placements).toEqual(shown(19));
    expect(report.previouslyEmployed.realRaises).toEqual(shown(19));
  });
});

describe("a returns' salary change", () => {
  it('carries the real median and mean beside the nominal ones', () => {
    expect(salaryChangeFigures(PREVIOUSLY, ADMIN)).toEqual({
      median: 27_500,
      mean: 455_000 / 6,
      realMedian: 18_816,
      realMean: 393_791 / 6,
      pricesOf: '2025-07',
      deflatedWith: 'PUBLISHED',
    });
  });
});
