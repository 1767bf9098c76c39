import {
  OUTCOMES_CSV_COLUMNS,
  openDataYears,
  outcomesCsv,
  outcomesFiles,
  outcomesJsonLd,
  type OutcomeCell,
} from '../../src/domain/open-data';
import { disclose } from '../../src/domain/suppression';
import { CETERMS, expandCtdl, parseCsv, CTDL_CONTEXT } from '@conecta/test-kit';
import { PUBLIC } from '../fixtures/mothers';

const BASE = 'https://conecta.example.gob.mx';

/** A cell released to the public from a raw count, as the export does. */
const cell = (
  measure: OutcomeCell['measure'],
  raw: number,
  overrides: Partial<OutcomeCell> = {},
): OutcomeCell => ({
  measure,
  year: 2025,
  state: 'MX-JAL',
  sectorId: null,
  count: disclose(raw, PUBLIC),
  ...overrides,
});

describe('outcomes.csv', () => {
  it('writes one row per cell: shown counts rounded, small ones withheld with their reason', () => {
    const rows = parseCsv(
      outcomesCsv([
        cell('placements', 3),
        cell('certificates_issued', 27),
        cell('certificates_issued', 0, { state: null }),
        cell('demand_headcount', 41, { state: null, sectorId: 'sector-ti' }),
      ]),
    );
    expect(rows[0]).toEqual([...OUTCOMES_CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      ['certificates_issued', '2025', '', 'México', '', '0', ''],
      ['certificates_issued', '2025', 'MX-JAL', 'Jalisco', '', '25', ''],
      ['placements', '2025', 'MX-JAL', 'Jalisco', '', '', 'BELOW_THRESHOLD'],
      ['demand_headcount', '2025', '', 'México', 'sector-ti', '40', ''],
    ]);
  });

  it('never writes a count between 1 and 4', () => {
    const cells = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((raw, i) =>
      cell('placements', raw, { year: 2015 + i }),
    );
    const values = parseCsv(outcomesCsv(cells))
      .slice(1)
      .map((r) => r[5]);
    expect(values.filter((v) => ['1', '2', '3', '4'].includes(v!))).toEqual([]);
    expect(values).toEqual(['', '', '', '', '5', '5', '5', '10', '10']);
  });
});

describe('outcomes.jsonld', () => {
  it('expands as CTDL: a yearly AggregateDataProfile per state, withheld figures absent and named', async () => {
    const document = outcomesJsonLd(
      [
        cell('certificates_issued', 27),
        cell('placements', 2),
        cell('demand_headcount', 50),
        cell('certificates_issued', 120, { state: null }),
        cell('placements', 35, { state: null }),
      ],
      BASE,
    );
    expect(document).toMatchObject({ '@context': CTDL_CONTEXT });
    const expanded = await expandCtdl(document);
    expect(expanded.map((n) => n['@id']).sort()).toEqual([
      `${BASE}/id/outcomes/2025/MX`,
      `${BASE}/id/outcomes/2025/MX-JAL`,
    ]);
    const jalisco = expanded.find((n) => String(n['@id']).endsWith('MX-JAL'))!;
    expect(jalisco['@type']).toEqual([`${CETERMS}AggregateDataProfile`]);
    expect(jalisco[`${CETERMS}numberAwarded`]).toEqual([
      { '@value': 25, '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
    ]);
    expect(jalisco[`${CETERMS}jobsObtained`]).toBeUndefined();
    expect(JSON.stringify(jalisco[`${CETERMS}description`])).toContain(
      'colocaciones',
    );
    const nation = expanded.find((n) => String(n['@id']).endsWith('/MX'))!;
    const [jobs] = nation[`${CETERMS}jobsObtained`] as Record<
      string,
      unknown
    >[];
    expect(jobs!['https://schema.org/value']).toEqual([
      { '@value': 35, '@type': 'http://www.w3.org/2001/XMLSchema#float' },
    ]);
    expect(nation[`${CETERMS}description`]).toBeUndefined();
  });
});

describe('the files', () => {
  it('cover the last ten calendar years and are the same bytes in any order', () => {
    expect(openDataYears(new Date('2026-05-10T00:00:00Z'))).toEqual([
      2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026,
    ]);
    const cells = [cell('placements', 12), cell('certificates_issued', 7)];
    expect(outcomesFiles(cells, BASE)).toEqual(
      outcomesFiles([...cells].reverse(), BASE),
    );
  });
});
