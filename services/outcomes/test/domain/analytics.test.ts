import { NO_DIMENSIONS, bucketOf } from '../../src/domain/metrics';
import {
  last12Months,
  monthsOf,
  parsePeriod,
  periodOf,
  periodOfMonth,
  periodsBetween,
} from '../../src/domain/periods';
import { rollUpMonths, type BucketRow } from '../../src/domain/scope';
import { cohortFunnel } from '../../src/domain/funnel';
import { demandSeries } from '../../src/domain/series';
import { disclose } from '../../src/domain/suppression';
import { standardUsage, type StandardView } from '../../src/domain/usage';
import { ADMIN, PUBLIC } from '../fixtures/mothers';

const d = (iso: string) => new Date(iso);

describe('periods', () => {
  it('labels months, quarters and years in UTC', () => {
    const at = d('2025-05-31T23:30:00.000Z');
    expect(periodOf(at, 'MONTH').label).toBe('2025-05');
    expect(periodOf(at, 'QUARTER').label).toBe('2025-Q2');
    expect(periodOf(at, 'YEAR').label).toBe('2025');
  });

  it('lists every period of a span, empty ones included', () => {
    const quarters = periodsBetween(
      d('2024-11-15'),
      d('2025-07-01'),
      'QUARTER',
    );
    expect(quarters.map((p) => p.label)).toEqual([
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
    ]);
  });

  it('refuses a span that ends before it starts or covers more than 20 years', () => {
    expect(() =>
      periodsBetween(d('2025-02-01'), d('2025-01-01'), 'MONTH'),
    ).toThrow('from must not be after to');
    expect(() =>
      periodsBetween(d('2000-01-01'), d('2025-01-01'), 'YEAR'),
    ).toThrow('240 months');
  });

  it('takes the 12 calendar months ending with the current one', () => {
    const months = last12Months(d('2026-03-02T16:00:00.000Z'));
    expect(months).toHaveLength(12);
    expect(months[0]?.label).toBe('2025-04');
    expect(months[11]?.label).toBe('2026-03');
  });

  it('reads a label back into its period, and refuses a label of another granularity', () => {
    expect(parsePeriod('2025-05', 'MONTH').start).toEqual(d('2025-05-01'));
    expect(parsePeriod('2025-Q3', 'QUARTER').start).toEqual(d('2025-07-01'));
    expect(parsePeriod('2025', 'YEAR').start).toEqual(d('2025-01-01'));
    expect(() => parsePeriod('2025-Q3', 'MONTH')).toThrow(
      '2025-Q3 is not a month label',
    );
    expect(() => parsePeriod('2025-13', 'MONTH')).toThrow();
    expect(() => parsePeriod('2025-Q5', 'QUARTER')).toThrow();
    expect(() => parsePeriod('2025-01', 'YEAR')).toThrow();
  });

  it('lists the months of quarters and years, in order and each once', () => {
    expect(monthsOf(['2024-Q4', '2025-Q1'], 'QUARTER')).toEqual([
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    const years = monthsOf(['2024', '2025'], 'YEAR');
    expect(years).toHaveLength(24);
    expect([years[0], years[11], years[12], years[23]]).toEqual([
      '2024-01',
      '2024-12',
      '2025-01',
      '2025-12',
    ]);
    expect(monthsOf(['2025-02', '2025-02'], 'MONTH')).toEqual(['2025-02']);
    expect(monthsOf([], 'YEAR')).toEqual([]);
  });

  it('labels a month with the quarter and the year it is in', () => {
    expect(
      ['2025-01', '2025-03', '2025-04', '2025-12'].map((m) =>
        periodOfMonth(m, 'QUARTER'),
      ),
    ).toEqual(['2025-Q1', '2025-Q1', '2025-Q2', '2025-Q4']);
    expect(periodOfMonth('2025-12', 'YEAR')).toBe('2025');
    expect(periodOfMonth('2025-12', 'MONTH')).toBe('2025-12');
  });

  it('gives back the months of every period it lists (the read path of quarters and years)', () => {
    for (const granularity of ['MONTH', 'QUARTER', 'YEAR'] as const) {
      const periods = periodsBetween(
        d('2019-01-01'),
        d('2025-12-31'),
        granularity,
      );
      const months = monthsOf(
        periods.map((p) => p.label),
        granularity,
      );
      expect(months).toHaveLength(84);
      expect(new Set(months.map((m) => periodOfMonth(m, granularity)))).toEqual(
        new Set(periods.map((p) => p.label)),
      );
    }
  });
});

describe('buckets', () => {
  it('puts one fact in its month only, keyed by its dimensions', () => {
    const key = bucketOf({
      metric: 'DEMAND_HEADCOUNT',
      at: d('2025-08-10T10:00:00.000Z'),
      amount: 20,
      dimensions: { ...NO_DIMENSIONS, state: 'MX-JAL', standardId: 's1' },
    });
    // The id still names the granularity: the same documents as when
    // quarters and years were written too.
    expect(key).toMatchObject({
      id: 'DEMAND_HEADCOUNT|MONTH|2025-08|MX-JAL|s1|-|-|-',
      granularity: 'MONTH',
      period: '2025-08',
    });
  });

  it('sums month rows into quarters and years per period and dimensions', () => {
    const row = (
      period: string,
      value: number,
      dimensions: Partial<BucketRow['dimensions']> = {},
    ): BucketRow => ({
      period,
      value,
      dimensions: { ...NO_DIMENSIONS, ...dimensions },
    });
    const months = [
      row('2024-11', 3, { state: 'MX-JAL' }),
      row('2024-12', 4, { state: 'MX-JAL' }),
      row('2024-12', 2, { state: 'MX-NLE' }),
      row('2025-01', 6, { state: 'MX-JAL' }),
      row('2025-02', -1, { state: 'MX-JAL' }),
      row('2025-02', 5, { state: 'MX-JAL', standardId: 's1' }),
    ];
    expect(rollUpMonths(months, 'QUARTER')).toEqual([
      row('2024-Q4', 7, { state: 'MX-JAL' }),
      row('2024-Q4', 2, { state: 'MX-NLE' }),
      row('2025-Q1', 5, { state: 'MX-JAL' }),
      row('2025-Q1', 5, { state: 'MX-JAL', standardId: 's1' }),
    ]);
    expect(rollUpMonths(months, 'YEAR')).toEqual([
      row('2024', 7, { state: 'MX-JAL' }),
      row('2024', 2, { state: 'MX-NLE' }),
      row('2025', 5, { state: 'MX-JAL' }),
      row('2025', 5, { state: 'MX-JAL', standardId: 's1' }),
    ]);
    expect(rollUpMonths(months, 'MONTH')).toEqual(months);
    // The input rows are not changed.
    expect(months[0]).toEqual(row('2024-11', 3, { state: 'MX-JAL' }));
  });
});

describe('suppression', () => {
  it('withholds counts from 1 to the threshold − 1 from everyone but admins, and rounds the others to a multiple of 5', () => {
    expect(disclose(4, PUBLIC)).toEqual({
      value: null,
      suppressed: 'BELOW_THRESHOLD',
      partial: false,
    });
    expect(
      [5, 7, 8, 12, 13, 1_234].map((n) => disclose(n, PUBLIC).value),
    ).toEqual([5, 5, 10, 10, 15, 1_235]);
    expect(disclose(0, PUBLIC)).toMatchObject({ value: 0, suppressed: null });
    expect(disclose(4, ADMIN)).toMatchObject({ value: 4, suppressed: null });
    expect(disclose(13, ADMIN)).toMatchObject({ value: 13 });
  });

  it('withholds a funnel stage’s period when the stage before withholds it, so the totals shown never grow from stage to stage', () => {
    const months = periodsBetween(d('2025-01-01'), d('2025-03-31'), 'MONTH');
    const span = {
      periods: months,
      rows: months,
      granularity: 'MONTH' as const,
    };
    const cohorts = (jan: number, feb: number, mar: number) =>
      new Map([
        ['2025-01', jan],
        ['2025-02', feb],
        ['2025-03', mar],
      ]);
    const counts = {
      // February's 3 is withheld, and March's 24 with it (the smallest other).
      ENROLLED: cohorts(40, 3, 24),
      COMPLETED: cohorts(30, 2, 20),
      // 20, 0, 12 would all be shown on their own; February and March follow
      // the stage before.
      CERTIFIED: cohorts(20, 0, 12),
      // March's 2 is withheld, and January's 6 with it.
      PLACED: cohorts(6, 0, 2),
    };
    const shown = cohortFunnel(counts, span, PUBLIC, 6);
    expect(shown.stages.map((s) => [s.stage, s.base, s.count.value])).toEqual([
      ['ENROLLED', null, 40],
      ['COMPLETED', 'ENROLLED', 30],
      ['CERTIFIED', 'COMPLETED', 20],
      ['PLACED', 'CERTIFIED', 0],
    ]);
    expect(shown.stages.every((s) => s.count.partial)).toBe(true);
    // A ratio of lower bounds means nothing.
    expect(shown.stages.map((s) => s.rate)).toEqual([null, null, null, null]);
    const exact = cohortFunnel(counts, span, ADMIN, 6);
    expect(
      [exact.enrolled, exact.completed, exact.certified, exact.placed].map(
        (c) => c.value,
      ),
    ).toEqual([67, 52, 32, 8]);
    expect(exact.completionRate).toBeCloseTo(52 / 67, 10);
    expect(exact.certificationRate).toBeCloseTo(32 / 52, 10);
    expect(exact.placementRate).toBe(0.25);
  });
});

describe('demand series', () => {
  it('gives the growth against the previous period, null after an empty or withheld one', () => {
    const periods = periodsBetween(d('2025-01-01'), d('2025-05-01'), 'MONTH');
    const rows = periodsBetween(d('2025-01-01'), d('2025-06-30'), 'MONTH');
    const headcount = new Map([
      ['2025-01', 100],
      ['2025-02', 150],
      ['2025-04', 3],
      ['2025-05', 30],
      ['2025-06', 41],
    ]);
    const series = demandSeries(
      { periods, rows, granularity: 'MONTH' },
      headcount,
      new Map(),
      PUBLIC,
    );
    expect(series.map((p) => p.growthRate)).toEqual([
      null,
      0.5,
      -1,
      null,
      null,
    ]);
    expect(series[3]?.requestedHeadcount.suppressed).toBe('BELOW_THRESHOLD');
    // April's 3 is the only withheld month of Q2: May's 30 (smaller than
    // June's 41) is withheld with it, so Q2's total minus June is not April.
    expect(series[4]?.requestedHeadcount.suppressed).toBe('COMPLEMENTARY');
  });
});

describe('standard usage', () => {
  const standard = (
    code: string,
    publishedAt: string | null,
    endedAt: string | null = null,
  ): StandardView => ({
    id: code,
    code,
    title: code,
    sectorId: null,
    publishedAt: publishedAt ? d(publishedAt) : null,
    endedAt: endedAt ? d(endedAt) : null,
  });

  it('counts only standards published at the date, and lists the unused ones by code', () => {
    const report = standardUsage(
      [
        standard('EC0301', '2024-01-01'),
        standard('EC0217', '2023-01-01'),
        standard('EC0500', '2023-01-01', '2025-06-01'),
        standard('EC0900', '2027-01-01'),
        standard('EC0100', null),
      ],
      new Set(['EC0301', 'EC0500']),
      d('2026-01-01'),
    );
    expect(report).toMatchObject({
      publishedStandards: 2,
      usedStandards: 1,
      share: 0.5,
      unused: [{ id: 'EC0217' }],
    });
  });

  it('has no share when nothing is published', () => {
    expect(standardUsage([], new Set(), d('2026-01-01')).share).toBeNull();
  });
});
