import {
  issuanceOf,
  retractionOf,
  type CertificateView,
} from '../../src/domain/certificates';
import { skillGaps } from '../../src/domain/gaps';
import { periodsBetween } from '../../src/domain/periods';
import { NO_DIMENSIONS, type Dimensions } from '../../src/domain/metrics';
import {
  selectionFor,
  sumByPeriod,
  sumByTarget,
  type BucketRow,
  type Catalog,
  type TargetKey,
} from '../../src/domain/scope';
import { ADMIN, PUBLIC } from '../fixtures/mothers';

const d = (iso: string) => new Date(iso);
const row = (value: number, dimensions: Partial<Dimensions>): BucketRow => ({
  period: '2025',
  value,
  dimensions: { ...NO_DIMENSIONS, ...dimensions },
});

// IT standards belong to sector 5415; one AWS credential is aligned with one of them.
const catalog: Catalog = {
  standardSectors: new Map([
    ['ec-it', 'sector-it'],
    ['ec-auto', 'sector-auto'],
  ]),
  credentialStandards: new Map<string, string | null>([
    ['aws', 'ec-it'],
    ['ccna', null],
  ]),
  cohorts: new Map([
    [
      'cohort-jal',
      {
        id: 'cohort-jal',
        state: 'MX-JAL',
        standardId: 'ec-it',
        credentialId: null,
      },
    ],
    [
      'cohort-online',
      {
        id: 'cohort-online',
        state: null,
        standardId: null,
        credentialId: 'aws',
      },
    ],
  ]),
};

describe('scope', () => {
  it('gives a standard its sector, and a vendor credential the sector of the standard it is aligned with', () => {
    const selection = selectionFor('DEMAND_HEADCOUNT', {
      sectorId: 'sector-it',
    })!;
    const rows = [
      row(40, { state: 'MX-JAL', standardId: 'ec-it' }),
      row(30, { state: 'MX-NLE', credentialId: 'aws' }),
      row(20, { state: 'MX-JAL', credentialId: 'ccna' }),
      row(10, { state: 'MX-PUE', standardId: 'ec-auto' }),
    ];
    expect(sumByPeriod(rows, selection, catalog).get('2025')).toBe(70);
  });

  it('gives an enrollment and a completion the state of their cohort (none for an online cohort)', () => {
    const trained = selectionFor('TRAINED', { state: 'MX-JAL' })!;
    expect(trained.equalities).toEqual({});
    const rows = [
      row(12, { standardId: 'ec-it', cohortId: 'cohort-jal' }),
      row(8, { credentialId: 'aws', cohortId: 'cohort-online' }),
      row(5, { standardId: 'ec-it', cohortId: 'cohort-never-scheduled' }),
    ];
    expect(sumByPeriod(rows, trained, catalog).get('2025')).toBe(12);
    const completed = selectionFor('COMPLETED', { sectorId: 'sector-it' })!;
    expect(
      sumByPeriod(
        [
          row(9, { cohortId: 'cohort-jal' }),
          row(4, { cohortId: 'cohort-online' }),
        ],
        completed,
        catalog,
      ).get('2025'),
    ).toBe(13);
  });

  it('filters in the database on what the events record, and through the catalog on the rest', () => {
    expect(
      selectionFor('PLACED', { state: 'MX-JAL', sectorId: 'sector-it' }),
    ).toEqual({
      equalities: { state: 'MX-JAL', sectorId: 'sector-it' },
      derived: [],
    });
    expect(
      selectionFor('CERTIFIED', { standardId: 'ec-it', sectorId: 'sector-it' })
        ?.derived,
    ).toHaveLength(1);
  });

  it('does not filter a metric by what its events cannot tell', () => {
    expect(selectionFor('CERTIFIED', { state: 'MX-JAL' })).toBeNull();
    expect(selectionFor('CERTIFIED', { credentialId: 'aws' })).toBeNull();
    expect(selectionFor('PLACED', { standardId: 'ec-it' })).toBeNull();
    expect(selectionFor('COMPLETED', {})).toEqual({
      equalities: {},
      derived: [],
    });
  });

  it('sums per target, leaving out rows without one', () => {
    const selection = selectionFor('TRAINED', {})!;
    const sums = sumByTarget(
      [
        row(3, { standardId: 'ec-it' }),
        row(4, { standardId: 'ec-it' }),
        row(5, { credentialId: 'aws' }),
        row(6, {}),
      ],
      selection,
      catalog,
    );
    expect([...sums]).toEqual([
      ['STANDARD:ec-it', 7],
      ['CREDENTIAL:aws', 5],
    ]);
  });
});

describe('skill gaps', () => {
  const totals = (
    demand: Array<[TargetKey, number]>,
    trained: Array<[TargetKey, number]>,
    certified: Array<[TargetKey, number]> | null,
  ) => {
    // One period (the year 2025) per target: the span's only cell.
    const perTarget = (pairs: Array<[TargetKey, number]>) =>
      new Map(pairs.map(([key, n]) => [key, new Map([['2025', n]])]));
    return {
      demand: perTarget(demand),
      trained: perTarget(trained),
      certified: certified && perTarget(certified),
    };
  };
  const year = periodsBetween(d('2025-01-01'), d('2025-12-31'), 'YEAR');
  const span = { periods: year, rows: year, granularity: 'YEAR' as const };

  it('ranks demand minus trained and certified supply, largest gap first, surpluses last', () => {
    const gaps = skillGaps(
      totals(
        [
          ['STANDARD:a', 100],
          ['STANDARD:b', 50],
          ['CREDENTIAL:c', 80],
        ],
        [
          ['STANDARD:a', 20],
          ['CREDENTIAL:c', 10],
          ['STANDARD:d', 30],
        ],
        [
          ['STANDARD:a', 10],
          ['STANDARD:b', 60],
        ],
      ),
      span,
      PUBLIC,
      20,
    );
    expect(
      gaps.map((g) => [
        g.standard?.id ?? g.credential?.id,
        g.demand.value,
        g.supply.value,
        g.gap,
      ]),
    ).toEqual([
      ['a', 100, 30, 70],
      ['c', 80, 10, 70],
      ['b', 50, 60, -10],
      ['d', 0, 30, -30],
    ]);
    // Certificates are against standards only.
    expect(gaps[1]?.certified.suppressed).toBe('NOT_RECORDED');
  });

  it('gives supply and totals as sums of what is shown, no gap from a partial total, and ranks only by what is shown', () => {
    const input = totals(
      [
        ['STANDARD:a', 3],
        ['STANDARD:b', 40],
        ['STANDARD:c', 30],
      ],
      [
        ['STANDARD:a', 0],
        ['STANDARD:b', 2],
        ['STANDARD:c', 10],
      ],
      [['STANDARD:b', 20]],
    );
    const shown = skillGaps(input, span, PUBLIC, 20);
    expect(shown.map((g) => [g.standard?.id, g.supply, g.gap])).toEqual([
      ['c', { value: 10, suppressed: null, partial: false }, 20],
      // 2 trained + 20 certified: the supply is the 20 shown, never 22 (it would reveal the 2).
      ['b', { value: 20, suppressed: null, partial: true }, null],
      ['a', { value: 0, suppressed: null, partial: false }, null],
    ]);
    expect(shown[1]?.trained).toEqual({
      value: 0,
      suppressed: null,
      partial: true,
    });
    // The withheld demand of a makes its total partial: 0 shown, not "no demand".
    expect(shown[2]?.demand).toEqual({
      value: 0,
      suppressed: null,
      partial: true,
    });
    expect(skillGaps(input, span, ADMIN, 20).map((g) => g.gap)).toEqual([
      20, 18, 3,
    ]);
  });

  it('counts the trained alone where certificates are not recorded (a state filter)', () => {
    const [gap] = skillGaps(
      totals([['STANDARD:a', 60]], [['STANDARD:a', 25]], null),
      span,
      PUBLIC,
      20,
    );
    expect(gap).toMatchObject({
      certified: { value: null, suppressed: 'NOT_RECORDED' },
      supply: { value: 25 },
      gap: 35,
    });
  });

  it('leaves out targets with neither demand nor supply, and refuses a bad first', () => {
    expect(
      skillGaps(totals([], [], [['STANDARD:a', 0]]), span, PUBLIC, 20),
    ).toEqual([]);
    expect(() => skillGaps(totals([], [], []), span, PUBLIC, 0)).toThrow(
      'first',
    );
    expect(() => skillGaps(totals([], [], []), span, PUBLIC, 501)).toThrow(
      'first',
    );
  });
});

describe('revoked certificates', () => {
  const view = (overrides: Partial<CertificateView>): CertificateView => ({
    id: 'cert-1',
    standardId: 'ec-it',
    issuedAt: d('2023-05-10T12:00:00Z'),
    revokedAt: null,
    retracted: false,
    ...overrides,
  });

  it('retracts a revoked certificate from the period it was issued in, not the revocation', () => {
    const retraction = retractionOf(
      view({ revokedAt: d('2025-01-20T12:00:00Z') }),
    );
    expect(retraction).toEqual({
      ...issuanceOf({
        standardId: 'ec-it',
        issuedAt: d('2023-05-10T12:00:00Z'),
      }),
      amount: -1,
    });
    expect(retraction?.at.toISOString()).toBe('2023-05-10T12:00:00.000Z');
  });

  it('retracts nothing before both events are known, nor twice', () => {
    expect(retractionOf(view({}))).toBeNull();
    expect(
      retractionOf(view({ issuedAt: null, revokedAt: d('2025-01-20') })),
    ).toBeNull();
    expect(
      retractionOf(view({ revokedAt: d('2025-01-20'), retracted: true })),
    ).toBeNull();
  });
});
