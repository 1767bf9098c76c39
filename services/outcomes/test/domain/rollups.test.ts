import {
  bucketOf,
  rollupId,
  rollupsOf,
  sumRollups,
} from '../../src/domain/metrics';
import { bucketWrites } from '../../src/store/buckets';

const demand = (state: string | null, standardId: string, amount: number) => ({
  ...bucketOf({
    metric: 'DEMAND_HEADCOUNT',
    at: new Date('2025-03-10T12:00:00Z'),
    amount,
    dimensions: {
      state,
      standardId,
      credentialId: null,
      sectorId: null,
      cohortId: null,
    },
  }),
  amount,
});

describe('rollups', () => {
  it('adds a bucket to its month for the nation and for its recorded state', () => {
    expect(rollupsOf(demand('MX-JAL', 's1', 3)).map((r) => r.id)).toEqual([
      'DEMAND_HEADCOUNT|MONTH_TOTAL|2025-03|*',
      'DEMAND_HEADCOUNT|MONTH_TOTAL|2025-03|MX-JAL',
    ]);
    expect(rollupsOf(demand(null, 's1', 3)).map((r) => r.id)).toEqual([
      rollupId('DEMAND_HEADCOUNT', '2025-03', null),
    ]);
  });

  it('sums a batch into one write per rollup beside its bucket writes', () => {
    const writes = bucketWrites([
      demand('MX-JAL', 's1', 3),
      demand('MX-JAL', 's2', 4),
      demand('MX-NLE', 's1', 5),
    ]);
    const value = (id: string) => writes.find((w) => w.id === id)?.inc.value;
    expect(writes).toHaveLength(3 + 3);
    expect(value(rollupId('DEMAND_HEADCOUNT', '2025-03', null))).toBe(12);
    expect(value(rollupId('DEMAND_HEADCOUNT', '2025-03', 'MX-JAL'))).toBe(7);
    expect(value(rollupId('DEMAND_HEADCOUNT', '2025-03', 'MX-NLE'))).toBe(5);
  });

  it('sums stored buckets into the same rollups a batch writes (the backfill of an earlier generation)', () => {
    const deltas = [
      demand('MX-JAL', 's1', 3),
      demand('MX-JAL', 's2', 4),
      demand('MX-NLE', 's1', 5),
      demand(null, 's3', 2),
    ];
    const written = bucketWrites(deltas).filter((w) =>
      w.id.includes('MONTH_TOTAL'),
    );
    // Stored buckets carry their state as a field, not under `dimensions`.
    const stored = deltas.map((d) => ({
      bucket: {
        metric: d.metric,
        granularity: d.granularity,
        period: d.period,
        dimensions: { state: d.dimensions.state },
      },
      amount: d.amount,
    }));
    const totals = sumRollups(stored);
    expect([...totals.values()].map((t) => [t.id, t.value]).sort()).toEqual(
      written.map((w) => [w.id, w.inc.value]).sort(),
    );
    expect(
      totals.get(rollupId('DEMAND_HEADCOUNT', '2025-03', null))?.value,
    ).toBe(14);
  });
});
