import { STATE_CODES, type StateCode } from '@conecta/mexico';
import type { Context } from '../context';
import type { Metric } from '../domain/metrics';
import {
  openDataYears,
  type OutcomeCell,
  type OutcomeMeasure,
} from '../domain/open-data';
import { cellsOf } from '../domain/series';
import type { DisclosurePolicy } from '../domain/suppression';
import { spanOf, sumsOf } from './analytics';

const MEASURES: readonly { measure: OutcomeMeasure; metric: Metric }[] = [
  { measure: 'certificates_issued', metric: 'CERTIFIED' },
  { measure: 'placements', metric: 'PLACED' },
  { measure: 'demand_headcount', metric: 'DEMAND_HEADCOUNT' },
];

/**
 * The cells of the export, each computed exactly as an anonymous caller's
 * `supply` or `demandTrends` query with `granularity: YEAR` computes it (the
 * same read path, `sumsOf`, and the same release, `cellsOf` under the public
 * policy): per year, for the country and each state (every measure), and for
 * each sector of the catalog nationally (demand). Every combination of state
 * and sector would be 32 × sectors reads per rebuild; the two margins are what
 * the public queries answer anyway.
 */
export async function outcomeCells(
  reads: Pick<Context, 'stores' | 'loaders'>,
  policy: DisclosurePolicy,
  now: Date,
): Promise<OutcomeCell[]> {
  const years = openDataYears(now);
  const base = {
    from: new Date(Date.UTC(years[0]!, 0, 1)),
    to: new Date(Date.UTC(years[years.length - 1]!, 11, 31)),
    granularity: 'YEAR' as const,
  };
  const catalog = await reads.loaders.catalog();
  const sectors = [
    ...new Set(
      [...catalog.standardSectors.values()].filter(
        (s): s is string => s !== null,
      ),
    ),
  ].sort();
  const scopes: {
    state: StateCode | null;
    sectorId: string | null;
    measures: typeof MEASURES;
  }[] = [
    { state: null, sectorId: null, measures: MEASURES },
    ...STATE_CODES.map((state) => ({
      state,
      sectorId: null,
      measures: MEASURES,
    })),
    ...sectors.map((sectorId) => ({
      state: null,
      sectorId,
      measures: MEASURES.filter((m) => m.measure === 'demand_headcount'),
    })),
  ];
  const cells: OutcomeCell[] = [];
  // One scope at a time: a rebuild must not flood the database it shares with queries.
  for (const { state, sectorId, measures } of scopes) {
    const span = spanOf({
      ...base,
      ...(state ? { state } : {}),
      ...(sectorId ? { sectorId } : {}),
    });
    for (const { measure, metric } of measures) {
      // sumsOf reads only `stores` and `loaders` of a request's context.
      const sums = await sumsOf(reads as Context, metric, span);
      cellsOf(sums, span, policy).forEach((count, i) =>
        cells.push({ measure, year: years[i]!, state, sectorId, count }),
      );
    }
  }
  return cells;
}
