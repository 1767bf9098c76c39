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
  it('withholds counts from 1 to the threshold − 1 from everyone but admins', () => {
    expect(disclose(4, PUBLIC)).toEqual({
      value: null,
      suppressed: 'BELOW_THRESHOLD',
    });
    expect(disclose(5, PUBLIC)).toEqual({ value: 5, suppressed: null });
    expect(disclose(0, PUBLIC)).toEqual({ value: 0, suppressed: null });
    expect(disclose(4, ADMIN)).toEqual({ value: 4, suppressed: null });
  });

  it('computes no rate from a withheld count', () => {
    const result = funnel(
      { trained: 40, completed: 30, certified: 3, placed: 0 },
      PUBLIC,
    );
    expect(result.completionRate).toBe(0.75);
    expect(result.certificationRate).toBeNull();
    expect(
      funnel({ trained: 40, completed: 30, certified: 3, placed: 0 }, ADMIN),
    ).toMatchObject({
      certificationRate: 0.1,
    });
  });
});

describe('demand series', () => {
  it('gives the growth against the previous period, null after an empty or withheld one', () => {
    const periods = periodsBetween(d('2025-01-01'), d('2025-05-01'), 'MONTH');
    const headcount = new Map([
      ['2025-01', 100],
      ['2025-02', 150],
      ['2025-04', 3],
      ['2025-05', 30],
    ]);
    const series = demandSeries(periods, headcount, new Map(), PUBLIC);
    expect(series.map((p) => p.growthRate)).toEqual([
      null,
      0.5,
      -1,
      null,
      null,
    ]);
    expect(series[3]?.requestedHeadcount.suppressed).toBe('BELOW_THRESHOLD');
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
