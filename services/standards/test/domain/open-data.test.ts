import { csvField } from '@conecta/service-kit/open-data-format';
import {
  STANDARDS_CSV_COLUMNS,
  standardsCsv,
  standardsFiles,
  standardsJsonLd,
  type OpenStandard,
} from '../../src/domain/open-data';
import {
  CEASN,
  CETERMS,
  expandCtdl,
  parseCsv,
  CTDL_CONTEXT,
} from '@conecta/test-kit';
import {
  elementMother,
  publishedMother,
  standardMother,
} from '../fixtures/mothers';

const BASE = 'https://conecta.example.gob.mx';

const open = (
  standard = publishedMother('2026-01-15'),
  committeeName = 'Comité de Gestión por Competencias de Tecnologías de la Información',
): OpenStandard => ({ standard, committeeName });

describe('standards.csv', () => {
  it('has one row per published standard version, under the documented header', () => {
    const first = open(publishedMother('2026-01-15', 5, { code: 'EC0301' }));
    const revision = open(
      publishedMother('2026-02-01', 5, { code: 'EC0301', version: 2 }),
    );
    const other = open(publishedMother('2025-11-03', 5, { code: 'EC0217' }));
    const rows = parseCsv(
      standardsCsv(
        [
          revision,
          open(standardMother.inStatus('DRAFT', { code: 'EC0999' })),
          open(standardMother.inStatus('WITHDRAWN', { code: 'EC0998' })),
          other,
          first,
        ],
        BASE,
      ),
    );
    expect(rows[0]).toEqual([...STANDARDS_CSV_COLUMNS]);
    const records = rows
      .slice(1)
      .map((r) => Object.fromEntries(r.map((v, i) => [rows[0]![i], v])));
    expect(records.map((r) => [r['code'], r['version']])).toEqual([
      ['EC0217', '1'],
      ['EC0301', '1'],
      ['EC0301', '2'],
    ]);
    expect(records[1]).toMatchObject({
      id: first.standard.id,
      uri: `${BASE}/id/competency-standards/${first.standard.id}`,
      level: '3',
      committee_id: first.standard.committeeId,
      committee_name: first.committeeName,
      certificate_validity_years: '3',
      review_interval_years: '5',
      gazette_date: '2026-01-15',
      gazette_reference: 'DOF 2026-01-15',
    });
  });

  it('quotes commas, quotes and line breaks so every value reads back exactly', () => {
    const title = 'Atención a clientes, "con calidad"\r\nen línea';
    const standard = publishedMother('2026-01-15', 5, {
      title,
      elements: [
        elementMother({ title: 'Recibir, registrar' }),
        elementMother({ title: 'Resolver' }),
      ],
    });
    const [, row] = parseCsv(standardsCsv([open(standard, '')], BASE));
    const column = (name: string) =>
      row![STANDARDS_CSV_COLUMNS.indexOf(name as never)];
    expect(column('title')).toBe(title);
    expect(column('elements')).toBe('Recibir, registrar | Resolver');
    expect(column('committee_name')).toBe('');
    expect(csvField(' espacio')).toBe('" espacio"');
    expect(csvField(null)).toBe('');
  });
});

describe('standards.jsonld', () => {
  it('expands as CTDL: a Certification requiring the competencies of its framework', async () => {
    const item = open();
    const { standard } = item;
    const document = standardsJsonLd([item], BASE);
    expect(document).toMatchObject({ '@context': CTDL_CONTEXT });
    const expanded = await expandCtdl(document);
    const byId = new Map(expanded.map((node) => [node['@id'], node]));
    const id = `${BASE}/id/competency-standards/${standard.id}`;
    const certification = byId.get(id)!;
    expect(certification['@type']).toEqual([`${CETERMS}Certification`]);
    expect(certification[`${CETERMS}ctid`]).toEqual([
      {
        '@value': `ce-${standard.id}`,
        '@type': 'http://www.w3.org/2001/XMLSchema#string',
      },
    ]);
    expect(certification[`${CETERMS}name`]).toEqual([
      { '@value': standard.title, '@language': 'es' },
    ]);
    expect(certification[`${CETERMS}ownedBy`]).toEqual([
      { '@id': `${BASE}/id/committees/${standard.committeeId}` },
    ]);
    const [condition] = certification[`${CETERMS}requires`] as Record<
      string,
      unknown
    >[];
    const targets = (
      condition![`${CETERMS}targetCompetency`] as Record<string, unknown>[]
    ).map((t) => (t[`${CETERMS}targetNode`] as { '@id': string }[])[0]!['@id']);
    expect(targets).toHaveLength(standard.elements.length);
    const framework = byId.get(`${id}/framework`)!;
    expect(framework['@type']).toEqual([`${CEASN}CompetencyFramework`]);
    expect(
      (framework[`${CEASN}hasTopChild`] as { '@id': string }[]).map(
        (c) => c['@id'],
      ),
    ).toEqual(targets);
    for (const [index, target] of targets.entries()) {
      const competency = byId.get(target)!;
      expect(competency['@type']).toEqual([`${CEASN}Competency`]);
      expect(competency[`${CEASN}competencyText`]).toEqual([
        { '@value': standard.elements[index]!.title, '@language': 'es' },
      ]);
      expect(competency[`${CEASN}isPartOf`]).toEqual([
        { '@id': `${id}/framework` },
      ]);
    }
  });

  it('describes each owning committee once, so ownedBy resolves', async () => {
    const first = open();
    const second = open(
      publishedMother('2026-02-01', 5, {
        committeeId: first.standard.committeeId,
      }),
    );
    const expanded = await expandCtdl(standardsJsonLd([first, second], BASE));
    const committees = expanded.filter((node) =>
      (node['@type'] as string[]).includes(`${CETERMS}CredentialOrganization`),
    );
    expect(committees.map((node) => node['@id'])).toEqual([
      `${BASE}/id/committees/${first.standard.committeeId}`,
    ]);
    expect(committees[0]![`${CETERMS}name`]).toEqual([
      { '@value': first.committeeName, '@language': 'es' },
    ]);
  });

  it('leaves out every standard that is not published', () => {
    const document = standardsJsonLd(
      [
        open(standardMother.inStatus('SUPERSEDED')),
        open(standardMother.inStatus('APPROVED')),
      ],
      BASE,
    ) as { '@graph': unknown[] };
    expect(document['@graph']).toEqual([]);
  });
});

describe('the files', () => {
  it('are the same bytes for the same standards in any order (their ETag is stable)', () => {
    const items = [
      open(),
      open(publishedMother('2025-05-05', 5, { code: 'EC0100' })),
    ];
    expect(standardsFiles(items, BASE)).toEqual(
      standardsFiles([...items].reverse(), BASE),
    );
    expect(standardsFiles(items, BASE).map((f) => f.contentType)).toEqual([
      'text/csv; charset=utf-8',
      'application/ld+json',
    ]);
  });
});
