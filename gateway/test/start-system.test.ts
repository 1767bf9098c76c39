import { randomBytes } from 'node:crypto';
import { startSystem } from '@conecta/devstack';
import { eventually } from '@conecta/test-kit';
import { STANDARD_STATUSES } from '../../services/standards/src/domain/lifecycle';

// `npm start` end to end: devstack's startSystem runs every built subgraph and the
// gateway as real processes and loads the national demo through the gateway.
// Ports are shifted and databases/topics prefixed, so a developer's own
// `npm start` and data are untouched.
describe('npm start', () => {
  it('serves the gateway with every subgraph behind it and loads the demo data in every lifecycle state', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}_`;
    const system = await startSystem(
      { ...process.env, LOG_LEVEL: 'warn' },
      { portOffset: 20_000, prefix },
    );
    try {
      expect(system.gatewayUrl).toBe('http://localhost:24000/graphql');
      expect(
        // The gateway's operator port: 1000 above its public one.
        (await fetch('http://localhost:25000/ready')).status,
      ).toBe(200);

      const query = async (q: string) => {
        const response = await fetch(system.gatewayUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${system.token}`,
          },
          body: JSON.stringify({ query: q }),
        });
        const body = (await response.json()) as {
          data?: any;
          errors?: unknown;
        };
        expect(body.errors).toBeUndefined();
        return body.data;
      };

      // Committees: several per sector, in every status, through the graph.
      const sectors = await query('{ sectors { code committees { status } } }');
      const statuses = sectors.sectors.flatMap(
        (s: { committees: { status: string }[] }) =>
          s.committees.map((c) => c.status),
      );
      expect(new Set(statuses)).toEqual(
        new Set(['PROPOSED', 'INSTALLED', 'DISSOLVED']),
      );

      // Standards in every lifecycle state, as the admin sees them.
      for (const status of STANDARD_STATUSES) {
        const found = await query(
          `{ standards(filter: { status: ${status} }) { totalCount } }`,
        );
        expect({ status, count: found.standards.totalCount }).toEqual({
          status,
          count: expect.any(Number),
        });
        expect(found.standards.totalCount).toBeGreaterThan(0);
      }

      // Published standards have accredited certifiers and certificates.
      const published = await query(
        '{ standards(filter: { status: PUBLISHED }, first: 100) { nodes { certificateCount certifyingBodies { certifyingBody { id } } } } }',
      );
      const certificates = published.standards.nodes.reduce(
        (n: number, s: { certificateCount: number }) => n + s.certificateCount,
        0,
      );
      expect(certificates).toBe(system.demo?.certificates);
      expect(certificates).toBeGreaterThan(0);
      expect(
        published.standards.nodes.every(
          (s: { certifyingBodies: unknown[] }) =>
            s.certifyingBodies.length >= 3,
        ),
      ).toBe(true);

      // Several years of history: training holds the imported demand register…
      const from = `${new Date().getUTCFullYear() - 6}-01-01`;
      // Whole years: public analytics answer whole periods only.
      const to = `${new Date().getUTCFullYear()}-12-31`;
      const demand = await query(
        '{ demandRequests(filter: { status: FULFILLED }) { requestedAt } }',
      );
      const demandYears = new Set(
        demand.demandRequests.map((d: { requestedAt: string }) =>
          d.requestedAt.slice(0, 4),
        ),
      );
      expect(demandYears.size).toBeGreaterThanOrEqual(5);
      // …and it reaches outcomes through Kafka with the legacy certificates and
      // the placements, so universities see multi-year trends. Outcomes consumes
      // in batches (hundreds of events a second) and has the demo's backlog
      // within a minute of its last write; the bound leaves room for a busy CI.
      const yearsWith = (points: any[], count: (p: any) => number | null) =>
        points.filter((p) => (count(p) ?? 0) > 0).length;
      let seen: Record<string, number> = {};
      await eventually(
        async () => {
          const trends = await query(`{
            demandTrends(filter: { from: "${from}", to: "${to}", granularity: YEAR }) { requestedHeadcount { value } }
            supply(filter: { from: "${from}", to: "${to}", granularity: YEAR }) { certified { value } placed { value } }
          }`);
          seen = {
            demand: yearsWith(
              trends.demandTrends,
              (p) => p.requestedHeadcount.value,
            ),
            certified: yearsWith(trends.supply, (p) => p.certified.value),
            placed: yearsWith(trends.supply, (p) => p.placed.value),
          };
          return Object.values(seen).every((years) => years >= 2);
        },
        { timeoutMs: 120_000, what: 'multi-year trends in outcomes' },
      ).catch((error: Error) => {
        throw new Error(
          `${error.message}; years with data: ${JSON.stringify(seen)}`,
        );
      });
    } finally {
      await system.stop();
    }
  }, 600_000);
});
