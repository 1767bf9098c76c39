import { NO_DIMENSIONS, bucketsOf } from '../../src/domain/metrics';
import {
  last12Months,
  periodOf,
  periodsBetween,
} from '../../src/domain/periods';
import { demandSeries, funnel } from '../../src/domain/series';
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
});

describe('buckets', () => {
  it('puts one fact in its month, quarter and year, keyed by its dimensions', () => {
    const keys = bucketsOf({
      metric: 'DEMAND_HEADCOUNT',
      at: d('2025-08-10T10:00:00.000Z'),
      amount: 20,
      dimensions: { ...NO_DIMENSIONS, state: 'MX-JAL', standardId: 's1' },
    }).map((b) => b.id);
    expect(keys).toEqual([
      'DEMAND_HEADCOUNT|MONTH|2025-08|MX-JAL|s1|-|-|-',
      'DEMAND_HEADCOUNT|QUARTER|2025-Q3|MX-JAL|s1|-|-|-',
      'DEMAND_HEADCOUNT|YEAR|2025|MX-JAL|s1|-|-|-',
    ]);
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

  it('computes the funnel from the periods shown, and no rate from a partial total', () => {
    const months = periodsBetween(d('2025-01-01'), d('2025-03-31'), 'MONTH');
    const span = {
      periods: months,
      rows: months,
      granularity: 'MONTH' as const,
    };
    const sums = {
      trained: new Map([['2025-01', 40]]),
      completed: new Map([['2025-01', 30]]),
      // 3 in February: withheld, and complemented by January's 20.
      certified: new Map([
        ['2025-01', 20],
        ['2025-02', 3],
        ['2025-03', 24],
      ]),
      placed: new Map<string, number>(),
    };
    const result = funnel(span, sums, PUBLIC);
    expect(result.completionRate).toBe(0.75);
    expect(result.certified).toEqual({
      value: 25,
      suppressed: null,
      partial: true,
    });
    expect(result.certificationRate).toBeNull();
    expect(funnel(span, sums, ADMIN)).toMatchObject({
      certified: { value: 47, partial: false },
      certificationRate: 47 / 30,
    });
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
