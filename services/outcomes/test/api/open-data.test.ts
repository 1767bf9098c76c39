import { eventually } from '@conecta/test-kit';
import { expandCtdl, parseCsv } from '@conecta/test-kit';
import { outcomeCells } from '../../src/resolvers/open-data-cells';
import { createLoaders } from '../../src/store';
import { placementMother } from '../fixtures/mothers';
import {
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;
let origin: string;

beforeAll(async () => {
  running = await startOutcomes('outcomes-open-data');
  origin = new URL(running.url).origin;
});

afterAll(() => running?.stop());

const broker = { subject: 'broker-1', roles: ['broker' as const] };
const RECORD = /* GraphQL */ `
  mutation ($input: RecordPlacementInput!) {
    recordPlacement(input: $input) {
      id
    }
  }
`;
const SUPPLY = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    supply(filter: $filter) {
      period
      placed {
        value
        suppressed
      }
    }
  }
`;

const get = (name: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/open-data/${name}`, { headers });

/** Placements in Zacatecas in 2025 as outcomes.csv says, with its ETag, once `until` holds. */
async function zacatecas2025(
  until: (cell: { value: string; suppressed: string }) => boolean,
) {
  return eventually(
    async () => {
      const response = await get('outcomes.csv');
      if (response.status !== 200) return null;
      const [header, ...rows] = parseCsv(await response.text());
      const records = rows.map((r) =>
        Object.fromEntries(r.map((v, i) => [header![i]!, v])),
      );
      const cell = records.find(
        (r) =>
          r['measure'] === 'placements' &&
          r['year'] === '2025' &&
          r['state'] === 'MX-ZAC' &&
          r['sector_id'] === '',
      );
      return cell &&
        until({ value: cell['value']!, suppressed: cell['suppressed']! })
        ? { cell, etag: response.headers.get('etag')! }
        : null;
    },
    { timeoutMs: 60_000, what: 'outcomes.csv to show the placements' },
  );
}

const record = (count: number) =>
  Promise.all(
    Array.from({ length: count }, () =>
      running.client.ok(
        RECORD,
        {
          input: placementMother.developer({
            state: 'MX-ZAC',
            startDate: '2025-06-01',
          }),
        },
        broker,
      ),
    ),
  );

describe('the open-data export of outcomes', () => {
  it('follows the consumed events with the public suppression: 0, then withheld, then a rounded count, each with a new ETag', async () => {
    const none = await zacatecas2025((c) => c.value === '0');
    expect(none.cell['state_name']).toBe('Zacatecas');

    await record(2);
    const withheld = await zacatecas2025(
      (c) => c.suppressed === 'BELOW_THRESHOLD',
    );
    expect(withheld.cell['value']).toBe('');
    expect(withheld.etag).not.toBe(none.etag);
    expect(
      (await get('outcomes.csv', { 'if-none-match': none.etag })).status,
    ).toBe(200);
    expect(
      (await get('outcomes.csv', { 'if-none-match': withheld.etag })).status,
    ).toBe(304);

    await record(4);
    const shown = await zacatecas2025((c) => c.value !== '');
    expect(shown.cell['value']).toBe('5');
    expect(shown.etag).not.toBe(withheld.etag);

    // The same figure an anonymous caller of the graph is shown.
    const { supply } = await running.client.ok(
      SUPPLY,
      {
        filter: {
          from: '2025-01-01',
          to: '2025-12-31',
          granularity: 'YEAR',
          state: 'MX-ZAC',
        },
      },
      anonymous,
    );
    expect(supply[0].placed).toEqual({ value: 5, suppressed: null });

    const jsonld = await get('outcomes.jsonld');
    expect(jsonld.headers.get('content-type')).toMatch(
      /^application\/ld\+json/,
    );
    const expanded = await expandCtdl((await jsonld.json()) as object);
    const profile = expanded.find((n) =>
      String(n['@id']).endsWith('/id/outcomes/2025/MX-ZAC'),
    )!;
    expect(profile['https://purl.org/ctdl/terms/jobsObtained']).toBeDefined();
  });

  it("reads the certificates once per build for all 32 states' counts (they share one span), and the same buckets once for every sector", async () => {
    const { stores } = running.service;
    const reads = jest.spyOn(stores.people, 'certificatesIssuedBetween');
    // Two sectors: each is a scope of the export's demand headcount, joined
    // through the catalog after the read.
    await stores.standards.setMany([
      { id: 'std-sector-a', set: { code: 'EC9001', sectorId: 'sector-a' } },
      { id: 'std-sector-b', set: { code: 'EC9002', sectorId: 'sector-b' } },
    ]);
    const bucketReads = jest.spyOn(stores.buckets, 'rows');
    try {
      const cells = await outcomeCells(
        { stores, loaders: createLoaders(stores) },
        { threshold: 5, revealAll: false },
        new Date(),
      );
      const states = new Set(
        cells
          .filter((c) => c.measure === 'certificates_issued' && c.state)
          .map((c) => c.state),
      );
      expect(states.size).toBe(32);
      expect(reads).toHaveBeenCalledTimes(1);
      const sectors = new Set(cells.map((c) => c.sectorId).filter(Boolean));
      expect(sectors.size).toBeGreaterThan(1);
      const asked = bucketReads.mock.calls.map((args) => JSON.stringify(args));
      expect(asked.length).toBeGreaterThan(0);
      expect(new Set(asked).size).toBe(asked.length);
    } finally {
      reads.mockRestore();
      bucketReads.mockRestore();
    }
  });
});
