import { newPlacement, salaryUplift } from '../../src/domain/placement';
import { ADMIN, PUBLIC, placementMother } from '../fixtures/mothers';

const salaries = (...pairs: Array<[number, number]>) =>
  pairs.map(([before, after]) => ({
    salaryBeforeCentavos: before,
    salaryAfterCentavos: after,
  }));

describe('salary uplift', () => {
  it('gives the median and the mean (sum ÷ count) of the monthly change', () => {
    const result = salaryUplift(
      salaries(
        [1_000_000, 1_500_000],
        [0, 1_200_000],
        [2_000_000, 1_900_000],
        [800_000, 1_000_000],
        [1_000_000, 1_300_000],
      ),
      PUBLIC,
    );
    // 420,000 centavos (4,200 MXN) shown to the nearest 500 MXN.
    expect(result).toEqual({
      placements: { value: 5, suppressed: null, partial: false },
      medianChange: 300_000,
      meanChange: 400_000,
    });
  });

  it('averages the two middle changes of an even count', () => {
    const result = salaryUplift(salaries([0, 100], [0, 300]), ADMIN);
    expect(result.medianChange).toBe(200);
  });

  it('withholds the statistics of fewer than 5 placements from non-admins', () => {
    expect(salaryUplift(salaries([0, 100]), PUBLIC)).toEqual({
      placements: {
        value: null,
        suppressed: 'BELOW_THRESHOLD',
        partial: false,
      },
      medianChange: null,
      meanChange: null,
    });
  });
});

describe('a new placement', () => {
  it('refuses a bad state, an empty title and a malformed id, all at once', () => {
    const input = {
      ...placementMother.developer({
        state: 'JAL',
        jobTitle: ' ',
        personId: 'x',
      }),
      startDate: new Date('2025-03-01'),
    };
    expect(() => newPlacement('id', input, new Date())).toThrow(
      expect.objectContaining({
        fields: expect.arrayContaining([
          expect.objectContaining({ field: 'personId' }),
          expect.objectContaining({ field: 'jobTitle' }),
          expect.objectContaining({ field: 'state' }),
        ]),
      }),
    );
  });
});
