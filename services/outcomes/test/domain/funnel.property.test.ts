import fc from 'fast-check';
import { cohortFunnel } from '../../src/domain/funnel';
import {
  certificatesIn,
  enrollmentsIn,
  funnelCounts,
  supplyEntries,
  type PersonRecord,
} from '../../src/domain/people';
import { alignedPeriods, rowPeriods } from '../../src/domain/periods';
import {
  EMPTY_CATALOG,
  type Catalog,
  type Scope,
} from '../../src/domain/scope';
import type { DisclosurePolicy } from '../../src/domain/suppression';

// Two standards, two cohorts (one in Jalisco, one online) and a body in Jalisco.
const catalog: Catalog = {
  ...EMPTY_CATALOG,
  standardSectors: new Map([
    ['ec-it', 'sector-it'],
    ['ec-auto', 'sector-auto'],
  ]),
  cohorts: new Map([
    [
      'jal',
      { id: 'jal', state: 'MX-JAL', standardId: 'ec-it', credentialId: null },
    ],
    [
      'online',
      { id: 'online', state: null, standardId: 'ec-auto', credentialId: null },
    ],
  ]),
  bodies: new Map([
    ['udg', [{ changedAt: new Date('2020-01-01'), states: ['MX-JAL'] }]],
  ]),
};

// Any instant of 2024–2026, to the minute.
const instant = fc
  .integer({ min: 0, max: 3 * 365 * 24 * 60 })
  .map((minutes) => new Date(Date.UTC(2024, 0, 1) + minutes * 60_000));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const personArb: fc.Arbitrary<PersonRecord> = fc.record({
  id: fc.uuid(),
  enrollments: fc.array(
    fc.record({
      id: fc.uuid(),
      cohortId: maybe(fc.constantFrom('jal', 'online')),
      standardId: maybe(fc.constantFrom('ec-it', 'ec-auto')),
      credentialId: fc.constant(null),
      enrolledAt: maybe(instant),
      completedAt: maybe(instant),
      droppedAt: fc.constant(null),
    }),
    { maxLength: 3 },
  ),
  certificates: fc.array(
    fc.record({
      id: fc.uuid(),
      standardId: maybe(fc.constantFrom('ec-it', 'ec-auto')),
      certifyingBodyId: maybe(fc.constantFrom('udg', 'elsewhere')),
      issuedAt: maybe(instant),
      revokedAt: maybe(instant),
      imported: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  placements: fc.array(
    fc.record({ id: fc.uuid(), startDate: maybe(instant) }),
    { maxLength: 2 },
  ),
});

const scopeArb: fc.Arbitrary<Scope> = fc.record(
  {
    state: fc.constant('MX-JAL'),
    standardId: fc.constantFrom('ec-it', 'ec-auto'),
    sectorId: fc.constantFrom('sector-it', 'sector-auto'),
  },
  { requiredKeys: [] },
);
const policyArb: fc.Arbitrary<DisclosurePolicy> = fc.record({
  threshold: fc.constant(5),
  revealAll: fc.boolean(),
});
const granularityArb = fc.constantFrom('MONTH', 'QUARTER', 'YEAR' as const);

describe('funnel properties', () => {
  it('gives rates between 0 and 1 and never more people in a stage than in the one before, for any people, scope, window and caller', () => {
    fc.assert(
      fc.property(
        fc.array(personArb, { maxLength: 40 }),
        scopeArb,
        policyArb,
        granularityArb,
        fc.integer({ min: 1, max: 60 }),
        (people, scope, policy, granularity, months) => {
          const to = granularity === 'YEAR' ? '2025-12-31' : '2025-06-30';
          const periods = alignedPeriods(
            new Date('2025-01-01'),
            new Date(to),
            granularity,
          );
          const span = {
            periods,
            rows: rowPeriods(periods, granularity),
            granularity,
          };
          const funnel = cohortFunnel(
            funnelCounts(people, scope, catalog, granularity, months),
            span,
            policy,
            months,
          );
          funnel.stages.forEach((stage, i) => {
            if (stage.rate !== null) {
              expect(stage.rate).toBeGreaterThanOrEqual(0);
              expect(stage.rate).toBeLessThanOrEqual(1);
            }
            const before = funnel.stages[i - 1];
            if (before)
              expect(stage.count.value!).toBeLessThanOrEqual(
                before.count.value!,
              );
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts at most as many people of supply as the enrollments and certificates behind them', () => {
    fc.assert(
      fc.property(
        fc.array(personArb, { maxLength: 40 }),
        scopeArb,
        granularityArb,
        (people, scope, granularity) => {
          const entries = supplyEntries(people, scope, catalog, granularity);
          const sum = (counts: Map<string, number>) =>
            [...counts.values()].reduce((a, b) => a + b, 0);
          const facts = people.reduce(
            (n, p) =>
              n +
              enrollmentsIn(p, scope, catalog).length +
              certificatesIn(p, scope, catalog).length,
            0,
          );
          expect(sum(entries.people)).toBeLessThanOrEqual(people.length);
          expect(sum(entries.people)).toBeLessThanOrEqual(facts);
          for (const counts of entries.perTarget.values())
            expect(sum(counts)).toBeLessThanOrEqual(people.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
