import { goalProgress, newGoal, type GoalInput } from '../../src/domain/goal';
import { ADMIN, PUBLIC } from '../fixtures/mothers';

const NOW = new Date('2026-03-02T16:00:00.000Z');

/** The national program's goal: 60,000 certifications in two years. */
const national = (overrides: Partial<GoalInput> = {}) =>
  newGoal(
    'goal-1',
    {
      name: 'Meta nacional de certificación 2026–2027',
      metric: 'CERTIFICATIONS',
      target: 60_000,
      startsOn: new Date('2026-01-01'),
      deadline: new Date('2027-12-31'),
      ...overrides,
    },
    NOW,
  );

describe('program goals', () => {
  it('projects the day the target is met at the run rate so far', () => {
    // 5,900 in the 60 days since Jan 1: 98.33/day → 60,000 in 611 days.
    const progress = goalProgress(
      national(),
      5_900,
      new Date('2026-03-02T00:00:00.000Z'),
      PUBLIC,
    );
    expect(progress.achieved.value).toBe(5_900);
    expect(progress.percentage).toBeCloseTo(9.83, 2);
    expect(progress.dailyRate).toBeCloseTo(98.33, 2);
    expect(progress.projectedCompletion?.toISOString().slice(0, 10)).toBe(
      '2027-09-04',
    );
    expect(progress.onTrack).toBe(true);
  });

  it('is off track when the run rate misses the deadline', () => {
    const progress = goalProgress(
      national(),
      1_000,
      new Date('2026-03-02T00:00:00.000Z'),
      ADMIN,
    );
    expect(progress.onTrack).toBe(false);
  });

  it('measures the pace of a goal past its deadline over the goal’s own span', () => {
    // The seeds' goal: 60,000 certifications from 2008-01-01 to 2013-12-31,
    // read in 2026. The count stops at the deadline, so the rate is over the
    // 2,192 days of 2008–2013 (six years, two of them leap): 50,000 ÷ 2,192 =
    // 22.81/day, and 60,000 at that pace takes ⌈2,630.4⌉ = 2,631 days from
    // 2008-01-01, i.e. 2015-03-16 (2,557 days to 2015-01-01, then 74 more).
    const seeds = newGoal(
      'goal-2008',
      {
        name: 'Meta nacional 2008–2013',
        metric: 'CERTIFICATIONS',
        target: 60_000,
        startsOn: new Date('2008-01-01'),
        deadline: new Date('2013-12-31'),
      },
      NOW,
    );
    const progress = goalProgress(seeds, 50_000, NOW, ADMIN);
    expect(progress.dailyRate).toBeCloseTo(22.81, 2);
    expect(progress.projectedCompletion?.toISOString().slice(0, 10)).toBe(
      '2015-03-16',
    );
    expect(progress.onTrack).toBe(false);
  });

  it('refuses a certification or training goal that does not span whole months, naming each date; placements count days', () => {
    const attempt = (metric: GoalInput['metric']) => () =>
      national({
        metric,
        startsOn: new Date('2026-01-15'),
        deadline: new Date('2027-06-30'),
      });
    expect(attempt('CERTIFICATIONS')).toThrow(
      expect.objectContaining({
        fields: [expect.objectContaining({ field: 'startsOn' })],
      }),
    );
    expect(() =>
      national({ metric: 'TRAINED', deadline: new Date('2027-12-30') }),
    ).toThrow(
      expect.objectContaining({
        fields: [expect.objectContaining({ field: 'deadline' })],
      }),
    );
    expect(attempt('PLACEMENTS')().startsOn.toISOString()).toBe(
      '2026-01-15T00:00:00.000Z',
    );
  });

  it('projects nothing from a withheld count or before the start', () => {
    expect(goalProgress(national(), 3, NOW, PUBLIC)).toMatchObject({
      achieved: { value: null, suppressed: 'BELOW_THRESHOLD' },
      percentage: null,
      projectedCompletion: null,
      onTrack: null,
    });
    expect(
      goalProgress(national(), 0, new Date('2025-12-01'), ADMIN)
        .projectedCompletion,
    ).toBeNull();
  });

  it('refuses a state scope on facts that carry no state, a deadline before the start and a zero target', () => {
    expect(() =>
      national({
        state: 'MX-JAL',
        target: 0,
        deadline: new Date('2025-12-31'),
      }),
    ).toThrow(
      expect.objectContaining({
        fields: [
          expect.objectContaining({ field: 'target' }),
          expect.objectContaining({ field: 'deadline' }),
          expect.objectContaining({ field: 'state' }),
        ],
      }),
    );
    expect(national({ metric: 'PLACEMENTS', state: 'MX-JAL' }).state).toBe(
      'MX-JAL',
    );
  });

  it('is computed before, during and after its period from the days it counted', () => {
    // 100 placements from 2026-01-01 to 2026-04-10: 100 days (31 + 28 + 31 + 10).
    const goal = newGoal(
      'goal-q1',
      {
        name: 'Colocaciones del primer trimestre 2026',
        metric: 'PLACEMENTS',
        target: 100,
        startsOn: new Date('2026-01-01'),
        deadline: new Date('2026-04-10'),
      },
      NOW,
    );
    const at = (asOf: string, achieved: number) => {
      const p = goalProgress(goal, achieved, new Date(asOf), ADMIN);
      return [
        p.percentage,
        p.dailyRate,
        p.projectedCompletion?.toISOString().slice(0, 10) ?? null,
        p.onTrack,
      ];
    };
    // Before: nothing counted, nothing projected.
    expect(at('2025-12-15T00:00:00Z', 0)).toEqual([0, null, null, null]);
    // During: 60 in the 50 days to Feb 20 = 1.2/day, 100 in ⌈83.3⌉ = 84 days.
    expect(at('2026-02-20T00:00:00Z', 60)).toEqual([
      60,
      1.2,
      '2026-03-26',
      true,
    ]);
    // After: 80 over the goal's 100 days = 0.8/day, 125 days → May 6; missed.
    expect(at('2026-09-01T00:00:00Z', 80)).toEqual([
      80,
      0.8,
      '2026-05-06',
      false,
    ]);
    // After, met: on track whatever the pace.
    expect(at('2026-09-01T00:00:00Z', 100)).toEqual([
      100,
      1,
      '2026-04-11',
      true,
    ]);
  });
});
