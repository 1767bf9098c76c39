import { placementMother as input } from '../fixtures/mothers';
import {
  admin,
  startOutcomes,
  university,
  type RunningOutcomes,
} from '../fixtures/service';

// Salary uplift in nominal and real pesos, newly employed apart from people
// who had a salary (issue 14, item 1): the README's worked example recorded
// over HTTP on the real FerretDB and read through GraphQL. Figures computed by
// hand from the INPC table (test/domain/uplift.test.ts shows each step):
// December 2023 132.373, January 2024 133.555, June 2024 134.594, July 2024
// 136.003, July 2025 140.780.

let running: RunningOutcomes;

beforeAll(async () => {
  running = await startOutcomes('outcomes-salary-uplift');
});

afterAll(() => running?.stop());

const RECORD = /* GraphQL */ `
  mutation ($input: RecordPlacementInput!) {
    recordPlacement(input: $input) {
      id
    }
  }
`;

const UPLIFT = /* GraphQL */ `
  query ($filter: OutcomeFilter!, $pricesOf: Date) {
    salaryUplift(filter: $filter, pricesOf: $pricesOf) {
      placements {
        value
        suppressed
        partial
      }
      medianChange
      meanChange
      realMedianChange
      realMeanChange
      pricesOf
      deflatedWith
      newlyEmployed {
        placements {
          value
          suppressed
          partial
        }
        medianSalary
        meanSalary
        realMedianSalary
        realMeanSalary
      }
      previouslyEmployed {
        placements {
          value
          suppressed
          partial
        }
        medianChange
        meanChange
        realMedianChange
        realMeanChange
        realRaises {
          value
          suppressed
          partial
        }
        realRaiseShare
      }
    }
  }
`;

// Monthly salaries before → after, centavos, and the first day of work.
const JOBS: Array<[string, number, number]> = [
  // Newly employed (no salary before).
  ['2024-01-15', 0, 1_000_000],
  ['2024-01-22', 0, 1_200_000],
  ['2024-07-01', 0, 1_500_000],
  ['2024-07-01', 0, 1_300_000],
  ['2024-07-08', 0, 1_100_000],
  ['2024-07-15', 0, 1_400_000],
  // With a salary before: real raise, real fall (same pesos), real raise,
  // real raise, a cut, and a nominal raise of 0.5 % in a month of 1.05 % inflation.
  ['2024-01-08', 1_000_000, 1_050_000],
  ['2024-01-08', 1_200_000, 1_200_000],
  ['2024-07-01', 1_500_000, 1_800_000],
  ['2024-07-01', 800_000, 1_000_000],
  ['2024-07-22', 2_000_000, 1_900_000],
  ['2024-07-10', 1_000_000, 1_005_000],
];

const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31', granularity: 'YEAR' };
const shown = (value: number, partial = false) => ({
  value,
  suppressed: null,
  partial,
});

describe('salary uplift, real and nominal', () => {
  beforeAll(async () => {
    for (const [startDate, salaryBefore, salaryAfter] of JOBS)
      await running.client.ok(
        RECORD,
        { input: input.developer({ startDate, salaryBefore, salaryAfter }) },
        admin,
      );
  });

  it('gives an admin the exact figures in nominal pesos and in pesos of July 2025, newly employed apart from raises', async () => {
    const { salaryUplift } = await running.client.ok(
      UPLIFT,
      { filter: YEAR_2024 },
      admin,
    );
    expect(salaryUplift).toEqual({
      placements: shown(12),
      // Nominal changes: the 6th and 7th of 12 are 300,000 and 1,000,000.
      medianChange: 650_000,
      meanChange: expect.closeTo(7_955_000 / 12, 6),
      // Real changes: the 6th and 7th are 294,283 and 1,054,098; sum 8,198,964.
      realMedianChange: 674_190.5,
      realMeanChange: 683_247,
      pricesOf: '2025-07',
      deflatedWith: 'PUBLISHED',
      newlyEmployed: {
        placements: shown(6),
        medianSalary: 1_250_000,
        meanSalary: 1_250_000,
        // (1,264,917 + 1,345,661) ÷ 2; sum 7,805,173 ÷ 6.
        realMedianSalary: 1_305_289,
        realMeanSalary: expect.closeTo(7_805_173 / 6, 6),
      },
      previouslyEmployed: {
        placements: shown(6),
        medianChange: 27_500,
        meanChange: expect.closeTo(455_000 / 6, 6),
        // (−5,660 + 43,292) ÷ 2; sum 393,791 ÷ 6.
        realMedianChange: 18_816,
        realMeanChange: expect.closeTo(393_791 / 6, 6),
        realRaises: shown(3),
        realRaiseShare: 0.5,
      },
    });
  });

  it('gives a university counts rounded to 5 and money to 500 MXN, and withholds a split of 3 and 3', async () => {
    const { salaryUplift } = await running.client.ok(
      UPLIFT,
      { filter: YEAR_2024 },
      university,
    );
    expect(salaryUplift).toEqual({
      placements: shown(10),
      medianChange: 650_000,
      meanChange: 650_000,
      realMedianChange: 650_000,
      realMeanChange: 700_000,
      pricesOf: '2025-07',
      deflatedWith: 'PUBLISHED',
      newlyEmployed: {
        placements: shown(5),
        medianSalary: 1_250_000,
        meanSalary: 1_250_000,
        realMedianSalary: 1_300_000,
        realMeanSalary: 1_300_000,
      },
      previouslyEmployed: {
        placements: shown(5),
        medianChange: 50_000,
        meanChange: 100_000,
        realMedianChange: 0,
        realMeanChange: 50_000,
        // 3 with a real raise and 3 without: both withheld, the total shows none.
        realRaises: shown(0, true),
        realRaiseShare: null,
      },
    });
  });

  it('states the base month asked and flags one after the INPC table as carried forward', async () => {
    const { salaryUplift } = await running.client.ok(
      UPLIFT,
      { filter: YEAR_2024, pricesOf: '2026-11-15' },
      admin,
    );
    // November 2026 uses July 2025's index, the last published in the table.
    expect(salaryUplift).toMatchObject({
      pricesOf: '2026-11',
      deflatedWith: 'CARRIED_FORWARD',
      realMedianChange: 674_190.5,
      medianChange: 650_000,
    });
    // In pesos of July 2024 (136.003): the newly employed of July keep their
    // salaries, January's 1,000,000 and 1,200,000 become × 136,003 ÷ 133,555 =
    // 1,018,329.5… → 1,018,330 and 1,221,995.4… → 1,221,995; the middle two
    // are 1,221,995 and 1,300,000.
    const july2024 = await running.client.ok(
      UPLIFT,
      { filter: YEAR_2024, pricesOf: '2024-07-01' },
      admin,
    );
    expect(july2024.salaryUplift.newlyEmployed.realMedianSalary).toBe(
      (1_221_995 + 1_300_000) / 2,
    );
    expect(july2024.salaryUplift.deflatedWith).toBe('PUBLISHED');
  });

  it('refuses a base month before the INPC table, naming the argument', async () => {
    const response = await running.client.request(
      UPLIFT,
      { filter: YEAR_2024, pricesOf: '2017-06-01' },
      university,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'pricesOf',
    });
  });
});
