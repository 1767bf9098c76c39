import {
  eventually,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import { accredited, admin, certifyingBody } from '../fixtures/flows';
import { expandCtdl, parseCsv } from '@conecta/test-kit';
import type { createNetworkFeed } from '../fixtures/network';
import { startCertification } from '../fixtures/service';

const SET_FEE = `mutation ($b: ID!, $s: ID!, $a: Int!) { setFee(certifyingBodyId: $b, standardId: $s, amountCentavos: $a) { id } }`;
const SUSPEND = `mutation ($id: ID!, $reason: String!) { suspendAccreditation(id: $id, reason: $reason) { id status } }`;
const BASE = 'https://datos.conecta.example.gob.mx';

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: ReturnType<typeof createNetworkFeed>;
let origin: string;

beforeAll(async () => {
  const running = await startCertification('certification-open-data', {
    PUBLIC_BASE_URL: BASE,
  });
  ({ infra, service, client, network } = running);
  origin = new URL(running.url).origin;
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

const get = (name: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/open-data/${name}`, { headers });

/** certifying-bodies.csv as records, with its ETag, once `until` holds for them. */
async function csvOnce(until: (records: Record<string, string>[]) => boolean) {
  return eventually(
    async () => {
      const response = await get('certifying-bodies.csv');
      if (response.status !== 200) return null;
      const [header, ...rows] = parseCsv(await response.text());
      const records = rows.map((r) =>
        Object.fromEntries(r.map((v, i) => [header![i]!, v])),
      );
      return until(records)
        ? { records, etag: response.headers.get('etag')! }
        : null;
    },
    { timeoutMs: 40_000, what: 'certifying-bodies.csv to change' },
  );
}

describe('the open-data export of certifying bodies', () => {
  it('shows an accreditation once ACTIVE with its fee, and drops it when suspended, with a new ETag each time', async () => {
    const orgs = [
      await network.organization('Universidad de Guadalajara'),
      await network.organization('CANIETI Occidente'),
      await network.organization(
        'Sindicato Nacional de Telefonistas',
        'MX-NLE',
      ),
    ];
    const standard = await network.publishedStandard();
    await network.nominate(standard, orgs);
    const udg = await certifyingBody(
      client,
      'Universidad de Guadalajara',
      orgs[0]!,
    );

    const registered = await csvOnce((records) =>
      records.some((r) => r['body_id'] === udg.id),
    );
    expect(
      registered.records.find((r) => r['body_id'] === udg.id),
    ).toMatchObject({
      body_name: 'Universidad de Guadalajara',
      facility_states: 'MX-JAL',
      standard_code: '',
      fee_mxn: '',
    });
    expect(
      (await get('certifying-bodies.csv', { 'if-none-match': registered.etag }))
        .status,
    ).toBe(304);

    const accreditationId = await accredited(client, udg, standard);
    await client.ok(SET_FEE, { b: udg.id, s: standard.id, a: 150_050 }, admin);
    const offered = await csvOnce((records) =>
      records.some(
        (r) =>
          r['accreditation_id'] === accreditationId &&
          r['fee_mxn'] === '1500.50',
      ),
    );
    expect(offered.etag).not.toBe(registered.etag);
    expect(offered.records.find((r) => r['body_id'] === udg.id)).toMatchObject({
      standard_id: standard.id,
      standard_code: standard.code,
      standard_uri: `${BASE}/id/competency-standards/${standard.id}`,
    });
    const stale = await get('certifying-bodies.csv', {
      'if-none-match': registered.etag,
    });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).toBe(offered.etag);

    // No staff member is ever in the export.
    const jsonld = await get('certifying-bodies.jsonld');
    expect(jsonld.headers.get('content-type')).toMatch(
      /^application\/ld\+json/,
    );
    const text = await jsonld.text();
    expect(text).not.toContain('Ana Evaluadora');
    expect(text).not.toContain(udg.evaluator.subject);
    const expanded = await expandCtdl(JSON.parse(text) as object);
    expect(expanded.map((n) => n['@id'])).toEqual(
      expect.arrayContaining([
        `${BASE}/id/certifying-bodies/${udg.id}`,
        `${BASE}/id/accreditations/${accreditationId}`,
      ]),
    );

    await client.ok(
      SUSPEND,
      { id: accreditationId, reason: 'Auditoría de calidad pendiente' },
      admin,
    );
    const suspended = await csvOnce(
      (records) =>
        !records.some((r) => r['accreditation_id'] === accreditationId),
    );
    expect(suspended.etag).not.toBe(offered.etag);
  });

  it('is readable from any origin with Cache-Control and Last-Modified', async () => {
    const response = await fetch(
      `${origin}/open-data/certifying-bodies.jsonld`,
      {
        method: 'HEAD',
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(
      /^public, max-age=\d+$/,
    );
    expect(response.headers.get('last-modified')).toBeTruthy();
    // The credential documents are still served beside it.
    expect((await fetch(`${origin}/certification/keys`)).status).toBe(200);
  });
});
