import { v7 as uuidv7 } from 'uuid';
import { suggestPools } from '../../src/domain/pooling';
import {
  NOW,
  agreementMother,
  cohortMother,
  day,
  demandMother,
} from '../fixtures/mothers';

const credential = { kind: 'CREDENTIAL' as const, id: uuidv7() };
const terms = { now: NOW, brokerMarkupBps: 500, fundShareBps: 5_000 };
// The mother's deal: $24,000.00 at 70 % off = $7,200.00; + 5 % broker fee =
// $7,560.00 a seat (756 000 centavos); minimum cohort 10; JAL and NLE in
// person; 5 weeks, so a new cohort runs 2026-03-03 to 2026-04-06.
const SEAT = 756_000;

const jalisco = (headcount: number, overrides = {}) =>
  demandMother.jaliscoCluster(credential, { headcount, ...overrides });
const nuevoLeon = (headcount: number, overrides = {}) =>
  demandMother.jaliscoCluster(credential, {
    headcount,
    state: 'MX-NLE',
    city: 'Monterrey',
    ...overrides,
  });

describe('pooling demand into one suggested project', () => {
  it('pools two states’ small requests under one agreement and prices the seats the minimum would waste', () => {
    const agreement = agreementMother.seventyOff(credential);
    const small = jalisco(4);
    const smaller = nuevoLeon(3);
    const [pool, ...others] = suggestPools(
      [small, smaller],
      [agreement],
      [],
      terms,
    );
    expect(others).toEqual([]);
    expect(pool).toMatchObject({
      kind: 'AGREEMENT',
      headcount: 7,
      requesters: 2,
      states: ['MX-JAL', 'MX-NLE'],
      // alone: max(4, 10) + max(3, 10) = 20 seats in 2 cohorts
      separately: { cohorts: 2, seats: 20, costCentavos: 20 * SEAT },
      // together: max(7, 10) = 10 seats in 1
      pooled: { cohorts: 1, seats: 10, costCentavos: 10 * SEAT },
      // 10 seats × $7,560.00 = $75,600.00
      savingCentavos: 7_560_000,
    });
    expect(pool?.perSeat.totalCentavos).toBe(SEAT);
    expect(pool?.demands.map((d) => d.id).sort()).toEqual(
      [small.id, smaller.id].sort(),
    );
    expect(pool?.reasons.at(-1)).toEqual({
      es: 'ahorro: 10 lugares a $7,560.00 MXN = $75,600.00 MXN',
      en: 'saving: 10 seats at $7,560.00 MXN = $75,600.00 MXN',
    });
  });

  it('suggests a pool with no price saving when every request reaches the minimum, and says so', () => {
    const agreement = agreementMother.seventyOff(credential);
    const [pool] = suggestPools(
      [jalisco(25), nuevoLeon(30)],
      [agreement],
      [],
      terms,
    );
    expect(pool).toMatchObject({
      separately: { cohorts: 2, seats: 55 },
      pooled: { cohorts: 1, seats: 55 },
      savingCentavos: 0,
    });
    expect(pool?.reasons.at(-1)?.en).toBe(
      'no price saving (the agreement has no volume prices and every request reaches the minimum); 1 fewer cohort(s) to schedule',
    );
  });

  it('pools only requests of at least two organizations', () => {
    const agreement = agreementMother.seventyOff(credential);
    const requesterId = uuidv7();
    expect(
      suggestPools(
        [
          jalisco(4, { requesterId }),
          jalisco(3, { requesterId, city: 'Zapopan' }),
        ],
        [agreement],
        [],
        terms,
      ),
    ).toEqual([]);
  });

  it('leaves out what the agreement cannot serve: another target, a state it does not serve, a deadline a new cohort misses, a request not OPEN', () => {
    const agreement = agreementMother.seventyOff(credential);
    const inPool = [jalisco(4), nuevoLeon(3)];
    const left = [
      demandMother.jaliscoCluster(
        { kind: 'CREDENTIAL', id: uuidv7() },
        { headcount: 2 },
      ),
      jalisco(2, { state: 'MX-BCN', city: 'Tijuana' }),
      jalisco(2, { neededBy: day(34) }), // a new cohort ends 2026-04-06 = day(35)
      jalisco(2, { status: 'AGGREGATED' }),
    ];
    const [pool] = suggestPools([...inPool, ...left], [agreement], [], terms);
    expect(pool?.demands.map((d) => d.id).sort()).toEqual(
      inPool.map((d) => d.id).sort(),
    );
  });

  it('fills a scheduled cohort’s free seats with requests in its state, earliest deadline first', () => {
    const agreement = agreementMother.seventyOff(credential);
    // 30 seats, 20 taken: 10 free; in person in Jalisco, ends day(60).
    const cohort = cohortMother.scheduled(agreement, { enrolled: 20 });
    const first = jalisco(6, { neededBy: day(70) });
    const second = jalisco(4, { neededBy: day(80), city: 'Zapopan' });
    const tooMany = jalisco(3, { neededBy: day(75), city: 'Tonalá' });
    const elsewhere = nuevoLeon(2);
    const pools = suggestPools(
      [first, second, tooMany, elsewhere],
      [agreement],
      [cohort],
      terms,
    );
    const inCohort = pools.find((p) => p.kind === 'COHORT');
    // 6 (day 70) fits, 3 (day 75) fits (9), 4 (day 80) would make 13 > 10.
    expect(inCohort?.demands.map((d) => d.id)).toEqual([first.id, tooMany.id]);
    expect(inCohort).toMatchObject({
      headcount: 9,
      // alone: 10 + 10; in the cohort: max(9, 10 − 20) = 9 seats
      separately: { seats: 20 },
      pooled: { cohorts: 1, seats: 9 },
      savingCentavos: 11 * SEAT,
    });
    // The agreement's pool (all four) saves more and comes first.
    expect(pools[0]?.kind).toBe('AGREEMENT');
    expect(pools[0]?.savingCentavos).toBe((40 - 15) * SEAT);
  });
});
