import { cohortOutcomes } from '../../src/domain/cohort';
import {
  alignedPeriods,
  periodsBetween,
  rowPeriods,
} from '../../src/domain/periods';
import { salaryUplift, salaryUpliftOver } from '../../src/domain/placement';
import { cellsOf, spanTotal, type SeriesSpan } from '../../src/domain/series';
import {
  protectRow,
  roundTo,
  totalOfShown,
} from '../../src/domain/suppression';
import { EQUAL_WEIGHTS, surveyScore } from '../../src/domain/survey';
import { ADMIN, PUBLIC } from '../fixtures/mothers';

const d = (iso: string) => new Date(iso);

/** A MONTH span as the resolvers build it: the periods asked and their whole quarters. */
function monthSpan(from: string, to: string): SeriesSpan {
  const periods = alignedPeriods(d(from), d(to), 'MONTH');
  return { periods, rows: rowPeriods(periods, 'MONTH'), granularity: 'MONTH' };
}

describe('whole calendar periods', () => {
  it('takes spans from the first day of a period to the last day of one', () => {
    expect(
      alignedPeriods(d('2025-01-01'), d('2025-06-30'), 'QUARTER').map(
        (p) => p.label,
      ),
    ).toEqual(['2025-Q1', '2025-Q2']);
    expect(
      alignedPeriods(d('2024-02-01'), d('2024-02-29'), 'MONTH'),
    ).toHaveLength(1);
  });

  it('refuses a span of days not aligned to its granularity, naming the field', () => {
    const fieldOf = (
      from: string,
      to: string,
      g: 'MONTH' | 'QUARTER' | 'YEAR',
    ) => {
      try {
        alignedPeriods(d(from), d(to), g);
        return null;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(fieldOf('2025-01-02', '2025-01-31', 'MONTH')).toBe('filter.from');
    expect(fieldOf('2025-01-01', '2025-02-27', 'MONTH')).toBe('filter.to');
    expect(fieldOf('2025-02-01', '2025-03-31', 'QUARTER')).toBe('filter.from');
    expect(fieldOf('2025-01-01', '2025-05-31', 'QUARTER')).toBe('filter.to');
    expect(fieldOf('2025-01-01', '2025-06-30', 'YEAR')).toBe('filter.to');
    expect(fieldOf('2025-03-01', '2025-01-31', 'MONTH')).toBe('filter.to');
    expect(fieldOf('2000-01-01', '2025-12-31', 'YEAR')).toBe('filter.to');
  });

  it('reads the whole quarters of a month span and the whole years of a quarter span', () => {
    const months = alignedPeriods(d('2025-02-01'), d('2025-04-30'), 'MONTH');
    expect(rowPeriods(months, 'MONTH').map((p) => p.label)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
    ]);
    const quarters = alignedPeriods(
      d('2025-04-01'),
      d('2025-06-30'),
      'QUARTER',
    );
    expect(rowPeriods(quarters, 'QUARTER')).toHaveLength(4);
  });
});

describe('complementary suppression', () => {
  it('withholds the next smallest cell when exactly one of a row is below the threshold', () => {
    expect(protectRow([3, 40, 12], PUBLIC).map((c) => c.suppressed)).toEqual([
      'BELOW_THRESHOLD',
      null,
      'COMPLEMENTARY',
    ]);
  });

  it('needs no partner when two cells are withheld, and finds none among zeros', () => {
    expect(protectRow([3, 2, 12], PUBLIC).map((c) => c.suppressed)).toEqual([
      'BELOW_THRESHOLD',
      'BELOW_THRESHOLD',
      null,
    ]);
    expect(protectRow([0, 3, 0], PUBLIC).map((c) => c.value)).toEqual([
      0,
      null,
      0,
    ]);
  });

  it('shows admins every cell exactly', () => {
    expect(protectRow([3, 40, 12], ADMIN).map((c) => c.value)).toEqual([
      3, 40, 12,
    ]);
  });

  it('withholds a cell the same whatever span is asked (complements are chosen over whole quarters)', () => {
    const sums = new Map([
      ['2025-01', 9],
      ['2025-02', 2],
      ['2025-03', 30],
    ]);
    const january = cellsOf(
      sums,
      monthSpan('2025-01-01', '2025-01-31'),
      PUBLIC,
    );
    const quarter = cellsOf(
      sums,
      monthSpan('2025-01-01', '2025-03-31'),
      PUBLIC,
    );
    expect(january).toEqual([quarter[0]]);
    expect(january[0]?.suppressed).toBe('COMPLEMENTARY');
  });

  it('computes a total from the cells shown, so a total minus its parts is always 0', () => {
    const sums = new Map([
      ['2025-01', 9],
      ['2025-02', 2],
      ['2025-03', 30],
      ['2025-04', 17],
    ]);
    const span = monthSpan('2025-01-01', '2025-04-30');
    const total = spanTotal(sums, span, PUBLIC);
    const shown = cellsOf(sums, span, PUBLIC).reduce(
      (sum, c) => sum + (c.value ?? 0),
      0,
    );
    expect(total).toEqual({ value: shown, suppressed: null, partial: true });
    expect(total.value).toBe(30 + 15);
    expect(spanTotal(sums, span, ADMIN)).toMatchObject({
      value: 58,
      partial: false,
    });
    expect(totalOfShown([])).toEqual({
      value: 0,
      suppressed: null,
      partial: false,
    });
  });

  it('lets no pair of nested windows of a series differ by 1 to 4', () => {
    // Small, uneven monthly counts: most months are under the threshold.
    const counts = [1, 6, 2, 0, 9, 3, 4, 12, 1, 7, 5, 2];
    const sums = new Map(
      counts.map((n, i) => [`2025-${String(i + 1).padStart(2, '0')}`, n]),
    );
    const months = periodsBetween(d('2025-01-01'), d('2025-12-01'), 'MONTH');
    const totals: Array<{ from: number; to: number; value: number }> = [];
    for (let i = 0; i < 12; i += 1)
      for (let j = i; j < 12; j += 1) {
        const span = monthSpan(
          months[i]!.start.toISOString().slice(0, 10),
          new Date(Date.UTC(2025, j + 1, 1) - 86_400_000)
            .toISOString()
            .slice(0, 10),
        );
        totals.push({
          from: i,
          to: j,
          value: spanTotal(sums, span, PUBLIC).value!,
        });
      }
    for (const big of totals)
      for (const small of totals)
        if (big.from <= small.from && small.to <= big.to) {
          const difference = big.value - small.value;
          expect(difference >= 1 && difference <= 4).toBe(false);
        }
  });
});

describe('salary statistics', () => {
  const placement = (startDate: string, change: number) => ({
    startDate: d(startDate),
    salaryBeforeCentavos: 1_000_000,
    salaryAfterCentavos: 1_000_000 + change,
  });

  it('rounds means and medians to 500 MXN beside a rounded count, exact for admins', () => {
    const five = [412_345, 515_001, 377_777, 601_010, 450_505].map((c) =>
      placement('2025-01-10', c),
    );
    expect(salaryUplift(five, PUBLIC)).toEqual({
      placements: { value: 5, suppressed: null, partial: false },
      medianChange: 450_000,
      meanChange: 450_000,
    });
    expect(salaryUplift(five, ADMIN)).toMatchObject({
      medianChange: 450_505,
      meanChange: (412_345 + 515_001 + 377_777 + 601_010 + 450_505) / 5,
    });
    expect(roundTo(-274_999, 50_000)).toBe(-250_000);
  });

  it('leaves the people of a withheld period out of the mean, so two spans never differ by one person', () => {
    const january = [1, 2, 3, 4, 5, 6].map((i) =>
      placement(`2025-01-0${i}`, 400_000 + i * 1_111),
    );
    const lonely = placement('2025-02-14', 9_000_000);
    const march = [1, 2, 3, 4, 5].map((i) =>
      placement(`2025-03-0${i}`, 300_000 + i * 777),
    );
    const all = [...january, lonely, ...march];
    const span = monthSpan('2025-01-01', '2025-02-28');
    const withFebruary = salaryUpliftOver(all, span, PUBLIC);
    const januaryOnly = salaryUpliftOver(
      all,
      monthSpan('2025-01-01', '2025-01-31'),
      PUBLIC,
    );
    // February's one person is withheld, and March (5, the smallest other
    // month of Q1) with it: January–February and January alone give the same
    // answers, February's person adds nothing.
    expect(withFebruary.placements).toEqual({
      value: 5,
      suppressed: null,
      partial: true,
    });
    expect(withFebruary.meanChange).toBe(januaryOnly.meanChange);
    expect(withFebruary.medianChange).toBe(januaryOnly.medianChange);
    expect(januaryOnly.placements.partial).toBe(false);
    expect(salaryUpliftOver(all, span, ADMIN)).toMatchObject({
      placements: { value: 7, partial: false },
    });
  });

  it('gives no salary figure over fewer people than the threshold', () => {
    const span = monthSpan('2025-01-01', '2025-01-31');
    expect(
      salaryUpliftOver([placement('2025-01-02', 100_000)], span, PUBLIC),
    ).toEqual({
      placements: { value: 0, suppressed: null, partial: true },
      medianChange: null,
      meanChange: null,
    });
  });
});

describe('survey averages', () => {
  const survey = (scores: Partial<Record<'ENGLISH' | 'TEAMWORK', number>>) => ({
    id: 's',
    employerId: 'e',
    cohortId: 'c',
    providerId: null,
    standardId: null,
    credentialId: null,
    submittedAt: d('2025-01-01'),
    ratings: Object.entries(scores).map(([factor, score]) => ({
      factor: factor as 'ENGLISH' | 'TEAMWORK',
      score: score!,
    })),
  });

  it('gives a factor average only over at least the threshold of ratings, to one decimal', () => {
    const surveys = [
      survey({ TEAMWORK: 4, ENGLISH: 2 }),
      survey({ TEAMWORK: 5 }),
      survey({ TEAMWORK: 3 }),
      survey({ TEAMWORK: 4 }),
      survey({ TEAMWORK: 5 }),
      survey({ TEAMWORK: 4 }),
    ];
    const score = surveyScore(surveys, EQUAL_WEIGHTS, PUBLIC);
    const factor = (name: string) =>
      score.factors.find((f) => f.factor === name)?.average;
    // One employer rated English: its 2 would be that employer's answer.
    expect(factor('ENGLISH')).toBeNull();
    expect(factor('TEAMWORK')).toBe(4.2);
    expect(score.weightedAverage).toBe(4.2);
    const exact = surveyScore(surveys, EQUAL_WEIGHTS, ADMIN);
    expect(exact.factors.find((f) => f.factor === 'ENGLISH')?.average).toBe(2);
    expect(exact.factors.find((f) => f.factor === 'TEAMWORK')?.average).toBe(
      25 / 6,
    );
  });
});

describe('cohort outcomes', () => {
  it('withholds completed with a lone withheld dropped count, so enrolled minus completed does not give it', () => {
    const shown = cohortOutcomes(
      { enrolled: 10, completed: 8, dropped: 2 },
      PUBLIC,
    );
    expect(shown).toEqual({
      enrolled: { value: 10, suppressed: null, partial: false },
      completed: { value: null, suppressed: 'COMPLEMENTARY', partial: false },
      dropped: { value: null, suppressed: 'BELOW_THRESHOLD', partial: false },
      completionRate: null,
    });
    expect(
      cohortOutcomes({ enrolled: 10, completed: 8, dropped: 2 }, ADMIN)
        .completionRate,
    ).toBe(0.8);
  });
});
