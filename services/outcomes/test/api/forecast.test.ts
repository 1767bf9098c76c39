import { v7 as uuidv7 } from 'uuid';
import { eventMother as events } from '../fixtures/mothers';
import {
  admin,
  anonymous,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;
const client = () => running.client;

beforeAll(async () => {
  running = await startOutcomes('outcomes-forecast');
});

afterAll(() => running?.stop());

const FORECAST = /* GraphQL */ `
  query ($state: String, $sectorId: ID, $asOf: Date) {
    demandForecast(state: $state, sectorId: $sectorId, asOf: $asOf) {
      model
      smape
      candidates {
        model
        smape
        origins
      }
      historyMonths
      lastMonth
      intervalLevel
      points {
        period
        start
        horizon
        requestedHeadcount {
          value
          suppressed
        }
        lower
        upper
      }
    }
  }
`;

// Three years (2023–2025) of Jalisco demand for one IT standard: each month
// the same as the year before (a season, no trend) — so the forecast is that
// season again, by the simplest model, exactly.
const SEASON = [20, 30, 40, 50, 60, 70, 80, 70, 60, 50, 40, 30];
const IT = uuidv7();
const itStandard = events.standardPublished(
  'EC0217',
  '2022-01-10T12:00:00Z',
  IT,
);

describe('demandForecast', () => {
  it('forecasts the next 12 months of a state and of a sector from their history, with the model, its backtest error and an interval', async () => {
    const standardId = itStandard.data.id;
    const demand = [2023, 2024, 2025].flatMap((year) =>
      SEASON.map((headcount, m) =>
        events.demandRequested(
          `${year}-${String(m + 1).padStart(2, '0')}-12T12:00:00Z`,
          headcount,
          { state: 'MX-JAL', standardId },
        ),
      ),
    );
    // Elsewhere and for another sector: not in Jalisco's or IT's history.
    const other = events.demandRequested('2025-03-12T12:00:00Z', 500, {
      state: 'MX-NLE',
    });
    await running.publish(itStandard, ...demand, other);
    await running.caughtUp();

    for (const args of [{ state: 'MX-JAL' }, { sectorId: IT }]) {
      const { demandForecast } = await client().ok(
        FORECAST,
        { ...args, asOf: '2026-01-15' },
        anonymous,
      );
      expect(demandForecast).toMatchObject({
        model: 'SEASONAL_NAIVE',
        smape: 0,
        historyMonths: 36,
        lastMonth: '2025-12',
        intervalLevel: 0.8,
      });
      expect(demandForecast.candidates).toEqual([
        { model: 'SEASONAL_NAIVE', smape: 0, origins: 24 },
        { model: 'HOLT_WINTERS', smape: expect.any(Number), origins: 12 },
      ]);
      expect(demandForecast.points).toHaveLength(12);
      expect(demandForecast.points[0]).toMatchObject({
        period: '2026-01',
        start: '2026-01-01',
        horizon: 1,
      });
      // A university sees the counts rounded to 5, as in demandTrends.
      expect(
        demandForecast.points.map((p: any) => p.requestedHeadcount.value),
      ).toEqual(SEASON);
      for (const p of demandForecast.points) {
        expect(p.lower).toBeLessThanOrEqual(p.requestedHeadcount.value);
        expect(p.upper).toBeGreaterThanOrEqual(p.requestedHeadcount.value);
      }
    }

    // Too little history (a state with one month): no model, no points.
    const { demandForecast: short } = await client().ok(
      FORECAST,
      { state: 'MX-NLE', asOf: '2026-01-15' },
      admin,
    );
    expect(short).toMatchObject({ model: null, smape: null, points: [] });
    expect(short.historyMonths).toBe(10);
  });
});
