import fc from 'fast-check';
import { alignedPeriods, rowPeriods } from '../../src/domain/periods';
import { protectedCells, type SeriesSpan } from '../../src/domain/series';
import { upliftPartCells, type UpliftPart } from '../../src/domain/uplift';
import { PUBLIC } from '../fixtures/mothers';

// The parts of the salary uplift (newly employed, previously employed, and the
// latter's real raises and the rest) over random months of a year, as a
// university sees them: no released sum is left with exactly one withheld
// cell that another cell could be subtracted to (README, "Salary uplift").

const periods = alignedPeriods(
  new Date('2025-01-01'),
  new Date('2025-12-31'),
  'MONTH',
);
const span: SeriesSpan = {
  periods,
  rows: rowPeriods(periods, 'MONTH'),
  granularity: 'MONTH',
};
const PAIRS: Array<[UpliftPart | 'total', UpliftPart, UpliftPart]> = [
  ['total', 'newly', 'previously'],
  ['previously', 'raised', 'notRaised'],
];

// Small counts, often 0 and often below the threshold: where the rules bite.
const monthArb = fc.record({
  newly: fc.integer({ min: 0, max: 12 }),
  raised: fc.integer({ min: 0, max: 12 }),
  notRaised: fc.integer({ min: 0, max: 12 }),
});

describe('the protection of the salary uplift’s parts', () => {
  it('never leaves a whole shown beside exactly one withheld non-zero part, nor a quarter’s months with exactly one withheld cell beside a non-zero one', () => {
    fc.assert(
      fc.property(
        fc.array(monthArb, { minLength: 12, maxLength: 12 }),
        (months) => {
          const labels = periods.map((p) => p.label);
          const counts = {
            newly: new Map(labels.map((l, i) => [l, months[i]!.newly])),
            previously: new Map(
              labels.map((l, i) => [
                l,
                months[i]!.raised + months[i]!.notRaised,
              ]),
            ),
            raised: new Map(labels.map((l, i) => [l, months[i]!.raised])),
            notRaised: new Map(labels.map((l, i) => [l, months[i]!.notRaised])),
          };
          const totals = protectedCells(
            new Map(
              labels.map((l) => [
                l,
                counts.newly.get(l)! + counts.previously.get(l)!,
              ]),
            ),
            span,
            PUBLIC,
          );
          const cells = upliftPartCells(
            totals,
            counts,
            new Set(),
            span,
            PUBLIC,
          );
          const cell = (part: UpliftPart | 'total', label: string) =>
            part === 'total' ? totals.get(label)! : cells[part].get(label)!;
          for (const label of labels)
            for (const [whole, a, b] of PAIRS) {
              const hidden = [a, b].filter(
                (p) => cell(p, label).value === null,
              );
              // A withheld whole hides every non-zero part.
              if (cell(whole, label).value === null)
                expect(
                  [a, b].filter(
                    (p) =>
                      counts[p].get(label)! > 0 &&
                      cell(p, label).value !== null,
                  ),
                ).toEqual([]);
              // A shown whole: never exactly one non-zero part withheld beside a non-zero shown one.
              else if (hidden.length === 1) {
                const other = hidden[0] === a ? b : a;
                expect(counts[other].get(label)).toBe(0);
              }
            }
          for (const part of [
            'newly',
            'previously',
            'raised',
            'notRaised',
          ] as const)
            for (let q = 0; q < 4; q++) {
              const quarter = labels.slice(q * 3, q * 3 + 3);
              const hidden = quarter.filter(
                (l) => cell(part, l).value === null,
              );
              if (hidden.length === 1)
                expect(
                  quarter.filter(
                    (l) => l !== hidden[0] && counts[part].get(l)! > 0,
                  ),
                ).toEqual([]);
            }
        },
      ),
      { numRuns: 300 },
    );
  });
});
