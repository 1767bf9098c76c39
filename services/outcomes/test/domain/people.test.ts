import { cohortFunnel } from '../../src/domain/funnel';
import { skillGaps } from '../../src/domain/gaps';
import {
  addMonths,
  evaluationStateOf,
  funnelCounts,
  placementLinkOf,
  supplyEntries,
  type PersonRecord,
} from '../../src/domain/people';
import { periodsBetween } from '../../src/domain/periods';
import { EMPTY_CATALOG, type Catalog } from '../../src/domain/scope';
import { ADMIN, PUBLIC, personMother } from '../fixtures/mothers';

const { person, enrollment, certificate, placement } = personMother;
const d = (iso: string) => new Date(iso);
const times = <T>(n: number, make: () => T): T[] =>
  Array.from({ length: n }, make);

// EC0217 (ec-it) is an IT standard; cohort-jal trains on it in Jalisco, cohort-online online.
const catalog: Catalog = {
  ...EMPTY_CATALOG,
  standardSectors: new Map([['ec-it', 'sector-it']]),
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
        standardId: 'ec-it',
        credentialId: null,
      },
    ],
  ]),
};
const year2025 = periodsBetween(d('2025-01-01'), d('2025-12-31'), 'YEAR');
const span2025 = {
  periods: year2025,
  rows: year2025,
  granularity: 'YEAR' as const,
};

describe('supply in distinct people (README worked example)', () => {
  // 2025 on EC0217: 20 enrollments, 18 certificates not revoked, 25 people.
  const people: PersonRecord[] = [
    // 10 trained and then certified: 10 people, not 20.
    ...times(10, () =>
      person({
        enrollments: [enrollment('ec-it', '2025-02-03T15:00:00Z')],
        certificates: [certificate('ec-it', '2025-05-20T17:00:00Z')],
      }),
    ),
    // 10 trained only.
    ...times(10, () =>
      person({ enrollments: [enrollment('ec-it', '2025-02-03T15:00:00Z')] }),
    ),
    // 5 certified who never trained (evaluated on experience).
    ...times(5, () =>
      person({ certificates: [certificate('ec-it', '2025-03-10T16:00:00Z')] }),
    ),
    // 3 trained in 2024 and certified in 2025: supply of 2024, not again in 2025.
    ...times(3, () =>
      person({
        enrollments: [enrollment('ec-it', '2024-09-02T15:00:00Z')],
        certificates: [certificate('ec-it', '2025-05-20T17:00:00Z')],
      }),
    ),
    // 1 certified and revoked: neither certified nor supply.
    person({
      certificates: [
        certificate('ec-it', '2025-06-01T17:00:00Z', {
          revokedAt: '2025-08-01T12:00:00Z',
        }),
      ],
    }),
  ];

  it('counts each person once, in the period they first became supply', () => {
    const entries = supplyEntries(people, {}, catalog, 'YEAR');
    expect(entries.perTarget.get('STANDARD:ec-it')).toEqual(
      new Map([
        ['2025', 25],
        ['2024', 3],
      ]),
    );
    expect(entries.people).toEqual(
      new Map([
        ['2025', 25],
        ['2024', 3],
      ]),
    );
  });

  it('gives the gap against the people, not trained + certified (100 − 25 = 75, not 100 − 38)', () => {
    const perYear = (n: number) =>
      new Map([['STANDARD:ec-it' as const, new Map([['2025', n]])]]);
    const sums = {
      demand: perYear(100),
      trained: perYear(20),
      certified: perYear(18),
      supply: supplyEntries(people, {}, catalog, 'YEAR').perTarget,
    };
    const [exact] = skillGaps(sums, span2025, ADMIN, 20);
    expect(exact).toMatchObject({
      demand: { value: 100 },
      trained: { value: 20 },
      certified: { value: 18 },
      supply: { value: 25 },
      gap: 75,
    });
    // A university sees counts rounded to 5: 18 certificates show as 20.
    const [shown] = skillGaps(sums, span2025, PUBLIC, 20);
    expect(shown).toMatchObject({
      certified: { value: 20 },
      supply: { value: 25 },
      gap: 75,
    });
  });

  it('counts a person of two targets once in the scope and once per target', () => {
    const both = person({
      enrollments: [
        enrollment('ec-it', '2025-02-03T15:00:00Z'),
        enrollment('ec-auto', '2025-03-03T15:00:00Z'),
      ],
    });
    const entries = supplyEntries([both], {}, catalog, 'MONTH');
    expect(entries.people).toEqual(new Map([['2025-02', 1]]));
    expect(entries.perTarget).toEqual(
      new Map([
        ['STANDARD:ec-it', new Map([['2025-02', 1]])],
        ['STANDARD:ec-auto', new Map([['2025-03', 1]])],
      ]),
    );
  });
});

describe('the funnel of one cohort (README worked example)', () => {
  const jal = (enrolledAt = '2025-02-03T15:00:00Z', completed = true) =>
    enrollment('ec-it', enrolledAt, {
      cohortId: 'cohort-jal',
      ...(completed ? { completedAt: '2025-04-30T18:00:00Z' } : {}),
    });
  const certified = () => certificate('ec-it', '2025-05-20T17:00:00Z');
  const people: PersonRecord[] = [
    // 8 enrolled, completed, certified and placed 6 weeks later.
    ...times(8, () =>
      person({
        enrollments: [jal()],
        certificates: [certified()],
        placements: [placement('2025-07-01')],
      }),
    ),
    // 1 placed nine months after the certificate: within 12, not within 6.
    person({
      enrollments: [jal()],
      certificates: [certified()],
      placements: [placement('2026-02-16')],
    }),
    // 3 certified, not placed.
    ...times(3, () =>
      person({ enrollments: [jal()], certificates: [certified()] }),
    ),
    // 1 completed whose only certificate was imported from 2019, before the training.
    person({
      enrollments: [jal()],
      certificates: [
        certificate('ec-it', '2019-06-10T12:00:00Z', { imported: true }),
      ],
    }),
    // 2 completed, never certified.
    ...times(2, () => person({ enrollments: [jal()] })),
    // 5 did not complete.
    ...times(5, () => person({ enrollments: [jal(undefined, false)] })),
    // Not of this cohort: 30 certified and 5 placed who never trained, one
    // trained online (no state), one whose first enrollment in Jalisco was in 2024.
    ...times(30, () => person({ certificates: [certified()] })),
    ...times(5, () => person({ placements: [placement('2025-08-01')] })),
    person({
      enrollments: [
        enrollment('ec-it', '2025-02-03T15:00:00Z', {
          cohortId: 'cohort-online',
          completedAt: '2025-04-30T18:00:00Z',
        }),
      ],
    }),
    person({ enrollments: [jal('2024-09-02T15:00:00Z'), jal()] }),
  ];
  const scope = { state: 'MX-JAL', standardId: 'ec-it' };

  it('follows the same people: 20 enrolled → 15 completed → 12 certified → 8 placed within 6 months', () => {
    const funnel = cohortFunnel(
      funnelCounts(people, scope, catalog, 'YEAR', 6),
      span2025,
      ADMIN,
      6,
    );
    expect(
      funnel.stages.map((s) => [s.stage, s.base, s.count.value, s.rate]),
    ).toEqual([
      ['ENROLLED', null, 20, null],
      ['COMPLETED', 'ENROLLED', 15, 0.75],
      ['CERTIFIED', 'COMPLETED', 12, 0.8],
      ['PLACED', 'CERTIFIED', 8, 8 / 12],
    ]);
    expect(funnel.placementWithinMonths).toBe(6);
  });

  it('counts the job nine months after certification within 12 months', () => {
    const funnel = cohortFunnel(
      funnelCounts(people, scope, catalog, 'YEAR', 12),
      span2025,
      ADMIN,
      12,
    );
    expect(funnel.placed.value).toBe(9);
    expect(funnel.placementRate).toBe(0.75);
  });

  it('rounds every stage for a university, the rates staying between 0 and 1', () => {
    const funnel = cohortFunnel(
      funnelCounts(people, scope, catalog, 'YEAR', 6),
      span2025,
      PUBLIC,
      6,
    );
    expect(
      [funnel.enrolled, funnel.completed, funnel.certified, funnel.placed].map(
        (c) => c.value,
      ),
    ).toEqual([20, 15, 10, 10]);
    expect(funnel.completionRate).toBe(0.75);
    expect(funnel.certificationRate).toBeCloseTo(2 / 3, 10);
    expect(funnel.placementRate).toBe(1);
  });
});

describe('where a certificate was evaluated', () => {
  const bodies = new Map([
    ['udg', [{ changedAt: d('2020-03-02'), states: ['MX-JAL'] }]],
    ['tec', [{ changedAt: d('2020-03-02'), states: ['MX-NLE', 'MX-JAL'] }]],
    [
      'itesm-gdl',
      [
        { changedAt: d('2020-03-02'), states: ['MX-JAL'] },
        { changedAt: d('2025-06-01'), states: ['MX-JAL', 'MX-CMX'] },
      ],
    ],
  ]);
  const at = (certifyingBodyId: string, issuedAt: string) =>
    evaluationStateOf({ certifyingBodyId, issuedAt: d(issuedAt) }, bodies);

  it('is the state of a body with facilities in one state at the issue date', () => {
    expect(at('udg', '2025-05-20T17:00:00Z')).toBe('MX-JAL');
    expect(at('itesm-gdl', '2025-05-20T17:00:00Z')).toBe('MX-JAL');
    // Imported from before the body was registered: its first facilities.
    expect(at('udg', '2012-01-10T12:00:00Z')).toBe('MX-JAL');
  });

  it('is unknown for a body in several states, or never described', () => {
    expect(at('tec', '2025-05-20T17:00:00Z')).toBeNull();
    expect(at('itesm-gdl', '2025-07-01T17:00:00Z')).toBeNull();
    expect(at('unknown', '2025-05-20T17:00:00Z')).toBeNull();
  });
});

describe('what preceded a placement', () => {
  it('links the latest cohort completed and the latest certificate standing on or before the start day', () => {
    const earlier = enrollment('ec-it', '2024-02-05T15:00:00Z', {
      completedAt: '2024-06-28T18:00:00Z',
    });
    const latest = enrollment('ec-it', '2025-02-03T15:00:00Z', {
      completedAt: '2025-04-30T18:00:00Z',
    });
    const after = enrollment('ec-auto', '2025-06-02T15:00:00Z', {
      completedAt: '2025-09-01T18:00:00Z',
    });
    const standing = certificate('ec-it', '2025-05-20T17:00:00Z');
    const revoked = certificate('ec-it', '2025-06-10T17:00:00Z', {
      revokedAt: '2025-06-20T12:00:00Z',
    });
    const sameDay = certificate('ec-it', '2025-07-01T20:00:00Z', {
      revokedAt: '2025-08-01T12:00:00Z',
    });
    const someone = person({
      enrollments: [earlier, after, latest],
      certificates: [revoked, standing],
    });
    expect(placementLinkOf(someone, d('2025-07-01'))).toEqual({
      enrollment: latest,
      certificate: standing,
    });
    // Issued on the start day and revoked only later: it preceded the job.
    expect(
      placementLinkOf(
        { ...someone, certificates: [standing, sameDay] },
        d('2025-07-01'),
      ).certificate,
    ).toEqual(sameDay);
    expect(placementLinkOf(null, d('2025-07-01'))).toEqual({
      enrollment: null,
      certificate: null,
    });
  });

  it('counts months on the calendar, the 31st becoming the last day of a shorter month', () => {
    expect(addMonths(d('2025-05-20'), 6)).toEqual(d('2025-11-20'));
    expect(addMonths(d('2025-08-31'), 6)).toEqual(d('2026-02-28'));
  });
});
