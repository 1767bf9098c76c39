import type { CompetencyStandard } from './standard';
import {
  CTDL_CONTEXT,
  ctidOf,
  csvAndJsonLdFiles,
  csvDocument,
} from '@conecta/service-kit/open-data-format';

// The open-data slice of standards (issue 17, "Open data"): every PUBLISHED
// standard version as CSV and as CTDL JSON-LD. Pure: the bytes depend only on
// the standards given (sorted here), never on the clock, so equal data gives
// an equal ETag on every instance (README: Open data).

/** The standards slice's files, as served under `/open-data/`. */
export const STANDARDS_FILES = {
  csv: 'standards.csv',
  jsonld: 'standards.jsonld',
} as const;

/** A published standard as the export reads it, with its committee's name. */
export interface OpenStandard {
  standard: CompetencyStandard;
  /** From the committee projection; empty when not heard of yet. */
  committeeName: string;
}

/**
 * Persistent identifiers under the gateway's public base URL (PUBLIC_BASE_URL):
 * the ids the graph uses, one scheme shared by every service's slice
 * (docs/open-data.md, "Identifiers").
 */
export const openDataIds = {
  standard: (base: string, id: string) =>
    `${base}/id/competency-standards/${id}`,
  framework: (base: string, id: string) =>
    `${base}/id/competency-standards/${id}/framework`,
  element: (base: string, id: string, index: number) =>
    `${base}/id/competency-standards/${id}/framework/elements/${index + 1}`,
  committee: (base: string, id: string) => `${base}/id/committees/${id}`,
  level: (base: string, level: number) =>
    `${base}/id/qualification-levels/${level}`,
};

/** Columns of standards.csv, in order (docs/open-data.md describes each). */
export const STANDARDS_CSV_COLUMNS = [
  'id',
  'uri',
  'code',
  'version',
  'title',
  'purpose',
  'level',
  'sector_id',
  'committee_id',
  'committee_name',
  'elements',
  'certificate_validity_years',
  'review_interval_years',
  'gazette_date',
  'gazette_reference',
] as const;

/** Separator of the element titles in one CSV field. */
export const ELEMENT_SEPARATOR = ' | ';

/** Code, then version: the order of both files. */
function sorted(standards: readonly OpenStandard[]): OpenStandard[] {
  return [...standards].sort(
    (a, b) =>
      a.standard.code.localeCompare(b.standard.code) ||
      a.standard.version - b.standard.version ||
      a.standard.id.localeCompare(b.standard.id),
  );
}

const published = (standards: readonly OpenStandard[]) =>
  sorted(standards.filter((s) => s.standard.status === 'PUBLISHED'));

/** standards.csv: one row per PUBLISHED standard version (others are left out). */
export function standardsCsv(
  standards: readonly OpenStandard[],
  baseUrl: string,
): string {
  return csvDocument(
    STANDARDS_CSV_COLUMNS,
    published(standards).map(({ standard: s, committeeName }) => [
      s.id,
      openDataIds.standard(baseUrl, s.id),
      s.code,
      s.version,
      s.title,
      s.purpose,
      s.level,
      s.sectorId,
      s.committeeId,
      committeeName,
      s.elements.map((e) => e.title).join(ELEMENT_SEPARATOR),
      s.validity.certificateValidityYears,
      s.validity.reviewIntervalYears,
      s.gazette?.date,
      s.gazette?.reference,
    ]),
  );
}

/**
 * standards.jsonld, in CTDL: per PUBLISHED standard version three kinds of
 * node in one `@graph`:
 *
 * - a `ceterms:Certification` (the credential people are certified in, with
 *   the standard's code, version, gazette date and owning committee) that
 *   `ceterms:requires` a `ceterms:ConditionProfile` whose target competencies
 *   are the standard's elements;
 * - the `ceasn:CompetencyFramework` the standard is (its elements as top
 *   children);
 * - one `ceasn:Competency` per element;
 *
 * and one `ceterms:CredentialOrganization` per committee owning one of them
 * (its name as standards knows it), so the `ceterms:ownedBy` identifiers
 * resolve too.
 */
export function standardsJsonLd(
  standards: readonly OpenStandard[],
  baseUrl: string,
): object {
  const graph: object[] = [];
  const committees = new Map<string, string>();
  for (const { standard: s, committeeName } of published(standards)) {
    if (!committees.get(s.committeeId))
      committees.set(s.committeeId, committeeName);
    const id = openDataIds.standard(baseUrl, s.id);
    const framework = openDataIds.framework(baseUrl, s.id);
    const committee = openDataIds.committee(baseUrl, s.committeeId);
    const elements = s.elements.map((element, index) => ({
      id: openDataIds.element(baseUrl, s.id, index),
      index,
      title: element.title,
    }));
    graph.push({
      '@id': id,
      '@type': 'ceterms:Certification',
      'ceterms:ctid': ctidOf(s.id),
      'ceterms:name': { es: s.title },
      'ceterms:description': { es: s.purpose },
      'ceterms:codedNotation': s.code,
      'ceterms:versionCode': String(s.version),
      ...(s.gazette ? { 'ceterms:dateEffective': s.gazette.date } : {}),
      'ceterms:inLanguage': ['es'],
      'ceterms:credentialStatusType': {
        '@type': 'ceterms:CredentialAlignmentObject',
        'ceterms:framework': 'https://credreg.net/ctdl/terms/CredentialStatus',
        'ceterms:targetNode': 'credentialStat:Active',
        'ceterms:targetNodeName': { en: 'Active', es: 'Vigente' },
      },
      'ceterms:ownedBy': [committee],
      'ceterms:atLevel': [openDataIds.level(baseUrl, s.level)],
      'ceterms:requires': [
        {
          '@type': 'ceterms:ConditionProfile',
          'ceterms:description': {
            es: `Demostrar ante un evaluador de una entidad acreditada la competencia descrita en el estándar ${s.code}.`,
            en: `Demonstrate to an evaluator of an accredited body the competence standard ${s.code} describes.`,
          },
          'ceterms:targetCompetency': elements.map((element) => ({
            '@type': 'ceterms:CredentialAlignmentObject',
            'ceterms:framework': framework,
            'ceterms:frameworkName': { es: s.title },
            'ceterms:targetNode': element.id,
            'ceterms:targetNodeName': { es: element.title },
          })),
        },
      ],
    });
    graph.push({
      '@id': framework,
      '@type': 'ceasn:CompetencyFramework',
      'ceasn:name': { es: s.title },
      'ceasn:description': { es: s.purpose },
      'ceasn:codedNotation': s.code,
      'ceasn:inLanguage': ['es'],
      ...(committeeName
        ? { 'ceasn:publisherName': { es: committeeName } }
        : {}),
      'ceasn:publisher': [committee],
      'ceasn:hasTopChild': elements.map((element) => element.id),
    });
    for (const element of elements)
      graph.push({
        '@id': element.id,
        '@type': 'ceasn:Competency',
        'ceasn:competencyText': { es: element.title },
        'ceasn:codedNotation': `${s.code}-E${element.index + 1}`,
        'ceasn:isPartOf': framework,
        'ceasn:isTopChildOf': framework,
      });
  }
  for (const [id, name] of [...committees].sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    graph.push({
      '@id': openDataIds.committee(baseUrl, id),
      '@type': 'ceterms:CredentialOrganization',
      ...(name ? { 'ceterms:name': { es: name } } : {}),
      'ceterms:description': {
        es: 'Comité de gestión por competencias: escribe y mantiene los estándares de competencia de su sector.',
        en: 'Competence management committee: writes and maintains the competency standards of its sector.',
      },
    });
  return { '@context': CTDL_CONTEXT, '@graph': graph };
}

/** Both files of the standards slice. */
export const standardsFiles = csvAndJsonLdFiles<OpenStandard>(
  STANDARDS_FILES,
  standardsCsv,
  standardsJsonLd,
);
