import {
  certifiedRows,
  issuanceOf,
  retractionOf,
  type CertificateView,
} from '../../src/domain/certificates';
import { skillGaps } from '../../src/domain/gaps';
import { periodsBetween } from '../../src/domain/periods';
import { NO_DIMENSIONS, type Dimensions } from '../../src/domain/metrics';
import {
  fromCertificates,
  selectionFor,
  sumByPeriod,
  sumByTarget,
  type BucketRow,
  type Catalog,
  type TargetKey,
  withEqualities,
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
  bodies: new Map(),
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

describe('certificates by the state they were evaluated in', () => {
  it('reads a state-filtered certified count from the certificates, each in its evaluating body’s state', () => {
    expect(selectionFor('CERTIFIED', { state: 'MX-JAL' })?.equalities).toEqual({
      state: 'MX-JAL',
    });
    expect(fromCertificates('CERTIFIED', { state: 'MX-JAL' })).toBe(true);
    expect(fromCertificates('CERTIFIED', { sectorId: 'sector-it' })).toBe(
      false,
    );
    const bodies = new Map([
      ['udg', [{ changedAt: d('2020-03-02'), states: ['MX-JAL'] }]],
      ['tec', [{ changedAt: d('2020-03-02'), states: ['MX-NLE', 'MX-JAL'] }]],
    ]);
    const issued = (
      certifyingBodyId: string,
      revokedAt: Date | null = null,
    ) => ({
      standardId: 'ec-it',
      certifyingBodyId,
      issuedAt: d('2025-05-20T17:00:00Z'),
      revokedAt,
    });
    const rows = certifiedRows(
      [
        issued('udg'),
        issued('udg'),
        issued('tec'),
        issued('udg', d('2025-06-01')),
      ],
      { bodies },
      'QUARTER',
    );
    // Two in Jalisco, one in no state (a body in two states), the revoked one left out.
    expect(
      sumByPeriod(
        withEqualities(rows, { state: 'MX-JAL' }),
        selectionFor('CERTIFIED', { state: 'MX-JAL' })!,
        catalog,
      ),
    ).toEqual(new Map([['2025-Q2', 2]]));
    expect(rows.map((r) => r.dimensions.state)).toEqual([
      'MX-JAL',
      'MX-JAL',
      null,
    ]);
  });
});

describe('skill gaps', () => {
  const totals = (
    demand: Array<[TargetKey, number]>,
    trained: Array<[TargetKey, number]>,
    certified: Array<[TargetKey, number]> | null,
    supply: Array<[TargetKey, number]>,
  ) => {
    // One period (the year 2025) per target: the span's only cell.
    const perTarget = (pairs: Array<[TargetKey, number]>) =>
      new Map(pairs.map(([key, n]) => [key, new Map([['2025', n]])]));
    return {
      demand: perTarget(demand),
      trained: perTarget(trained),
      certified: certified && perTarget(certified),
      supply: perTarget(supply),
    };
  };
  const year = periodsBetween(d('2025-01-01'), d('2025-12-31'), 'YEAR');
  const span = { periods: year, rows: year, granularity: 'YEAR' as const };

  it('subtracts the distinct people of supply from demand, largest gap first, surpluses last', () => {
    // a: 20 trained and 10 certified, all 10 among the 20: 20 people, not 30.
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
        [
          ['STANDARD:a', 20],
          ['STANDARD:b', 60],
          ['CREDENTIAL:c', 10],
          ['STANDARD:d', 30],
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
        g.trained.value,
        g.certified.value,
        g.supply.value,
        g.gap,
      ]),
    ).toEqual([
      ['a', 100, 20, 10, 20, 80],
      ['c', 80, 10, null, 10, 70],
      ['b', 50, 0, 60, 60, -10],
      ['d', 0, 30, 0, 30, -30],
    ]);
    // Certificates are against standards only.
    expect(gaps[1]?.certified.suppressed).toBe('NOT_RECORDED');
  });

  it('gives totals as sums of what is shown, no gap from a partial total, and ranks only by what is shown', () => {
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
      [
        ['STANDARD:b', 21],
        ['STANDARD:c', 10],
        ['STANDARD:d', 4],
      ],
    );
    const shown = skillGaps(input, span, PUBLIC, 20);
    expect(shown.map((g) => [g.standard?.id, g.supply, g.gap])).toEqual([
      // 21 people rounds to 20; the 2 trained are withheld on their own.
      // Equal gaps: the larger demand (40) first.
      ['b', { value: 20, suppressed: null, partial: false }, 20],
      ['c', { value: 10, suppressed: null, partial: false }, 20],
      ['a', { value: 0, suppressed: null, partial: false }, null],
      // 4 people: withheld, so the supply total is partial and gives no gap.
      ['d', { value: 0, suppressed: null, partial: true }, null],
    ]);
    expect(shown[0]?.trained).toEqual({
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
      20, 19, 3, -4,
    ]);
  });

  it('leaves out targets with neither demand nor supply, and refuses a bad first', () => {
    expect(
      skillGaps(totals([], [], [['STANDARD:a', 0]], []), span, PUBLIC, 20),
    ).toEqual([]);
    expect(() => skillGaps(totals([], [], [], []), span, PUBLIC, 0)).toThrow(
      'first',
    );
    expect(() => skillGaps(totals([], [], [], []), span, PUBLIC, 501)).toThrow(
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
