import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eventually } from '@conecta/test-kit';
import { day } from './support/data';
import {
  accreditedCertifiers,
  appointCouncil,
  draftStandard,
  installedCommittee,
  publishAgenda,
  publishStandard,
  registerOrganization,
  registerSector,
  toCouncilVote,
  tripartiteMembers,
  voteInCouncil,
} from './support/flows';
import {
  sharedTestSystem,
  type Actor,
  type TestSystem,
} from './support/system';

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

/** The docs' examples of an identifier's answers (beside the files'). */
const ID_EXAMPLES = ['id.jsonld'];

const ADMIN: Actor = { sub: 'open-data-admin', roles: ['admin'] };
const COUNCIL = (seat: number): Actor => ({
  sub: `open-data-council-${seat}`,
  roles: ['council'],
});

/**
 * A standard published and offered by three accredited bodies, through the
 * gateway as its users make one (the files hold whatever the other test
 * files made, maybe nothing: this file makes its own).
 */
async function publishedStandardWithOffers(): Promise<{
  standardId: string;
  bodyIds: string[];
  accreditationIds: string[];
}> {
  const send: TestSystem['send'] = (...args) => system.send(...args);
  const suffix = randomUUID().slice(0, 8);
  const sector = await registerSector(send, ADMIN, {
    name: `Servicios de información ${suffix}`,
  });
  const org = async (name: string, kind: string, state: string) =>
    (
      await registerOrganization(send, ADMIN, {
        name: `${name} ${suffix}`,
        kind,
        state,
      })
    ).id;
  const employer = await org('Datos Abiertos del Bajío', 'COMPANY', 'MX-GUA');
  const union = await org(
    'Sindicato de la Información',
    'TRADE_UNION',
    'MX-NLE',
  );
  const university = await org('Universidad de León', 'UNIVERSITY', 'MX-GUA');
  const chamber = await org('Cámara de Comercio de León', 'CHAMBER', 'MX-GUA');
  const committee = await installedCommittee(send, {
    admin: ADMIN,
    committee: {
      name: `Comité de Datos Abiertos ${suffix}`,
      sectorId: sector.id,
      scope: 'NATIONAL',
    },
    members: tripartiteMembers({ employer, union, university }),
    chair: employer,
  });
  const member: Actor = {
    sub: `ceo-${suffix}`,
    roles: ['committee_member'],
    org: employer,
  };
  const agenda = await publishAgenda(send, member, committee.id, [
    {
      kind: 'FUNCTION',
      title: 'Publicación de datos abiertos',
      targetYear: new Date().getUTCFullYear() + 1,
    },
  ]);
  const standard = await draftStandard(send, member, {
    committeeId: committee.id,
    sectorId: sector.id,
    agendaItemId: agenda.items[0].id,
    title: `Publicación de datos abiertos gubernamentales ${suffix}`,
    purpose:
      'Servir como referente para evaluar y certificar a las personas que publican datos abiertos de una institución.',
    level: 3,
    elements: [
      {
        title: 'Preparar el conjunto de datos',
        performanceCriteria: ['Documenta el diccionario de datos'],
        products: ['Conjunto de datos documentado'],
        knowledge: ['Formatos abiertos'],
        attitudes: ['Responsabilidad'],
      },
      {
        title: 'Publicar el conjunto de datos',
        performanceCriteria: ['Publica con una licencia abierta'],
        products: ['Ficha de publicación'],
        knowledge: ['Licencias de datos abiertos'],
        attitudes: ['Cooperación'],
      },
    ],
    validity: { certificateValidityYears: 3, reviewIntervalYears: 5 },
  });
  await toCouncilVote(send, { author: member, admin: ADMIN }, standard.id);
  await appointCouncil(send, ADMIN, COUNCIL);
  await voteInCouncil(send, standard.id, COUNCIL, () => 'IN_FAVOR');
  await publishStandard(send, ADMIN, standard.id, {
    date: day(0),
    reference: `DOF ${day(0)}`,
  });
  const { bodyIds, accreditationIds } = await accreditedCertifiers(send, {
    admin: ADMIN,
    member,
    committeeId: committee.id,
    standardId: standard.id,
    certifiers: [
      {
        organizationId: university,
        kind: 'UNIVERSITY',
        state: 'MX-GUA',
        feeCentavos: 150_000,
      },
      {
        organizationId: chamber,
        kind: 'CHAMBER',
        state: 'MX-GUA',
        feeCentavos: 175_050,
      },
      {
        organizationId: union,
        kind: 'TRADE_UNION',
        state: 'MX-NLE',
        feeCentavos: 200_100,
      },
    ],
  });
  return { standardId: standard.id, bodyIds, accreditationIds };
}

type Node = Record<string, unknown> & { '@id': string; '@type': string };

/** The nodes of the three JSON-LD files as served now, by the path of their @id. */
async function publishedNodes(): Promise<
  Map<string, { node: Node; context: unknown; file: string }>
> {
  const nodes = new Map<
    string,
    { node: Node; context: unknown; file: string }
  >();
  for (const file of FILES.filter((f) => f.endsWith('.jsonld'))) {
    const document = (await (await get(`/open-data/${file}`)).json()) as {
      '@context': unknown;
      '@graph': Node[];
    };
    for (const node of document['@graph'])
      nodes.set(new URL(node['@id']).pathname, {
        node,
        context: document['@context'],
        file,
      });
  }
  return nodes;
}

/** The kind of an identifier, from its path (docs/open-data.md, "Identifiers"). */
const KINDS: Array<[string, RegExp]> = [
  ['element', /^\/id\/competency-standards\/[\w-]+\/framework\/elements\/\d+$/],
  ['framework', /^\/id\/competency-standards\/[\w-]+\/framework$/],
  ['standard', /^\/id\/competency-standards\/[\w-]+$/],
  ['committee', /^\/id\/committees\/[\w-]+$/],
  ['certifying body', /^\/id\/certifying-bodies\/[\w-]+$/],
  ['accreditation', /^\/id\/accreditations\/[\w-]+$/],
  ['outcomes profile', /^\/id\/outcomes\/\d{4}\/[\w-]+$/],
];
const kindOf = (path: string) =>
  KINDS.find(([, pattern]) => pattern.test(path))?.[0];

describe('the identifiers of the files resolve (/id/…)', () => {
  let made: Awaited<ReturnType<typeof publishedStandardWithOffers>>;
  let nodes: Awaited<ReturnType<typeof publishedNodes>>;
  const standardPath = () => `/id/competency-standards/${made.standardId}`;

  beforeAll(async () => {
    made = await publishedStandardWithOffers();
    // The files follow the events within seconds (docs: Freshness).
    await eventually(
      async () => {
        nodes = await publishedNodes();
        return (
          nodes.has(standardPath()) &&
          made.accreditationIds.every((id) =>
            nodes.has(`/id/accreditations/${id}`),
          )
        );
      },
      { timeoutMs: 60_000 },
    );
  }, 240_000);

  // After this file's own standard and accreditations are in the files, so
  // every kind of node the examples show is served (the other test files'
  // data, alone, may hold certifying bodies without any accreditation).
  it("matches docs/open-data.md's examples: CSV headers and widths, JSON-LD types and properties", async () => {
    expect([...examples.keys()].sort()).toEqual(
      ['index', ...FILES, ...ID_EXAMPLES].sort(),
    );
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

  /** A few identifiers of every kind the files publish, this file's own among them. */
  function sample(): string[] {
    const byKind = new Map<string, string[]>();
    for (const path of nodes.keys()) {
      const kind = kindOf(path);
      expect(kind).toBeDefined();
      byKind.set(kind!, [...(byKind.get(kind!) ?? []), path]);
    }
    expect([...byKind.keys()].sort()).toEqual(KINDS.map(([k]) => k).sort());
    const own = [
      standardPath(),
      `${standardPath()}/framework`,
      `${standardPath()}/framework/elements/2`,
      `/id/certifying-bodies/${made.bodyIds[0]}`,
      `/id/accreditations/${made.accreditationIds[0]}`,
    ];
    return [
      ...new Set([
        ...own,
        ...[...byKind.values()].flatMap((paths) => paths.slice(-3)),
      ]),
    ];
  }

  it('answers every kind of identifier as its JSON-LD node, with the CTDL context, ETag and Cache-Control', async () => {
    for (const path of sample()) {
      const res = await get(path, { accept: 'application/ld+json' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/ld+json');
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      expect(res.headers.get('vary')).toMatch(/Accept/i);
      const answer = (await res.json()) as Node & { '@context': unknown };
      const { '@context': context, ...node } = answer;
      expect(context).toBe(CTDL_CONTEXT);
      // The node as the file publishes it (read again if it changed since:
      // other test files' data moves outcomes' counts).
      const published = nodes.get(path)?.node;
      if (JSON.stringify(published) !== JSON.stringify(node))
        expect(node).toEqual((await publishedNodes()).get(path)?.node);
      expect(await expandCtdl(answer)).toHaveLength(1);
      // Validators: the same bytes answer 304.
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await get(path, {
        accept: 'application/ld+json',
        'if-none-match': etag,
      });
      if (again.status === 200)
        expect(again.headers.get('etag')).not.toBe(etag);
      else expect(again.status).toBe(304);
    }
    // No Accept (or any) is JSON-LD too.
    const plain = await get(standardPath());
    expect(plain.headers.get('content-type')).toBe('application/ld+json');
  });

  it('answers every kind as a page in Spanish and English whose links to other identifiers resolve', async () => {
    for (const path of sample()) {
      const res = await get(path, { accept: 'text/html,*/*;q=0.8' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await res.text();
      expect(page).toMatch(/^<!doctype html>\n<html lang="es">/);
      expect(page).toContain('Datos · <span lang="en">Data</span>');
      expect(page).toContain('href="/open-data"');
      const { node, file } = nodes.get(path)!;
      expect(page).toContain(`<code>${node['@id']}</code>`);
      expect(page).toContain(`href="/open-data/${file}"`);
      for (const [, href] of page.matchAll(/href="(\/id\/[^"]+)"/g))
        expect((await get(href!, { accept: 'text/html' })).status).toBe(200);
    }
    // The standard's page names its framework and elements, and lists the
    // offers (certifying-bodies.jsonld) that name it.
    const page = await (
      await get(standardPath(), { accept: 'text/html' })
    ).text();
    expect(page).toContain('Estándar de competencia (certificación)');
    expect(page).toContain('Publicación de datos abiertos gubernamentales');
    expect(page).toContain(`href="${standardPath()}/framework/elements/1"`);
    for (const id of made.accreditationIds)
      expect(page).toContain(`href="/id/accreditations/${id}"`);
  });

  it('answers 404 for identifiers no file publishes, 406 for formats it has not, 405 for other methods', async () => {
    for (const path of [
      `/id/competency-standards/${randomUUID()}`,
      `/id/accreditations/${randomUUID()}`,
      `/id/outcomes/1900/MX`,
      `/id/people/${randomUUID()}`,
      '/id',
    ]) {
      const json = await get(path, { accept: 'application/ld+json' });
      expect(json.status).toBe(404);
      const html = await get(path, { accept: 'text/html' });
      expect(html.status).toBe(404);
      expect(await html.text()).toContain('No encontrado');
    }
    expect((await get(standardPath(), { accept: 'text/csv' })).status).toBe(
      406,
    );
    const post = await fetch(`${base}${standardPath()}`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it("matches docs/open-data.md's example of an identifier's JSON-LD answer", async () => {
    const documented = JSON.parse(examples.get('id.jsonld')!) as Node & {
      '@context': string;
    };
    expect(documented['@context']).toBe(CTDL_CONTEXT);
    expect(await expandCtdl(documented)).toHaveLength(1);
    const served = (await (
      await get(`/id/accreditations/${made.accreditationIds[0]}`, {
        accept: 'application/ld+json',
      })
    ).json()) as Node;
    expect(served['@type']).toBe(documented['@type']);
    expect(Object.keys(served).sort()).toEqual(Object.keys(documented).sort());
  });
});
