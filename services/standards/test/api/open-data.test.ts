import { loadConfig } from '@conecta/service-kit';
import {
  eventually,
  startSubgraph,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { standardsConfig } from '../../src/env';
import {
  createStandardsService,
  type StandardsService,
} from '../../src/server';
import { admin, lifecycle, standardMutations } from '../fixtures/api';
import { expandCtdl, parseCsv } from '@conecta/test-kit';

const FIELDS = 'id code version status title';
const { WITHDRAW } = standardMutations(FIELDS);
const BASE = 'https://datos.conecta.example.gob.mx';

let infra: IsolatedInfra;
let service: StandardsService;
let client: TestClient;
let origin: string;

const { installedCommittee, draft, published, appointCouncil } = lifecycle(
  () => ({ service, client }),
  FIELDS,
);

beforeAll(async () => {
  const running = await startSubgraph({
    name: 'standards',
    label: 'standards-open-data',
    config: (env) =>
      loadConfig(standardsConfig, { ...env, PUBLIC_BASE_URL: `${BASE}/` }),
    create: createStandardsService,
  });
  ({ infra, service, client } = running);
  origin = new URL(running.url).origin;
  await appointCouncil();
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

const get = (name: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/open-data/${name}`, { headers });

/** The codes listed by standards.csv and its ETag, once `until` holds for them. */
async function csvOnce(until: (codes: string[]) => boolean) {
  return eventually(
    async () => {
      const response = await get('standards.csv');
      const rows = parseCsv(await response.text());
      const codes = rows.slice(1).map((r) => `${r[2]}v${r[3]}`);
      return until(codes)
        ? { codes, etag: response.headers.get('etag')!, response }
        : null;
    },
    { timeoutMs: 30_000, what: 'standards.csv to change' },
  );
}

describe('the open-data export of standards', () => {
  it('lists a standard once it is published and drops it when withdrawn, with a new ETag each time', async () => {
    const committee = await installedCommittee();
    const before = await csvOnce(() => true);
    expect(before.response.status).toBe(200);
    expect(before.response.headers.get('content-type')).toBe(
      'text/csv; charset=utf-8',
    );
    expect(before.response.headers.get('cache-control')).toMatch(
      /^public, max-age=\d+$/,
    );
    expect(before.response.headers.get('access-control-allow-origin')).toBe(
      '*',
    );
    expect(before.response.headers.get('last-modified')).toBeTruthy();

    // Unchanged: the ETag answers 304, without a body.
    const unchanged = await get('standards.csv', {
      'if-none-match': before.etag,
    });
    expect(unchanged.status).toBe(304);

    // A draft is not open data; its publication is.
    const drafted = await draft(committee);
    const publication = await published(committee);
    const key = `${publication.code}v${publication.version}`;
    expect(before.codes).not.toContain(key);
    const after = await csvOnce((codes) => codes.includes(key));
    expect(after.codes).not.toContain(`${drafted.code}v${drafted.version}`);
    expect(after.etag).not.toBe(before.etag);
    const stale = await get('standards.csv', { 'if-none-match': before.etag });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).toBe(after.etag);
    expect(
      (await get('standards.csv', { 'if-none-match': after.etag })).status,
    ).toBe(304);

    // The JSON-LD says the same, under the public base URL.
    const jsonld = await get('standards.jsonld');
    expect(jsonld.headers.get('content-type')).toMatch(
      /^application\/ld\+json/,
    );
    const expanded = await expandCtdl((await jsonld.json()) as object);
    expect(expanded.map((n) => n['@id'])).toContain(
      `${BASE}/id/competency-standards/${publication.id}`,
    );

    await client.ok(
      WITHDRAW,
      { id: publication.id, reason: 'Sustituido por la norma oficial' },
      admin,
    );
    const withdrawn = await csvOnce((codes) => !codes.includes(key));
    expect(withdrawn.etag).not.toBe(after.etag);
  });

  it('answers HEAD with the headers only, and 404 or 405 for anything else', async () => {
    const head = await fetch(`${origin}/open-data/standards.jsonld`, {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(await head.text()).toBe('');
    expect((await get('people.csv')).status).toBe(404);
    const post = await fetch(`${origin}/open-data/standards.csv`, {
      method: 'POST',
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
