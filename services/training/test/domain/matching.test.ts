import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { withProgramDefaults } from '../../src/domain/catalog';
import type { Cohort } from '../../src/domain/cohort';
import {
  earliestNewCohort,
  matchDemand,
  type Match,
} from '../../src/domain/matching';
import { providerQualities } from '../../src/domain/quality';
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

describe('matching ranks fit first, then quality, then cost', () => {
  const quality = (records: Record<string, [number, number]>) =>
    providerQualities(
      new Map(
        Object.entries(records).map(([id, [certified, completed]]) => [
          id,
          { certified, completed },
        ]),
      ),
    );

  it('ranks a dearer agreement that seats all 40 above a cheaper cohort that seats 2', () => {
    const demand = demandMother.jaliscoCluster(credential, { headcount: 40 });
    const cheap = agreementMother.seventyOff(credential);
    const dear = agreementMother.seventyOff(credential, { discountBps: 4_000 });
    const twoSeats = cohortMother.scheduled(cheap, { enrolled: 28 });
    const result = matchDemand(demand, [dear], [], terms);
    const both = matchDemand(demand, [cheap, dear], [twoSeats], terms);
    expect(result.matches).toHaveLength(1);
    // The cheap deal as a new cohort also seats all 40; its 2-seat cohort comes last.
    expect(both.matches.map((m) => [m.kind, m.agreement.id])).toEqual([
      ['AGREEMENT', cheap.id],
      ['AGREEMENT', dear.id],
      ['COHORT', cheap.id],
    ]);
    const [, second, last] = both.matches;
    expect(second?.why.at(-1)).toEqual({
      code: 'RANKED_BY_SEATS',
      es: 'queda por encima de la siguiente opción porque da lugar a todo el grupo',
      en: 'ranks above the next option because it fits the whole headcount',
    });
    expect(last?.why.map((r) => r.code)).toContain('TOO_FEW_SEATS');
  });

  it('ranks an in-person offer in the requester’s state above an online one at the same price', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const online = agreementMother.seventyOff(credential, {
      states: [],
      online: true,
    });
    const inPerson = agreementMother.seventyOff(credential);
    const { matches } = matchDemand(demand, [online, inPerson], [], terms);
    expect(matches.map((m) => m.agreement.id)).toEqual([
      inPerson.id,
      online.id,
    ]);
    expect(matches[0]?.why.at(-1)?.code).toBe('RANKED_BY_PLACE');
    expect(matches[0]?.why.at(-1)?.es).toBe(
      'queda por encima de la siguiente opción porque es presencial en el estado de quien solicita',
    );
  });

  it('ranks the better provider above a cheaper one when both fit, and says so in both languages', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const good = agreementMother.seventyOff(credential, { discountBps: 5_000 });
    const poor = agreementMother.seventyOff(credential);
    // good: 45 of 50 certified; poor: 10 of 50. Pooled mean 55/100 = 0.55.
    // good = (45 + 10 × 0.55) / (50 + 10) = 50.5 / 60 = 0.841 6… → 84 points
    // poor = (10 + 5.5) / 60 = 15.5 / 60 = 0.258 3… → 26 points
    const q = quality({
      [good.providerId]: [45, 50],
      [poor.providerId]: [10, 50],
    });
    const { matches } = matchDemand(demand, [poor, good], [], {
      ...terms,
      quality: q,
    });
    expect(matches.map((m) => m.agreement.id)).toEqual([good.id, poor.id]);
    expect(matches[0]?.criteria.quality).toBe(84);
    expect(matches[1]?.criteria.quality).toBe(26);
    expect(matches[0]?.cost.participantShareCentavos).toBeGreaterThan(
      matches[1]?.cost.participantShareCentavos ?? 0,
    );
    expect(matches[0]?.why.at(-1)).toEqual({
      code: 'RANKED_BY_QUALITY',
      es: 'queda por encima de la siguiente opción porque la calidad de su proveedor es 84% contra 26%',
      en: "ranks above the next option because its provider's quality score is 84% against 26%",
    });
    expect(matches[0]?.why).toContainEqual({
      code: 'QUALITY',
      es: 'calidad del proveedor 84%: 45 de 50 egresados certificados, ajustado hacia el promedio de los proveedores comparados (55%) por el tamaño de la muestra',
      en: "provider quality 84%: 45 of 50 completers certified, shrunk toward the compared providers' mean (55%) for the sample size",
    });
    expect(matches[0]?.explained.es).toMatch(/^#1 convenio \(grupo nuevo\): /);
    expect(matches[0]?.explanation).toMatch(/^#1 agreement \(new cohort\): /);
  });

  it('reads one certified of one completer near the mean, not as 100 %', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const lucky = agreementMother.seventyOff(credential);
    const steady = agreementMother.seventyOff(credential);
    // Pooled mean 81/101. lucky = (1 + 10 × 81/101) / 11 = 0.819 9… → 82;
    // steady = (80 + 10 × 81/101) / 110 = 0.800 1… → 80. Unshrunk: 100 % vs 80 %.
    // With m = 10 one completer moves the score 2 points above the mean,
    // not the 20 its raw 100 % would.
    const q = quality({
      [lucky.providerId]: [1, 1],
      [steady.providerId]: [80, 100],
    });
    const [first, second] = matchDemand(demand, [lucky, steady], [], {
      ...terms,
      quality: q,
    }).matches;
    expect(first?.quality?.rawRate).toBe(1);
    expect(first?.criteria.quality).toBe(82);
    expect(second?.criteria.quality).toBe(80);
  });

  it('ranks quality below fit: a poor provider that seats everyone beats a good one that does not', () => {
    const demand = demandMother.jaliscoCluster(credential, { headcount: 4 });
    const good = agreementMother.seventyOff(credential);
    const poor = agreementMother.seventyOff(credential, { minCohortSize: 2 });
    const q = quality({
      [good.providerId]: [50, 50],
      [poor.providerId]: [0, 50],
    });
    const { matches } = matchDemand(demand, [good, poor], [], {
      ...terms,
      quality: q,
    });
    expect(matches.map((m) => m.agreement.id)).toEqual([poor.id, good.id]);
    expect(matches[0]?.why.at(-1)?.code).toBe('RANKED_BY_SEATS');
  });

  it('ranks a dearer provider with better employer surveys above a cheaper one with the same certification rate, and says so', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const liked = agreementMother.seventyOff(credential, {
      discountBps: 5_000,
    });
    const cheap = agreementMother.seventyOff(credential);
    const records = new Map([
      [liked.providerId, { certified: 40, completed: 50 }],
      [cheap.providerId, { certified: 40, completed: 50 }],
    ]);
    // Without surveys both score (40 + 10 × 0.8) / 60 = 80 %: the cheaper wins on cost.
    const before = matchDemand(demand, [liked, cheap], [], {
      ...terms,
      quality: providerQualities(records),
    }).matches;
    expect(before.map((m) => m.agreement.id)).toEqual([cheap.id, liked.id]);
    expect(before[0]?.why.at(-1)?.code).toBe('RANKED_BY_COST');
    // Surveys: liked 4.6 over 20 (rate 0.9), cheap 2.2 over 20 (rate 0.3);
    // prior (18 + 6) / 40 = 0.6 (3.4 of 5). liked = (18 + 6) / 30 = 0.8,
    // cheap = (6 + 6) / 30 = 0.4. Scores: (80 + 80) / 2 = 80, (80 + 40) / 2 = 60.
    const after = matchDemand(demand, [liked, cheap], [], {
      ...terms,
      quality: providerQualities(
        records,
        new Map([
          [liked.providerId, { average: 4.6, responses: 20 }],
          [cheap.providerId, { average: 2.2, responses: 20 }],
        ]),
      ),
    }).matches;
    expect(after.map((m) => m.agreement.id)).toEqual([liked.id, cheap.id]);
    expect(after.map((m) => m.criteria.quality)).toEqual([80, 60]);
    expect(after[0]?.why.at(-1)).toEqual({
      code: 'RANKED_BY_QUALITY',
      es: 'queda por encima de la siguiente opción porque la calidad de su proveedor es 80% contra 60%',
      en: "ranks above the next option because its provider's quality score is 80% against 60%",
    });
    expect(after[0]?.why).toContainEqual({
      code: 'QUALITY',
      es: 'calidad del proveedor 80%, promedio de certificación 80% (40 de 50 egresados certificados, ajustado hacia el promedio de los proveedores comparados (80%) por el tamaño de la muestra) y encuestas de empleadores 80% (4.6 de 5 en 20 respuestas, ajustado hacia el promedio de los proveedores comparados (3.4 de 5) por el tamaño de la muestra)',
      en: "provider quality 80%, the mean of certification 80% (40 of 50 completers certified, shrunk toward the compared providers' mean (80%) for the sample size) and employer surveys 80% (4.6 out of 5 over 20 responses, shrunk toward the compared providers' mean (3.4 out of 5) for the sample size)",
    });
  });

  it('scores a provider with no survey score at its peers’ survey mean, and ranks by surveys alone when no one has completers', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const rated = agreementMother.seventyOff(credential, {
      discountBps: 5_000,
    });
    const unrated = agreementMother.seventyOff(credential);
    // No completers: certification does not count. Survey prior = rated's
    // rate, (4.2 − 1) / 4 = 0.8: rated = (10 × 0.8 + 10 × 0.8) / 20 = 0.8,
    // unrated = 0.8 — a tie on quality, so the cheaper ranks first.
    const q = providerQualities(
      new Map([
        [rated.providerId, { certified: 0, completed: 0 }],
        [unrated.providerId, { certified: 0, completed: 0 }],
      ]),
      new Map([[rated.providerId, { average: 4.2, responses: 10 }]]),
    );
    const [first, second] = matchDemand(demand, [rated, unrated], [], {
      ...terms,
      quality: q,
    }).matches;
    expect(first?.agreement.id).toBe(unrated.id);
    expect(first?.why.at(-1)?.code).toBe('RANKED_BY_COST');
    expect(first?.why).toContainEqual({
      code: 'QUALITY',
      es: 'calidad del proveedor 80%: encuestas de empleadores ninguna publicada, se le asigna el promedio de los proveedores comparados (4.2 de 5)',
      en: "provider quality 80%: employer surveys none released, so it is scored at the compared providers' mean (4.2 out of 5)",
    });
    expect(second?.why).toContainEqual({
      code: 'QUALITY',
      es: 'calidad del proveedor 80%: encuestas de empleadores 4.2 de 5 en 10 respuestas, ajustado hacia el promedio de los proveedores comparados (4.2 de 5) por el tamaño de la muestra',
      en: "provider quality 80%: employer surveys 4.2 out of 5 over 10 responses, shrunk toward the compared providers' mean (4.2 out of 5) for the sample size",
    });
  });

  it('says quality does not rank when no compared provider has completers', () => {
    const demand = demandMother.jaliscoCluster(credential);
    const agreement = agreementMother.seventyOff(credential);
    const q = quality({ [agreement.providerId]: [0, 0] });
    const [match] = matchDemand(demand, [agreement], [], {
      ...terms,
      quality: q,
    }).matches;
    expect(match?.quality?.score).toBeNull();
    expect(match?.why.map((r) => r.code)).toContain('QUALITY_UNKNOWN');
  });
});

describe('the deadline check uses the program’s duration', () => {
  // NOW is 2026-03-02; a new cohort starts tomorrow, 2026-03-03, at the
  // earliest. 5 weeks = 35 days, first to last: 2026-03-03 + 34 days = 2026-04-06.
  it('keeps an agreement whose new cohort finishes on the deadline day itself', () => {
    const agreement = agreementMother.seventyOff(credential);
    const demand = demandMother.jaliscoCluster(credential, {
      neededBy: day(35),
    });
    expect(day(35).toISOString().slice(0, 10)).toBe('2026-04-06');
    const [match] = matchDemand(demand, [agreement], [], terms).matches;
    expect(match?.startsOn.toISOString().slice(0, 10)).toBe('2026-03-03');
    expect(match?.finishesOn.toISOString().slice(0, 10)).toBe('2026-04-06');
    expect(match?.why).toContainEqual({
      code: 'NEW_COHORT_IN_TIME',
      es: 'un grupo nuevo de 40 horas en 5 semana(s) que empiece el 2026-03-03 puede terminar el 2026-04-06, antes de la fecha límite del 2026-04-06',
      en: 'a new cohort of 40 hours over 5 week(s) starting 2026-03-03 can finish by 2026-04-06, before the 2026-04-06 deadline',
    });
  });

  it('excludes it one day earlier, naming when a new cohort would finish', () => {
    const agreement = agreementMother.seventyOff(credential);
    const demand = demandMother.jaliscoCluster(credential, {
      neededBy: day(34),
    });
    const result = matchDemand(demand, [agreement], [], terms);
    expect(result.servable).toBe(false);
    expect(result.excluded).toEqual([
      expect.objectContaining({
        cohort: null,
        reason:
          'a new cohort of 5 week(s) starting 2026-03-03 would finish on 2026-04-06, after the 2026-04-05 deadline',
        why: expect.objectContaining({ code: 'NEW_COHORT_TOO_LATE' }),
      }),
    ]);
    expect(result.summarized.es).toMatch(
      /^Nada puede atender esta demanda: 1 convenio\(s\) cubren el objetivo pero ninguno califica \(un grupo nuevo de 5 semana\(s\) que empiece el 2026-03-03 terminaría el 2026-04-06/,
    );
  });

  it('starts a new cohort on the agreement’s first day when that is later than tomorrow', () => {
    // validFrom 2026-03-12 + 34 days = 2026-04-15.
    const agreement = agreementMother.seventyOff(credential, {
      validFrom: day(10),
    });
    const demand = demandMother.jaliscoCluster(credential);
    const [match] = matchDemand(demand, [agreement], [], terms).matches;
    expect(match?.finishesOn.toISOString().slice(0, 10)).toBe('2026-04-15');
  });

  it('excludes a new cohort that would outlast the agreement', () => {
    const agreement = agreementMother.seventyOff(credential, {
      validUntil: day(20),
    });
    const demand = demandMother.jaliscoCluster(credential);
    const [excluded] = matchDemand(demand, [agreement], [], terms).excluded;
    expect(excluded?.reason).toBe(
      'a new cohort of 5 week(s) starting 2026-03-03 would finish on 2026-04-06, after the agreement ends on 2026-03-22',
    );
  });

  it('reads an agreement signed before durations as 40 hours over 8 weeks', () => {
    const {
      durationHours: _h,
      durationWeeks: _w,
      ...legacy
    } = agreementMother.seventyOff(credential);
    const agreement = withProgramDefaults(legacy);
    expect(agreement).toMatchObject({ durationHours: 40, durationWeeks: 8 });
    // 8 weeks from 2026-03-03: + 55 days = 2026-04-27.
    expect(
      earliestNewCohort(agreement, NOW).finishesOn.toISOString().slice(0, 10),
    ).toBe('2026-04-27');
  });
});

describe('the ranking never prefers an offer that is worse on every criterion', () => {
  const STATES = ['MX-JAL', 'MX-NLE', 'MX-BCN'] as const;
  const offer = fc.record({
    discountBps: fc.integer({ min: 0, max: 7_000 }),
    marketPriceCentavos: fc.integer({ min: 100_000, max: 5_000_000 }),
    minCohortSize: fc.integer({ min: 1, max: 40 }),
    inJalisco: fc.boolean(),
    online: fc.boolean(),
    weeks: fc.integer({ min: 1, max: 30 }),
    certified: fc.integer({ min: 0, max: 60 }),
    extra: fc.integer({ min: 0, max: 60 }),
    // A released survey score (average to one decimal, responses in 5s) or none.
    survey: fc.option(
      fc.record({
        tenths: fc.integer({ min: 10, max: 50 }),
        fives: fc.integer({ min: 1, max: 12 }),
      }),
    ),
    cohorts: fc.array(
      fc.record({
        capacity: fc.integer({ min: 1, max: 60 }),
        taken: fc.integer({ min: 0, max: 60 }),
        mode: fc.constantFrom('IN_PERSON', 'ONLINE', 'HYBRID'),
        state: fc.constantFrom(...STATES),
        endsIn: fc.integer({ min: 10, max: 200 }),
      }),
      { maxLength: 3 },
    ),
  });

  it('puts no Pareto-dominated option above its dominator', () => {
    fc.assert(
      fc.property(
        fc.array(offer, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 20, max: 200 }),
        (offers, headcount, neededIn) => {
          const agreements = offers.map((o) =>
            agreementMother.seventyOff(credential, {
              discountBps: o.discountBps,
              marketPriceCentavos: o.marketPriceCentavos,
              minCohortSize: o.minCohortSize,
              states: o.inJalisco || !o.online ? ['MX-JAL'] : ['MX-NLE'],
              online: o.online,
              durationWeeks: o.weeks,
            }),
          );
          const cohorts = offers.flatMap((o, i) =>
            o.cohorts.map((c) =>
              cohortMother.scheduled(agreements[i]!, {
                capacity: c.capacity,
                enrolled: Math.min(c.taken, c.capacity),
                mode: c.mode as Cohort['mode'],
                state: c.mode === 'ONLINE' ? null : c.state,
                endsOn: day(c.endsIn),
              }),
            ),
          );
          const q = providerQualities(
            new Map(
              offers.map((o, i) => [
                agreements[i]!.providerId,
                { certified: o.certified, completed: o.certified + o.extra },
              ]),
            ),
            new Map(
              offers.flatMap((o, i) =>
                o.survey
                  ? [
                      [
                        agreements[i]!.providerId,
                        {
                          average: o.survey.tenths / 10,
                          responses: o.survey.fives * 5,
                        },
                      ] as const,
                    ]
                  : [],
              ),
            ),
          );
          const { matches } = matchDemand(
            demandMother.jaliscoCluster(credential, {
              headcount,
              neededBy: day(neededIn),
            }),
            agreements,
            cohorts,
            { ...terms, quality: q },
          );
          // Each criterion read from what the broker sees, not from `criteria`.
          const seen = (m: Match) => ({
            seats: Number(m.fitsHeadcount),
            dates: Number(m.kind === 'COHORT'),
            place: Number(m.inState),
            // Quality's two parts, each as a whole percentage, apart: an
            // option worse on both parts must not rank first.
            certification: Math.round(
              (m.quality?.certificationScore ?? 0) * 100,
            ),
            surveys: Math.round((m.quality?.surveyPart.score ?? 0) * 100),
            saving: -m.cost.participantShareCentavos,
          });
          matches.forEach((above, i) => {
            for (const below of matches.slice(i + 1)) {
              const a = seen(above);
              const b = seen(below);
              const keys = Object.keys(a) as (keyof typeof a)[];
              const dominated =
                keys.every((k) => b[k] >= a[k]) &&
                keys.some((k) => b[k] > a[k]);
              if (dominated)
                throw new Error(
                  `#${above.rank} ${JSON.stringify(a)} ranks above #${below.rank} ${JSON.stringify(b)}, which is at least as good on every criterion`,
                );
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
