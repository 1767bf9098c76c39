import { stateName } from '@conecta/mexico';
import {
  CTDL_CONTEXT,
  ctidOf,
  csvAndJsonLdFiles,
  csvDocument,
} from '@conecta/service-kit/open-data-format';
import { activeFor, type Accreditation } from './accreditation';
import type { CertifyingBody, Facility } from './certifying-body';
import type { StandardView } from './projections';

// The open-data slice of certification (issue 17, "Open data"): certifying
// bodies and what they offer — their ACTIVE accreditations for PUBLISHED
// standards, with the fee each charges — as CSV and as CTDL JSON-LD. Never
// their staff, never a person. Pure: the bytes depend only on the data given
// (sorted here), so equal data gives an equal ETag (README: Open data).

/** The certifying-bodies slice's files, as served under `/open-data/`. */
export const CERTIFYING_BODIES_FILES = {
  csv: 'certifying-bodies.csv',
  jsonld: 'certifying-bodies.jsonld',
} as const;

/**
 * Persistent identifiers under the gateway's public base URL, the ids the
 * graph uses (docs/open-data.md, "Identifiers"; the standards slice names
 * standards the same way).
 */
export const openDataIds = {
  body: (base: string, id: string) => `${base}/id/certifying-bodies/${id}`,
  assessment: (base: string, accreditationId: string) =>
    `${base}/id/accreditations/${accreditationId}`,
  standard: (base: string, id: string) =>
    `${base}/id/competency-standards/${id}`,
};

/**
 * Integer centavos as pesos with exactly two decimals ("1234.50"): exact,
 * never through a float.
 */
export function pesos(centavos: number): string {
  if (!Number.isSafeInteger(centavos) || centavos < 0)
    throw new RangeError(`not an amount of centavos: ${centavos}`);
  return `${Math.trunc(centavos / 100)}.${String(centavos % 100).padStart(2, '0')}`;
}

/** One offer: a body's ACTIVE accreditation for a PUBLISHED standard, with its fee. */
export interface OpenOffer {
  accreditation: Accreditation;
  standard: StandardView;
  /** Null when the body set no fee for the standard. */
  feeCentavos: number | null;
}

/** A body with its offers, in the export's order. */
export interface OpenBody {
  body: CertifyingBody;
  offers: OpenOffer[];
}

/**
 * Bodies by name (Spanish collation), then id; each body's offers by
 * standard code and version. Only ACTIVE accreditations of PUBLISHED
 * standards are offers (certificationOffers' rule: a withdrawn standard takes
 * no new candidates).
 */
export function openBodies(
  bodies: readonly CertifyingBody[],
  accreditations: readonly Accreditation[],
  standards: readonly StandardView[],
): OpenBody[] {
  const published = new Map(
    standards.filter((s) => s.status === 'PUBLISHED').map((s) => [s.id, s]),
  );
  return [...bodies]
    .sort(
      (a, b) => a.name.localeCompare(b.name, 'es') || a.id.localeCompare(b.id),
    )
    .map((body) => ({
      body,
      offers: accreditations
        .filter(
          (a) =>
            a.certifyingBodyId === body.id &&
            // Where a candidate is assessed: an accreditation that allows
            // EVALUATION (a certification-only body assesses no one).
            activeFor(a, 'EVALUATION') &&
            published.has(a.standardId),
        )
        .map((accreditation) => ({
          accreditation,
          standard: published.get(accreditation.standardId)!,
          feeCentavos:
            body.fees.find((f) => f.standardId === accreditation.standardId)
              ?.amountCentavos ?? null,
        }))
        .sort(
          (a, b) =>
            a.standard.code.localeCompare(b.standard.code) ||
            a.standard.version - b.standard.version ||
            a.accreditation.id.localeCompare(b.accreditation.id),
        ),
    }));
}

/** Columns of certifying-bodies.csv, in order (docs/open-data.md describes each). */
export const CERTIFYING_BODIES_CSV_COLUMNS = [
  'body_id',
  'body_uri',
  'organization_id',
  'body_name',
  'body_kind',
  'facility_states',
  'accreditation_id',
  'standard_id',
  'standard_uri',
  'standard_code',
  'standard_version',
  'standard_title',
  'accredited_since',
  'fee_mxn',
] as const;

/** Distinct facility states, sorted, joined by `;`. */
const statesOf = (body: CertifyingBody): string =>
  [...new Set(body.facilities.map((f) => f.state))].sort().join(';');

/**
 * certifying-bodies.csv: one row per offer (body × standard); a body with no
 * offer has one row with the offer's columns empty.
 */
export function certifyingBodiesCsv(
  bodies: readonly OpenBody[],
  baseUrl: string,
): string {
  const rows = bodies.flatMap(({ body, offers }) => {
    const bodyColumns = [
      body.id,
      openDataIds.body(baseUrl, body.id),
      body.organizationId,
      body.name,
      body.kind,
      statesOf(body),
    ];
    // Every line has every field (RFC 4180): the offer's are empty.
    if (offers.length === 0)
      return [
        [
          ...bodyColumns,
          ...Array<null>(
            CERTIFYING_BODIES_CSV_COLUMNS.length - bodyColumns.length,
          ).fill(null),
        ],
      ];
    return offers.map(({ accreditation, standard, feeCentavos }) => [
      ...bodyColumns,
      accreditation.id,
      standard.id,
      openDataIds.standard(baseUrl, standard.id),
      standard.code,
      standard.version,
      standard.title,
      accreditation.activatedAt?.toISOString().slice(0, 10),
      feeCentavos === null ? null : pesos(feeCentavos),
    ]);
  });
  return csvDocument(CERTIFYING_BODIES_CSV_COLUMNS, rows);
}

const place = (facility: Facility) => ({
  '@type': 'ceterms:Place',
  'ceterms:addressLocality': { es: facility.city },
  'ceterms:addressRegion': { es: stateName(facility.state) },
  'ceterms:addressCountry': { es: 'México' },
});

/**
 * certifying-bodies.jsonld, in CTDL: each body a
 * `ceterms:CredentialOrganization` (its facilities as addresses) that
 * `ceterms:offers` one `ceterms:AssessmentProfile` per ACTIVE accreditation:
 * the evaluation leading to the standard's certification
 * (`ceterms:isRequiredFor`), where it is given, and its fee as a
 * `ceterms:CostProfile` in MXN (a decimal string, exact).
 */
export function certifyingBodiesJsonLd(
  bodies: readonly OpenBody[],
  baseUrl: string,
): object {
  const graph: object[] = [];
  for (const { body, offers } of bodies) {
    const bodyId = openDataIds.body(baseUrl, body.id);
    graph.push({
      '@id': bodyId,
      '@type': 'ceterms:CredentialOrganization',
      'ceterms:ctid': ctidOf(body.id),
      'ceterms:name': { es: body.name },
      'ceterms:address': body.facilities.map(place),
      ...(offers.length > 0
        ? {
            'ceterms:offers': offers.map(({ accreditation }) =>
              openDataIds.assessment(baseUrl, accreditation.id),
            ),
          }
        : {}),
    });
    for (const { accreditation, standard, feeCentavos } of offers)
      graph.push({
        '@id': openDataIds.assessment(baseUrl, accreditation.id),
        '@type': 'ceterms:AssessmentProfile',
        'ceterms:ctid': ctidOf(accreditation.id),
        'ceterms:name': {
          es: `Evaluación de competencia ${standard.code} — ${body.name}`,
          en: `Competence assessment ${standard.code} — ${body.name}`,
        },
        'ceterms:codedNotation': standard.code,
        ...(accreditation.activatedAt
          ? {
              'ceterms:dateEffective': accreditation.activatedAt
                .toISOString()
                .slice(0, 10),
            }
          : {}),
        'ceterms:inLanguage': ['es'],
        'ceterms:offeredBy': [bodyId],
        'ceterms:availableAt': body.facilities.map(place),
        'ceterms:isRequiredFor': [
          {
            '@type': 'ceterms:ConditionProfile',
            'ceterms:targetCredential': [
              openDataIds.standard(baseUrl, standard.id),
            ],
          },
        ],
        ...(feeCentavos === null
          ? {}
          : {
              'ceterms:estimatedCost': [
                {
                  '@type': 'ceterms:CostProfile',
                  'ceterms:directCostType': 'costType:AssessmentCost',
                  'ceterms:price': pesos(feeCentavos),
                  'ceterms:currency': 'MXN',
                  'ceterms:description': {
                    es: 'Cuota de evaluación y certificación',
                    en: 'Assessment and certification fee',
                  },
                },
              ],
            }),
      });
  }
  return { '@context': CTDL_CONTEXT, '@graph': graph };
}

/** Both files of the certifying-bodies slice. */
export const certifyingBodiesFiles = csvAndJsonLdFiles<OpenBody>(
  CERTIFYING_BODIES_FILES,
  certifyingBodiesCsv,
  certifyingBodiesJsonLd,
);
