import { csvAndJsonLdFiles, csvDocument } from '../../src/open-data-format';

describe("a slice's two open-data files", () => {
  it('are its CSV and its JSON-LD graph, each under its name and media type', () => {
    const rows = [{ code: 'EC0217', title: 'Impartición' }];
    const slice = csvAndJsonLdFiles<(typeof rows)[number]>(
      { csv: 'standards.csv', jsonld: 'standards.jsonld' },
      (items) =>
        csvDocument(
          ['code', 'title'],
          items.map((r) => [r.code, r.title]),
        ),
      (items, baseUrl) => ({
        '@context': 'ctdl',
        '@graph': items.map((r) => ({ '@id': `${baseUrl}/${r.code}` })),
      }),
    );
    const files = slice(rows, 'https://datos.example.mx');
    expect(files.map(({ name, contentType }) => [name, contentType])).toEqual([
      ['standards.csv', 'text/csv; charset=utf-8'],
      ['standards.jsonld', 'application/ld+json'],
    ]);
    expect(files[0]!.body).toBe('code,title\r\nEC0217,Impartición\r\n');
    expect(JSON.parse(files[1]!.body)).toEqual({
      '@context': 'ctdl',
      '@graph': [{ '@id': 'https://datos.example.mx/EC0217' }],
    });
    expect(files[1]!.body.endsWith('}\n')).toBe(true);
  });
});
