import { v7 as uuidv7 } from 'uuid';
import { matchDemand } from '../../src/domain/matching';
import {
  NOW,
  agreementMother,
  cohortMother,
  day,
  demandMother,
} from '../fixtures/mothers';

const credential = { kind: 'CREDENTIAL' as const, id: uuidv7() };
const terms = { now: NOW, brokerMarkupBps: 500, fundShareBps: 5_000 };

describe('matching a demand request', () => {
  it('ranks the cheapest option for the participant first and says why', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const deep = agreementMother.seventyOff(credential);
    const shallow = agreementMother.seventyOff(credential, {
      discountBps: 4_000,
    });
    const result = matchDemand(demand, [shallow, deep], [], terms);
    expect(result.servable).toBe(true);
    expect(result.matches.map((m) => m.agreement.id)).toEqual([
      deep.id,
      shallow.id,
    ]);
    const [best] = result.matches;
    expect(best?.rank).toBe(1);
    expect(best?.cost.participantShareCentavos).toBe(378_000);
    expect(best?.reasons).toEqual(
      expect.arrayContaining([
        'covers the requested target',
        'delivers in person in MX-JAL',
        expect.stringContaining('70% discount'),
        expect.stringMatching(/participant pays \$[\d,]+\.\d{2} MXN less/),
      ]),
    );
    expect(result.summary).toMatch(/^2 option\(s\) can serve this demand/);
  });

  it('prefers a scheduled cohort that fits everyone over the same deal without one', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const agreement = agreementMother.seventyOff(credential);
    const cohort = cohortMother.scheduled(agreement);
    const result = matchDemand(demand, [agreement], [cohort], terms);
    expect(result.matches.map((m) => m.kind)).toEqual(['COHORT', 'AGREEMENT']);
    expect(result.matches[0]?.seatsAvailable).toBe(30);
    expect(result.matches[0]?.explanation).toContain(
      '30 free seats for 25 people',
    );
    expect(result.matches[0]?.reasons.at(-1)).toContain(
      'the cohort is already scheduled',
    );
  });

  it('ranks a cohort with seats for everyone above one with too few seats', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const agreement = agreementMother.seventyOff(credential);
    const small = cohortMother.scheduled(agreement, { enrolled: 20 });
    const roomy = cohortMother.scheduled(agreement);
    const result = matchDemand(demand, [agreement], [small, roomy], terms);
    const cohorts = result.matches.filter((m) => m.kind === 'COHORT');
    expect(cohorts.map((m) => m.cohort?.id)).toEqual([roomy.id, small.id]);
    expect(cohorts[1]?.reasons).toContain('only 10 free seats for 25 people');
  });

  it('excludes full cohorts, cohorts ending after the deadline and cohorts in another state, with reasons', () => {
    const demand = demandMother.jaliscoCluster(credential, {
      neededBy: day(90),
    });
    const agreement = agreementMother.seventyOff(credential);
    const full = cohortMother.scheduled(agreement, { enrolled: 30 });
    const late = cohortMother.scheduled(agreement, { endsOn: day(100) });
    const elsewhere = cohortMother.scheduled(agreement, {
      state: 'MX-NLE',
      city: 'Monterrey',
    });
    const running = cohortMother.scheduled(agreement, { status: 'RUNNING' });
    const result = matchDemand(
      demand,
      [agreement],
      [full, late, elsewhere, running],
      terms,
    );
    expect(result.matches.map((m) => m.kind)).toEqual(['AGREEMENT']);
    expect(result.excluded.map((e) => e.reason)).toEqual([
      'the cohort is full',
      expect.stringMatching(/ends on .* after the .* deadline/),
      'the cohort is in person in MX-NLE, not MX-JAL',
      'the cohort is RUNNING',
    ]);
  });

  it('serves a state far from the provider through an online agreement or cohort', () => {
    const demand = demandMother.jaliscoCluster(credential, {
      state: 'MX-BCN',
      city: 'Tijuana',
    });
    const online = agreementMother.seventyOff(credential, { online: true });
    const cohort = cohortMother.scheduled(online, {
      mode: 'ONLINE',
      state: null,
      city: null,
    });
    const result = matchDemand(demand, [online], [cohort], terms);
    expect(result.matches).toHaveLength(2);
    expect(result.matches.every((m) => !m.inState)).toBe(true);
    expect(result.matches[1]?.reasons).toContain(
      'delivers online (not in person in MX-BCN)',
    );
  });

  it('reports a demand nothing can serve because no agreement covers its target', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const other = agreementMother.seventyOff({
      kind: 'CREDENTIAL',
      id: uuidv7(),
    });
    const result = matchDemand(demand, [other], [], terms);
    expect(result.servable).toBe(false);
    expect(result.matches).toEqual([]);
    expect(result.summary).toBe(
      'Nothing can serve this demand: no agreement covers the requested credential — negotiate one.',
    );
  });

  it('reports a demand nothing can serve because agreements miss its state or have expired', () => {
    const demand = demandMother.jaliscoCluster(credential, {
      state: 'MX-BCN',
    });
    const inPersonElsewhere = agreementMother.seventyOff(credential);
    const expired = agreementMother.seventyOff(credential, {
      online: true,
      validUntil: day(-1),
    });
    const result = matchDemand(demand, [inPersonElsewhere, expired], [], terms);
    expect(result.servable).toBe(false);
    expect(result.summary).toMatch(
      /^Nothing can serve this demand: 2 agreement\(s\) cover the target but none qualifies/,
    );
    expect(result.summary).toContain('not MX-BCN');
    expect(result.summary).toContain('expired');
  });

  it('notes when the request alone is below the minimum cohort size', () => {
    const demand = demandMother.jaliscoCluster(credential, { headcount: 4 });
    const agreement = agreementMother.seventyOff(credential);
    const [match] = matchDemand(demand, [agreement], [], terms).matches;
    expect(match?.fitsHeadcount).toBe(false);
    expect(match?.reasons).toContain(
      'a new cohort needs at least 10 participants; this request brings 4',
    );
  });
});
