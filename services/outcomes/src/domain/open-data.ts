import { stateName, type StateCode } from '@conecta/mexico';
import {
  CTDL_CONTEXT,
  CSV_TYPE,
  JSONLD_TYPE,
  csvDocument,
  type GeneratedFile,
} from '@conecta/service-kit/open-data-format';
import type { OutcomeCount } from './suppression';

// The open-data slice of outcomes (issue 17, "Open data"): the public
// aggregates an anonymous caller already gets from `supply` and
// `demandTrends` (yearly, per state and per sector), with the same
// suppression — a withheld cell stays withheld, a shown one is the same
// rounded value. Pure: the bytes depend only on the cells given, so equal
// figures give an equal ETag (README: Open data).

/** The outcomes slice's files, as served under `/open-data/`. */
export const OUTCOMES_FILES = {
  csv: 'outcomes.csv',
  jsonld: 'outcomes.jsonld',
} as const;

/**
 * What a cell counts, named as in the CSV:
 * - `certificates_issued`: `supply.certified` (certificates issued in the
 *   year, less those revoked since; the state is where it was evaluated);
 * - `placements`: `supply.placed` (jobs starting in the year, in the job's state);
 * - `demand_headcount`: `demandTrends.requestedHeadcount` (people requested
 *   for training by demand requests made in the year).
 */
export const OUTCOME_MEASURES = [
  'certificates_issued',
  'placements',
  'demand_headcount',
] as const;
export type OutcomeMeasure = (typeof OUTCOME_MEASURES)[number];

/** One released cell: a measure in a year, nationally or in one state or sector. */
export interface OutcomeCell {
  measure: OutcomeMeasure;
  year: number;
  /** Null: the whole country. */
  state: StateCode | null;
  /** Null: every sector. */
  sectorId: string | null;
  /** As `disclose` released it to an anonymous caller. */
  count: OutcomeCount;
}

/** The years exported: this many calendar years up to the current one. */
export const OPEN_DATA_YEARS = 10;

/** The years of the export at `now`: the last {@link OPEN_DATA_YEARS}, the current (partial) one included. */
export function openDataYears(now: Date): number[] {
  const last = now.getUTCFullYear();
  return Array.from(
    { length: OPEN_DATA_YEARS },
    (_, i) => last - OPEN_DATA_YEARS + 1 + i,
  );
}

/** Persistent identifier of a yearly profile of one state (or `MX`: the country). */
export const outcomeProfileId = (
  base: string,
  year: number,
  state: StateCode | null,
): string => `${base}/id/outcomes/${year}/${state ?? 'MX'}`;

/** Columns of outcomes.csv, in order (docs/open-data.md describes each). */
export const OUTCOMES_CSV_COLUMNS = [
  'measure',
  'year',
  'state',
  'state_name',
  'sector_id',
  'value',
  'suppressed',
] as const;

/** Measure, year, the country before the states, states and sectors by code. */
function sorted(cells: readonly OutcomeCell[]): OutcomeCell[] {
  return [...cells].sort(
    (a, b) =>
      OUTCOME_MEASURES.indexOf(a.measure) -
        OUTCOME_MEASURES.indexOf(b.measure) ||
      a.year - b.year ||
      (a.state ?? '').localeCompare(b.state ?? '') ||
      (a.sectorId ?? '').localeCompare(b.sectorId ?? ''),
  );
}

/**
 * outcomes.csv: one row per cell. A withheld cell has an empty `value` and
 * its reason in `suppressed` (BELOW_THRESHOLD: 1 … threshold − 1 people;
 * COMPLEMENTARY; NOT_RECORDED); a shown one an empty `suppressed`.
 */
export function outcomesCsv(cells: readonly OutcomeCell[]): string {
  return csvDocument(
    OUTCOMES_CSV_COLUMNS,
    sorted(cells).map((c) => [
      c.measure,
      c.year,
      c.state,
      c.state ? stateName(c.state) : 'México',
      c.sectorId,
      c.count.value,
      c.count.suppressed,
    ]),
  );
}

const WITHHELD_NOTE = {
  es: 'Cifra omitida para proteger a grupos pequeños (menos de 5 personas o complementaria).',
  en: 'Figure withheld to protect small groups (fewer than 5 people, or complementary).',
};

/**
 * outcomes.jsonld, in CTDL: per year and state (and the whole country) one
 * `ceterms:AggregateDataProfile` with `ceterms:numberAwarded` (certificates
 * issued) and `ceterms:jobsObtained` (placements, a `schema:QuantitativeValue`)
 * when shown; a withheld figure is absent and named in `ceterms:description`.
 * CTDL has no term for requested training headcount: demand is in the CSV only.
 */
export function outcomesJsonLd(
  cells: readonly OutcomeCell[],
  baseUrl: string,
): object {
  const profiles = new Map<
    string,
    {
      year: number;
      state: StateCode | null;
      certificates?: OutcomeCount;
      placements?: OutcomeCount;
    }
  >();
  for (const cell of sorted(cells)) {
    if (cell.sectorId !== null || cell.measure === 'demand_headcount') continue;
    const id = outcomeProfileId(baseUrl, cell.year, cell.state);
    const profile = profiles.get(id) ?? { year: cell.year, state: cell.state };
    if (cell.measure === 'certificates_issued')
      profile.certificates = cell.count;
    else profile.placements = cell.count;
    profiles.set(id, profile);
  }
  const graph = [...profiles].map(([id, p]) => {
    const place = p.state ? stateName(p.state) : 'México';
    const withheld = [
      p.certificates && p.certificates.value === null
        ? { es: 'certificados emitidos', en: 'certificates issued' }
        : null,
      p.placements && p.placements.value === null
        ? { es: 'colocaciones', en: 'placements' }
        : null,
    ].filter((w) => w !== null);
    return {
      '@id': id,
      '@type': 'ceterms:AggregateDataProfile',
      'ceterms:name': {
        es: `Certificados y colocaciones — ${place}, ${p.year}`,
        en: `Certificates and placements — ${place}, ${p.year}`,
      },
      'ceterms:startDate': `${p.year}-01-01`,
      'ceterms:endDate': `${p.year}-12-31`,
      'ceterms:jurisdiction': [
        {
          '@type': 'ceterms:JurisdictionProfile',
          'ceterms:mainJurisdiction': [
            {
              '@type': 'ceterms:Place',
              ...(p.state ? { 'ceterms:addressRegion': { es: place } } : {}),
              'ceterms:addressCountry': { es: 'México' },
            },
          ],
        },
      ],
      ...(p.certificates?.value != null
        ? { 'ceterms:numberAwarded': p.certificates.value }
        : {}),
      ...(p.placements?.value != null
        ? {
            'ceterms:jobsObtained': [
              {
                '@type': 'schema:QuantitativeValue',
                'schema:value': p.placements.value,
              },
            ],
          }
        : {}),
      ...(withheld.length > 0
        ? {
            'ceterms:description': {
              es: `Omitido: ${withheld.map((w) => w.es).join(', ')}. ${WITHHELD_NOTE.es}`,
              en: `Withheld: ${withheld.map((w) => w.en).join(', ')}. ${WITHHELD_NOTE.en}`,
            },
          }
        : {}),
    };
  });
  return { '@context': CTDL_CONTEXT, '@graph': graph };
}

/** Both files of the outcomes slice. */
export function outcomesFiles(
  cells: readonly OutcomeCell[],
  baseUrl: string,
): GeneratedFile[] {
  return [
    {
      name: OUTCOMES_FILES.csv,
      contentType: CSV_TYPE,
      body: outcomesCsv(cells),
    },
    {
      name: OUTCOMES_FILES.jsonld,
      contentType: JSONLD_TYPE,
      body: `${JSON.stringify(outcomesJsonLd(cells, baseUrl))}\n`,
    },
  ];
}

export { CTDL_CONTEXT, CSV_TYPE, JSONLD_TYPE, csvDocument, type GeneratedFile };
