import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedTestSystem, type TestSystem } from './support/system';

// Issue 17, "Open data": the gateway serves the index and forwards each file
// to the subgraph that owns it; docs/open-data.md's examples are checked
// against what is served. What each file holds, and how it follows events,
// is tested in each service (services/*/test/api/open-data.test.ts).

const CTDL_CONTEXT = 'https://credreg.net/ctdl/schema/context/json';
const LOCAL_CONTEXT = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'ctdl-context.json'), 'utf8'),
) as object;
// The jsonld package (a dependency of the credential libraries) has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonld = require('jsonld') as {
  expand(
    document: object,
    options: { documentLoader: (url: string) => Promise<object> },
  ): Promise<Record<string, unknown>[]>;
};
const expandCtdl = (document: object) =>
  jsonld.expand(document, {
    documentLoader: async (url) => {
      if (url !== CTDL_CONTEXT) throw new Error(`unexpected context ${url}`);
      return { contextUrl: null, documentUrl: url, document: LOCAL_CONTEXT };
    },
  });

const DOC = readFileSync(
  join(__dirname, '..', '..', 'docs', 'open-data.md'),
  'utf8',
);
/** The fenced examples of docs/open-data.md, by the name of their marker comment. */
const examples = new Map(
  [
    ...DOC.matchAll(
      /<!-- open-data-example: ([\w.-]+) -->\s*```\w+\n([\s\S]*?)\n```/g,
    ),
  ].map(([, name, body]) => [name!, body!]),
);

const FILES = [
  'standards.csv',
  'standards.jsonld',
  'certifying-bodies.csv',
  'certifying-bodies.jsonld',
  'outcomes.csv',
  'outcomes.jsonld',
];

let system: TestSystem;
let base: string;

beforeAll(async () => {
  system = await sharedTestSystem('open-data');
  base = new URL(system.gatewayUrl).origin;
});

afterAll(() => system?.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers });

/** Header fields of a CSV's first line (the headers have no quoted fields). */
const headerOf = (csv: string) => csv.split(/\r?\n/)[0]!.split(',');

/** Every property used by the nodes of a CTDL document, nested ones included. */
function propertiesOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) propertiesOf(v, into);
  else if (value && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (/^(ceterms|ceasn|schema):/.test(key)) into.add(key);
      propertiesOf(v, into);
    }
  return into;
}

describe('open data through the gateway', () => {
  it('lists every file in the index, with its URL, licence and validators', async () => {
    const res = await get('/open-data');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const index = (await res.json()) as {
      license: { name: string };
      files: Record<string, unknown>[];
    };
    expect(index.license.name).toBe('CC BY 4.0');
    expect(index.files.map((f) => f['name'])).toEqual(FILES);
    for (const file of index.files) {
      expect(file).toMatchObject({
        available: true,
        url: `${base}/open-data/${String(file['name'])}`,
      });
      expect(file['etag']).toMatch(/^"[\w-]+"$/);
      expect(Date.parse(String(file['lastModified']))).not.toBeNaN();
    }
    const etag = res.headers.get('etag')!;
    const again = await get('/open-data', { 'if-none-match': etag });
    expect([200, 304]).toContain(again.status);

    // The documented index has the served shape.
    const documented = JSON.parse(examples.get('index')!) as typeof index;
    expect(Object.keys(documented).sort()).toEqual(Object.keys(index).sort());
    expect(Object.keys(documented.files[0]!).sort()).toEqual(
      Object.keys(index.files[0]!).sort(),
    );
  });

  it('forwards each file with its ETag (304 when unchanged) and Cache-Control, and refuses other paths and methods', async () => {
    for (const name of FILES) {
      const res = await get(`/open-data/${name}`, {
        authorization: 'Bearer not-a-token',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(
        name.endsWith('.csv')
          ? 'text/csv; charset=utf-8'
          : 'application/ld+json',
      );
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      const etag = res.headers.get('etag')!;
      const cached = await get(`/open-data/${name}`, { 'if-none-match': etag });
      // 200 only if the file changed in between (another test file's data).
      if (cached.status === 200)
        expect(cached.headers.get('etag')).not.toBe(etag);
      else expect(cached.status).toBe(304);
    }
    expect((await get('/open-data/people.csv')).status).toBe(404);
    expect((await get('/open-data/standards.csv/extra')).status).toBe(404);
    const post = await fetch(`${base}/open-data/standards.csv`, {
      method: 'POST',
    });
    expect(post.status).toBe(405);
  });

  it("matches docs/open-data.md's examples: CSV headers and widths, JSON-LD types and properties", async () => {
    expect([...examples.keys()].sort()).toEqual(['index', ...FILES].sort());
    for (const name of FILES) {
      const served = await (await get(`/open-data/${name}`)).text();
      const example = examples.get(name)!;
      if (name.endsWith('.csv')) {
        const header = headerOf(served);
        expect(headerOf(example)).toEqual(header);
        // Each example row has every column (no field of these holds a comma).
        for (const line of example.split('\n').slice(1))
          expect(line.split(',')).toHaveLength(header.length);
        continue;
      }
      const documented = JSON.parse(example) as { '@graph': object[] };
      const document = JSON.parse(served) as {
        '@context': string;
        '@graph': object[];
      };
      expect(documented).toMatchObject({ '@context': document['@context'] });
      expect((await expandCtdl(documented)).length).toBe(
        documented['@graph'].length,
      );
      // What the example shows, the files carry: the system's files hold
      // whatever the other test files made, so compare with the builders'
      // vocabulary as served when it has nodes, else with the example itself.
      if (document['@graph'].length > 0) {
        const servedTypes = new Set(
          document['@graph'].map((n) => (n as { '@type': string })['@type']),
        );
        for (const node of documented['@graph'])
          expect(servedTypes).toContain((node as { '@type': string })['@type']);
        const servedProperties = propertiesOf(document);
        const missing = [...propertiesOf(documented)].filter(
          (p) => !servedProperties.has(p),
        );
        // Optional properties (a fee, a gazette date) may be absent from what is served now.
        expect(missing.filter((p) => !OPTIONAL.has(p))).toEqual([]);
      }
    }
  });
});

/** Properties a node carries only when the data has them. */
const OPTIONAL = new Set([
  'ceterms:dateEffective',
  'ceterms:estimatedCost',
  'ceterms:directCostType',
  'ceterms:price',
  'ceterms:currency',
  'ceterms:offers',
  'ceasn:publisherName',
  'ceterms:numberAwarded',
  'ceterms:jobsObtained',
  'schema:value',
  'ceterms:description',
  'ceterms:addressRegion',
]);
